//! The TAG and POST servers' HTTP API: routes, bodies and the error shape.
//!
//! Record bodies (registrations, codes, visits, consent releases, the signed history request and
//! directory, the export file) are raw bytes in `spur-protocol`'s formats; everything carried as
//! JSON is a type here, and the servers and the app core build and parse it only through them.

pub mod error;
pub mod health;
#[cfg(feature = "openapi")]
mod openapi;
pub mod post;
pub mod routes;
pub mod tag;

#[cfg(feature = "openapi")]
pub use openapi::openapi;
