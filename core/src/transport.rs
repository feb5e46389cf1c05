//! What the core needs from the network, as a trait: the TAG server's ids, TMP keys and
//! directory, and the POST server's uploads. `http.rs` implements it over HTTPS; tests wrap it
//! to switch the network off and on.

use std::future::Future;

use spur_protocol::tag::{Blinded, Evaluation, QrCommitment, QrId};
use spur_protocol::time::Slot;

use crate::error::{Error, ErrorKind};
use crate::texts::Msg;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// No answer: no network, server down, timeout. Worth retrying.
    Offline,
    /// The server is busy or failed (429, 5xx, 408). Worth retrying.
    Busy {
        /// HTTP status.
        status: u16,
    },
    /// The server refused the request for good (4xx). Retrying the same bytes will not help.
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's stable error code.
        code: String,
        /// The server's sentence (English).
        message: String,
    },
    /// The server answered something this build cannot read.
    BadAnswer,
}

impl NetError {
    /// True when the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Offline | Self::Busy { .. })
    }
}

impl From<NetError> for Error {
    fn from(e: NetError) -> Self {
        match e {
            NetError::Offline => Error::offline(),
            NetError::Busy { status } => Error::new(
                ErrorKind::Offline,
                Msg::new("error-server-busy").num("status", status),
            ),
            NetError::Refused { code, message, .. } => Error {
                kind: ErrorKind::Server,
                msg: Msg::new("error-server-refused").text("message", message),
                code: Some(code),
            },
            NetError::BadAnswer => Error::new(ErrorKind::Server, Msg::new("error-server-answer")),
        }
    }
}

/// The servers, as the core uses them. Every method is one request.
pub trait Transport: Send + Sync + 'static {
    /// `GET` [`spur_wire::api::routes::DIRECTORY`] on the TAG server: the signed directory bytes (verified by the caller).
    fn directory(&self) -> impl Future<Output = Result<Vec<u8>, NetError>> + Send;

    /// `POST` [`spur_wire::api::routes::QR_IDS`] on the TAG server: the QR ids of codes with these commitments, in order.
    fn qr_ids(
        &self,
        commitments: Vec<QrCommitment>,
    ) -> impl Future<Output = Result<Vec<QrId>, NetError>> + Send;

    /// `POST` [`spur_wire::api::routes::PIN_CHECK`] on the POST server: whether `check` is the PIN check stored for the
    /// personal code `id` (`false` also when no such code is known). 429 after too many wrong ones.
    fn pin_check(
        &self,
        id: QrId,
        check: [u8; 32],
    ) -> impl Future<Output = Result<bool, NetError>> + Send;

    /// `POST` [`spur_wire::api::routes::TMP_KEYS`] on the TAG server: the POPRF evaluations of
    /// the blinded QR id in `slots` (all within the server's window around now), one per slot in
    /// order. Unverified: `crate::tmp` checks every proof against the directory's TAG key.
    fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> impl Future<Output = Result<Vec<(Slot, Evaluation)>, NetError>> + Send;

    /// `POST <route>` (one of [`spur_wire::api::routes`]) on the POST server with exact bytes.
    fn upload(
        &self,
        route: &str,
        body: Vec<u8>,
    ) -> impl Future<Output = Result<(), NetError>> + Send;
}
