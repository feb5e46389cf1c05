//! spur's two online services: the TAG server (stateless issuer of QR ids and TMP keys) and the
//! POST server (stores OP-sealed records 28 days and exports them to the offline vault).
//!
//! Neither server logs requests or client addresses. Both answer every refusal with
//! `{"error": "<code>", "message": "<sentence>"}` (see [`error::ApiError`] and docs/server.md).
//! Routes and JSON bodies are spur-wire's (`spur_wire::api`); docs/openapi.json describes them.

pub mod clock;
pub mod error;
pub mod export;
pub mod http;
pub mod limits;
pub mod mount;
pub mod post;
pub mod pull;
pub mod run;
pub mod serve;
pub mod store;
pub mod tag;
pub mod web;

pub use error::ApiError;
pub use serve::serve;
