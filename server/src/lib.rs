//! spur's two online services: the TAG server (stateless issuer of QR ids and TMP keys) and the
//! POST server (stores OP-sealed records 28 days and exports them to the offline vault).
//!
//! Neither server logs client addresses, identifiers, keys or bodies (`log`, docs/operations.md's
//! field policy); both answer every refusal with
//! `{"error": "<code>", "message": "<sentence>"}` (see [`error::ApiError`] and docs/server.md).
//! Routes and JSON bodies are spur-wire's (`spur_wire::api`); docs/openapi.json describes them.

pub mod clock;
pub mod config;
pub mod error;
pub mod export;
pub mod http;
pub mod limits;
pub mod log;
pub mod metrics;
pub mod mount;
pub mod post;
pub mod proxy;
pub mod pull;
pub mod run;
pub mod serve;
pub mod store;
pub mod tag;
pub mod web;

pub use error::ApiError;
pub use serve::serve;
