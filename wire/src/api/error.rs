//! The one refusal shape of both servers, `{"error": "<code>", "message": "<sentence>"}`, and
//! the stable codes a client may match on.

use serde::{Deserialize, Serialize};

/// A refusal's body: a stable machine code and a sentence for humans (English, never secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable code clients may match on.
    pub error: ErrorCode,
    /// A sentence that says what was wrong.
    pub message: String,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// The stable codes of refusals. A code this build does not know (a newer server) is
        /// kept as [`ErrorCode::Other`] so the client still shows the server's sentence.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this build does not know.
            Other(String),
        }

        impl ErrorCode {
            /// Every known code, in declaration order.
            pub const KNOWN: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Other(s) => s,
                }
            }

            /// The code for a wire string (unknown strings become [`ErrorCode::Other`]).
            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

codes! {
    /// The body could not be read or is not of the documented form.
    Malformed = "malformed",
    /// A record has the wrong size, or bytes follow it.
    WrongSize = "wrong_size",
    /// A record's version byte is not one this server takes.
    UnsupportedVersion = "unsupported_version",
    /// A record's kind byte is unknown.
    UnknownKind = "unknown_kind",
    /// A record of a kind this route does not take.
    WrongKind = "wrong_kind",
    /// A signature does not verify.
    BadSignature = "bad_signature",
    /// A request is signed by an authority the directory does not list.
    UnknownAuthority = "unknown_authority",
    /// Any other invalid record or request.
    Invalid = "invalid",
    /// No route serves this path.
    UnknownRoute = "unknown_route",
    /// The route does not take this HTTP method.
    MethodNotAllowed = "method_not_allowed",
    /// The record store failed; nothing was stored.
    StorageUnavailable = "storage_unavailable",
    /// The server failed; nothing was changed.
    Internal = "internal",
    /// The body is over the server's limit.
    BodyTooLarge = "body_too_large",
    /// Too many requests from this network.
    RateLimited = "rate_limited",
    /// This network's upload budget is spent.
    UploadBudget = "upload_budget",
    /// The request took too long.
    RequestTimeout = "request_timeout",
    /// A visit upload holds more records than allowed.
    TooManyRecords = "too_many_records",
    /// A QR id is not 32 lower-case hex digits.
    BadQrId = "bad_qr_id",
    /// This TAG server did not issue the QR id.
    UnknownQrId = "unknown_qr_id",
    /// Too few or too many commitments.
    BadCount = "bad_count",
    /// A commitment is not 16 lower-case hex digits.
    BadCommitment = "bad_commitment",
    /// Too few or too many slots.
    BadSlots = "bad_slots",
    /// A slot is too far from now.
    SlotOutOfWindow = "slot_out_of_window",
    /// The TAG server has no authority directory.
    NoDirectory = "no_directory",
    /// The TAG server cannot check history requests (no directory).
    HistoryUnavailable = "history_unavailable",
    /// A different record is stored under this key.
    KeyTaken = "key_taken",
    /// A PIN check is not 64 lower-case hex digits.
    BadCheck = "bad_check",
    /// Too many unconfirmed PIN checks of this code.
    TooManyPinChecks = "too_many_pin_checks",
    /// No registration is stored under this registration secret.
    NotRegistered = "not_registered",
    /// The POST server's export is off.
    ExportDisabled = "export_disabled",
    /// The export needs the operator's bearer token.
    Unauthorized = "unauthorized",
    /// The export's query parameters are wrong.
    BadQuery = "bad_query",
    /// The export cursor is not one this server issued.
    BadCursor = "bad_cursor",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A stable refusal code; clients treat a code they do not know like any refusal.",
            ))
            .enum_values(Some(Self::KNOWN.iter().map(|c| c.as_str().to_owned())))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_kept() {
        for c in ErrorCode::KNOWN {
            assert_eq!(&ErrorCode::parse(c.as_str()), c);
        }
        let mut seen: Vec<&str> = ErrorCode::KNOWN.iter().map(ErrorCode::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), ErrorCode::KNOWN.len(), "codes are distinct");
        let b: ErrorBody =
            serde_json::from_str(r#"{"error":"from_the_future","message":"m"}"#).unwrap();
        assert_eq!(b.error, ErrorCode::Other("from_the_future".into()));
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"error":"from_the_future","message":"m"}"#
        );
    }
}
