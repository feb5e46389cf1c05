//! The one refusal of both servers: an HTTP status with the contract's error body
//! ([`spur_wire::api::error::ErrorBody`], `{"error": "<code>", "message": "<sentence>"}`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spur_protocol::ProtocolError;
use spur_wire::api::error::{ErrorBody, ErrorCode};

/// A refusal: HTTP status, a stable machine code and a sentence for humans. Building one never
/// changes state; handlers return it before they store anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code clients may match on (the contract's [`ErrorCode`]).
    pub code: ErrorCode,
    /// A sentence that says what was wrong. Never contains secrets or client addresses.
    pub message: String,
}

impl ApiError {
    /// A refusal with the given status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 with a code.
    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 for a path no route serves.
    pub fn unknown_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::UnknownRoute,
            "no such endpoint; see docs/server.md for the routes",
        )
    }

    /// 405 for a known path with the wrong method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            "this endpoint does not accept that HTTP method",
        )
    }

    /// 503 when storage failed; the details go nowhere (they could name paths or hosts).
    pub fn storage() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageUnavailable,
            "the record store is not available; nothing was stored, retry later",
        )
    }

    /// 500 for a failure that is the server's fault.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "the server failed to handle the request; nothing was changed",
        )
    }

    /// 400 `malformed` for a JSON body that is not of the form `shape`.
    pub fn malformed_json(shape: &str) -> Self {
        Self::bad_request(
            ErrorCode::Malformed,
            format!("the body must be JSON of the form {shape}"),
        )
    }
}

impl From<ProtocolError> for ApiError {
    fn from(e: ProtocolError) -> Self {
        let code = match &e {
            ProtocolError::Truncated { .. } => ErrorCode::Malformed,
            ProtocolError::WrongSize { .. } | ProtocolError::TrailingBytes { .. } => {
                ErrorCode::WrongSize
            }
            ProtocolError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            ProtocolError::UnknownKind { .. } => ErrorCode::UnknownKind,
            ProtocolError::BadSignature { .. } => ErrorCode::BadSignature,
            ProtocolError::UnknownAuthority(_) => ErrorCode::UnknownAuthority,
            _ => ErrorCode::Invalid,
        };
        // ProtocolError messages carry sizes and field names only, never secret bytes.
        Self::bad_request(code, e.to_string())
    }
}

/// A refusal's code, attached to its response for the log and the metrics.
#[derive(Clone, Debug)]
pub struct Reason(pub ErrorCode);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The code rides along in the response's extensions for the log and the metrics
        // (`http::observe`), which count refusals by reason without reading the body.
        let reason = Reason(self.code.clone());
        let body = ErrorBody {
            error: self.code,
            message: self.message,
        };
        let mut r = crate::http::json_no_store(self.status, &body);
        r.extensions_mut().insert(reason);
        r
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
