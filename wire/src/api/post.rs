//! The POST server's JSON bodies: the ids of stored records, the PIN check, and the export's
//! query. The records themselves are bytes in `spur_protocol::record`'s formats. Fields are
//! declared in alphabetical order: that is the order the parties have always sent them in.

use serde::{Deserialize, Serialize};

/// The answer to every upload (registrations, deletes, codes, visits, consent releases): the
/// ids of the records stored, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredIds {
    /// Record ids, 64 lower-case hex digits each.
    pub ids: Vec<String>,
}

/// `POST /v1/pin-check`: is this the PIN check stored for the personal code?
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinCheckRequest {
    /// The PIN check, 64 lower-case hex digits.
    pub check: String,
    /// The personal code's QR id, 32 lower-case hex digits.
    pub qr_id: String,
}

/// The answer to [`PinCheckRequest`]; an unknown id and a wrong PIN both give `false`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PinCheckResponse {
    /// True when the check is the one stored for the code.
    pub confirmed: bool,
}

/// The query of `GET /v1/export`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ExportQuery {
    /// Where to continue: the cursor of the previous page's end frame; none for the beginning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Rows per page, 1 to 1,000,000 (100,000 when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl ExportQuery {
    /// The path and query of this page's request (`/v1/export?limit=…&cursor=…`). Cursors are
    /// URL-safe base64, so they go into the query as they are.
    pub fn path(&self) -> String {
        let mut parts = Vec::new();
        if let Some(l) = self.limit {
            parts.push(format!("limit={l}"));
        }
        if let Some(c) = self.cursor.as_deref().filter(|c| !c.is_empty()) {
            parts.push(format!("cursor={c}"));
        }
        if parts.is_empty() {
            super::routes::EXPORT.to_owned()
        } else {
            format!("{}?{}", super::routes::EXPORT, parts.join("&"))
        }
    }
}
