//! spur-server (being built).
