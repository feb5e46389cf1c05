//! spur's JSON contract between parties: the TAG and POST servers' HTTP API (routes, request and
//! response bodies, the error shape) and the files the vault and the authority desks hand each
//! other. Byte formats (records, codes, layers) stay in `spur-protocol`; this crate holds what
//! is carried as JSON around them, so client and server are tied together at compile time.

pub mod api;
pub mod exchange;
