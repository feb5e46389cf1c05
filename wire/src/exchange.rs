//! The files the vault and the authority desks hand each other (moved here from the vault crate).
