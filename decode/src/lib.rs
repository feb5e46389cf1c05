//! spur-decode (being built).
