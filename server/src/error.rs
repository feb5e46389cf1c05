//! The one refusal shape of both servers: `{"error": "<stable_code>", "message": "<sentence>"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spur_protocol::ProtocolError;

/// A refusal: HTTP status, a stable machine code and a sentence for humans. Building one never
/// changes state; handlers return it before they store anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code clients may match on (documented in docs/server.md).
    pub code: &'static str,
    /// A sentence that says what was wrong. Never contains secrets or client addresses.
    pub message: String,
}

impl ApiError {
    /// A refusal with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 for a path no route serves.
    pub fn unknown_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_route",
            "no such endpoint; see docs/server.md for the routes",
        )
    }

    /// 405 for a known path with the wrong method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not accept that HTTP method",
        )
    }

    /// 503 when storage failed; the details go nowhere (they could name paths or hosts).
    pub fn storage() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the record store is not available; nothing was stored, retry later",
        )
    }

    /// 500 for a failure that is the server's fault.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to handle the request; nothing was changed",
        )
    }
}

impl From<ProtocolError> for ApiError {
    fn from(e: ProtocolError) -> Self {
        let code = match &e {
            ProtocolError::Truncated { .. } => "malformed",
            ProtocolError::WrongSize { .. } | ProtocolError::TrailingBytes { .. } => "wrong_size",
            ProtocolError::UnsupportedVersion { .. } => "unsupported_version",
            ProtocolError::UnknownKind { .. } => "unknown_kind",
            ProtocolError::BadSignature { .. } => "bad_signature",
            ProtocolError::UnknownAuthority(_) => "unknown_authority",
            _ => "invalid",
        };
        // ProtocolError messages carry sizes and field names only, never secret bytes.
        Self::bad_request(code, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        let mut r = (self.status, axum::Json(body)).into_response();
        r.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        r
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
