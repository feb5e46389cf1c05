//! What a decoded text is: a spur code (parsed by `spur-protocol`), someone else's QR code, or
//! a spur-shaped URL that does not parse. The one place where the protocol's parser is called.

use spur_protocol::qr::Payload;
use spur_protocol::ProtocolError;

/// The outcome of looking at a frame or picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scan {
    /// A spur code: place, personal or consent.
    Spur {
        /// The text in the QR code.
        text: String,
        /// The parsed code.
        payload: Payload,
    },
    /// A readable QR code that spur cannot use.
    NotSpur {
        /// The text in the QR code.
        text: String,
        /// Why spur refuses it.
        reason: NotSpur,
    },
    /// No readable QR code.
    Nothing,
}

/// Why a readable QR code is not a usable spur code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotSpur {
    /// Someone else's code (a link, Wi-Fi credentials, text …).
    Foreign,
    /// Shaped like a spur code, but a part is wrong (damaged, forged or a newer version).
    Malformed(ProtocolError),
}

impl Scan {
    /// The text in the QR code, if one was read.
    pub fn text(&self) -> Option<&str> {
        match self {
            Scan::Spur { text, .. } | Scan::NotSpur { text, .. } => Some(text),
            Scan::Nothing => None,
        }
    }

    /// A sentence to show the person scanning.
    pub fn message(&self) -> String {
        match self {
            Scan::Spur { .. } => "spur code read".to_string(),
            Scan::NotSpur {
                reason: NotSpur::Foreign,
                ..
            } => "this QR code is not a spur code: spur cannot check in with it".to_string(),
            Scan::NotSpur {
                reason: NotSpur::Malformed(e),
                ..
            } => {
                format!("this looks like a spur code but cannot be used ({e})")
            }
            Scan::Nothing => "no QR code found".to_string(),
        }
    }
}

/// Classifies decoded text with `spur_protocol::qr::Payload::parse`.
pub fn classify(text: String) -> Scan {
    match Payload::parse(&text) {
        Ok(payload) => Scan::Spur { text, payload },
        Err(ProtocolError::NotSpurCode) => Scan::NotSpur {
            text,
            reason: NotSpur::Foreign,
        },
        Err(e) => Scan::NotSpur {
            text,
            reason: NotSpur::Malformed(e),
        },
    }
}
