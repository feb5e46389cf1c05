//! `GET /v1/health` of both servers: `{"status": "ok"}`.

use serde::{Deserialize, Serialize};

/// The health answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: HealthStatus,
}

/// A server's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// The server answers.
    Ok,
}

impl Health {
    /// The answer of a server that is up.
    pub const OK: Health = Health {
        status: HealthStatus::Ok,
    };
}
