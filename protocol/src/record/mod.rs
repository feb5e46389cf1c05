//! Record formats: what the app uploads and the POST server stores. Every upload is
//! `version(1) || kind(1) || clear part || OP-sealed body`, of one fixed size per kind.
//!
//! The sizes are computed here from the layouts' parts so that code, tests and
//! docs/protocol.md cannot drift apart.

pub mod consent_release;
pub mod place;
pub mod registration;
pub mod visit;

use crate::crypto::{AEAD_OVERHEAD, SEAL_OVERHEAD};
use crate::error::{ProtocolError, Result};

/// Wire version of every record.
pub const VERSION: u8 = 1;
/// Version byte + kind byte.
pub const HEADER_LEN: usize = 2;

/// Contact data before sealing: phone 16, campus id 32, region 12, birth year 2, padding 2.
pub const CONTACT_PLAIN: usize = 64;
/// Contact data sealed to AUTH.
pub const CONTACT_SEALED: usize = CONTACT_PLAIN + SEAL_OVERHEAD;
/// Registration OP body: registration id 16, home authority 2, region 12, sealed contact.
pub const REGISTRATION_BODY: usize = 16 + 2 + 12 + CONTACT_SEALED;

/// Contact reference before sealing: the registration id.
pub const CONTACT_REF_PLAIN: usize = 16;
/// Contact reference sealed to AUTH (fresh every time).
pub const CONTACT_REF_SEALED: usize = CONTACT_REF_PLAIN + SEAL_OVERHEAD;

/// Place details before sealing: phone 16, region 12, kind 1, name 64, description 128, pad 3.
pub const PLACE_DETAILS_PLAIN: usize = 224;
/// TAG layer of a place record: authority id 2 + AUTH-sealed details, AEAD'd.
pub const PLACE_TAG_LAYER: usize = 2 + PLACE_DETAILS_PLAIN + SEAL_OVERHEAD + AEAD_OVERHEAD;
/// Place OP body: region 12, kind 1, TAG layer.
pub const PLACE_BODY: usize = 12 + 1 + PLACE_TAG_LAYER;
/// TAG layer of a personal-code record: authority id 2 + AUTH-sealed contact reference.
pub const PERSONAL_TAG_LAYER: usize = 2 + CONTACT_REF_SEALED + AEAD_OVERHEAD;
/// The PIN check in a personal-code record's clear part: `HMAC(TAG, "spur/v1/pin-check" || QR id)`
/// for a PIN card, 32 random bytes for any other personal code.
pub const PIN_CHECK_LEN: usize = 32;
/// Personal-code OP body.
pub const PERSONAL_BODY: usize = PERSONAL_TAG_LAYER;

/// SCAN layer plaintext of a slot entry: sealed contact ref, home authority 2, scanner region 12,
/// time in 4, time out 4.
pub const SLOT_SCAN_PLAIN: usize = CONTACT_REF_SEALED + 2 + 12 + 4 + 4;
/// SCAN layer of a slot entry.
pub const SLOT_SCAN_LAYER: usize = SLOT_SCAN_PLAIN + AEAD_OVERHEAD;
/// Slot entry OP body: slot 4, code kind 1, bucket region 12, SCAN layer.
pub const SLOT_BODY: usize = 4 + 1 + 12 + SLOT_SCAN_LAYER;

/// Most slots one user entry covers (4 hours); longer stays use several user entries.
pub const SLOTS_PER_USER_ENTRY: usize = 8;
/// Visit segment before the USR layer: code kind 1, QR id 16, TAG 16, region 12, time in 4,
/// time out 4, first slot 4, slot count 1, SCAN keys 8 × 32.
pub const VISIT_PLAIN: usize = 1 + 16 + 16 + 12 + 4 + 4 + 4 + 1 + SLOTS_PER_USER_ENTRY * 32;
/// The user entry's AUTH layer (around the USR layer).
pub const USER_AUTH_LAYER: usize = VISIT_PLAIN + AEAD_OVERHEAD + SEAL_OVERHEAD;
/// User entry OP body: find-tag 32, AUTH layer.
pub const USER_BODY: usize = 32 + USER_AUTH_LAYER;

/// Most days one consent may release (the retention period).
pub const MAX_CONSENT_DAYS: usize = 28;
/// Most own personal codes a consent release lists.
pub const MAX_OWN_CODES: usize = 8;
/// AUTH part of a consent release: case 16, nonce 16, registration id 16, phone 16, first day 4,
/// day count 1, encryption keys 28 × 32, own-code count 1, own codes 8 × (QR id 16 + TAG 16).
pub const CONSENT_AUTH_PLAIN: usize =
    16 + 16 + 16 + 16 + 4 + 1 + MAX_CONSENT_DAYS * 32 + 1 + MAX_OWN_CODES * 32;
/// Consent release OP body: nonce 16, case 16, consenting authority 2, home authority 2,
/// first day 4, day count 1, find keys 28 × 32, sealed AUTH part.
pub const CONSENT_BODY: usize =
    16 + 16 + 2 + 2 + 4 + 1 + MAX_CONSENT_DAYS * 32 + CONSENT_AUTH_PLAIN + SEAL_OVERHEAD;

/// The kinds of upload. The byte values are part of the wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// Registration put or refresh: header, registration secret 32, OP body.
    Registration = 1,
    /// Registration delete: header, registration secret 32.
    RegistrationDelete = 2,
    /// Place record: header, QR id 16, OP body.
    Place = 3,
    /// Personal-code record: header, QR id 16, PIN check 32, OP body.
    Personal = 4,
    /// Slot entry: header, OP body.
    SlotEntry = 5,
    /// User entry: header, OP body.
    UserEntry = 6,
    /// Consent release: header, OP body.
    ConsentRelease = 7,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 7] = [
        Self::Registration,
        Self::RegistrationDelete,
        Self::Place,
        Self::Personal,
        Self::SlotEntry,
        Self::UserEntry,
        Self::ConsentRelease,
    ];

    /// From the kind byte.
    pub fn from_byte(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| *k as u8 == b)
            .ok_or(ProtocolError::UnknownKind {
                what: "record",
                got: b,
            })
    }

    /// Bytes in the clear between the header and the OP-sealed body.
    pub const fn clear_len(self) -> usize {
        match self {
            Self::Registration | Self::RegistrationDelete => 32,
            Self::Place => 16,
            Self::Personal => 16 + PIN_CHECK_LEN,
            Self::SlotEntry | Self::UserEntry | Self::ConsentRelease => 0,
        }
    }

    /// Size of the OP-sealed body's plaintext (0 when there is no body).
    pub const fn body_len(self) -> usize {
        match self {
            Self::Registration => REGISTRATION_BODY,
            Self::RegistrationDelete => 0,
            Self::Place => PLACE_BODY,
            Self::Personal => PERSONAL_BODY,
            Self::SlotEntry => SLOT_BODY,
            Self::UserEntry => USER_BODY,
            Self::ConsentRelease => CONSENT_BODY,
        }
    }

    /// The exact size of every record of this kind on the wire.
    pub const fn wire_len(self) -> usize {
        let body = self.body_len();
        HEADER_LEN + self.clear_len() + if body == 0 { 0 } else { body + SEAL_OVERHEAD }
    }

    /// The OP label of this kind's body.
    pub const fn op_label(self) -> &'static str {
        match self {
            Self::Registration | Self::RegistrationDelete => crate::labels::OP_REGISTRATION,
            Self::Place => crate::labels::OP_PLACE,
            Self::Personal => crate::labels::OP_PERSONAL,
            Self::SlotEntry => crate::labels::OP_SLOT,
            Self::UserEntry => crate::labels::OP_USER,
            Self::ConsentRelease => crate::labels::OP_CONSENT,
        }
    }

    /// Lower-case name used in URLs, file names and error messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::RegistrationDelete => "registration-delete",
            Self::Place => "place",
            Self::Personal => "personal",
            Self::SlotEntry => "slot-entry",
            Self::UserEntry => "user-entry",
            Self::ConsentRelease => "consent-release",
        }
    }
}

/// A record as it travels: checked header, the clear part and the OP-sealed body, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct WireRecord<'a> {
    /// Kind from the header.
    pub kind: RecordKind,
    /// The clear part (registration secret or QR id), empty for other kinds.
    pub clear: &'a [u8],
    /// The OP-sealed body (empty for a delete).
    pub sealed: &'a [u8],
}

/// Checks version, kind and exact size of one record without opening anything. This is what the
/// POST server runs on every body before it stores it.
pub fn check_wire(bytes: &[u8]) -> Result<WireRecord<'_>> {
    let (Some(&version), Some(&kind)) = (bytes.first(), bytes.get(1)) else {
        return Err(ProtocolError::Truncated {
            what: "record header",
            expected: HEADER_LEN,
            got: bytes.len(),
        });
    };
    if version != VERSION {
        return Err(ProtocolError::UnsupportedVersion {
            what: "record",
            got: version,
            supported: VERSION,
        });
    }
    let kind = RecordKind::from_byte(kind)?;
    crate::wire::expect_len(bytes, kind.wire_len(), kind.name())?;
    let rest = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    let (clear, sealed) = rest.split_at(kind.clear_len().min(rest.len()));
    Ok(WireRecord {
        kind,
        clear,
        sealed,
    })
}

impl WireRecord<'_> {
    /// The QR id a place or personal-code record is stored under (the first 16 bytes of its
    /// clear part); empty for other kinds.
    pub fn qr_id(&self) -> &[u8] {
        match self.kind {
            RecordKind::Place | RecordKind::Personal => {
                self.clear.get(..crate::tag::QrId::LEN).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// The PIN check of a personal-code record (the rest of its clear part).
    pub fn pin_check(&self) -> Option<&[u8]> {
        match self.kind {
            RecordKind::Personal => self.clear.get(crate::tag::QrId::LEN..),
            _ => None,
        }
    }
}

/// Starts a record's bytes: header and clear part.
pub(crate) fn start(kind: RecordKind, clear: &[u8]) -> crate::wire::Writer {
    let mut w = crate::wire::Writer::with_capacity(kind.wire_len());
    w.u8(VERSION).u8(kind as u8).bytes(clear);
    w
}

/// Opens the OP-sealed part of a record of `kind` (as stored and exported) and checks its size.
pub fn open_op(
    op: &crate::keys::SealSecretKey,
    kind: RecordKind,
    sealed: &[u8],
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    crate::wire::expect_len(sealed, kind.body_len() + SEAL_OVERHEAD, kind.name())?;
    let body = op.open(kind.op_label(), "OP", sealed)?;
    crate::wire::expect_len(&body, kind.body_len(), kind.name())?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_the_documented_ones() {
        // These numbers are in docs/protocol.md; change both together.
        let sizes: Vec<_> = RecordKind::ALL
            .iter()
            .map(|k| (k.name(), k.wire_len()))
            .collect();
        assert_eq!(
            sizes,
            vec![
                ("registration", 224),
                ("registration-delete", 34),
                ("place", 381),
                ("personal", 192),
                ("slot-entry", 181),
                ("user-entry", 472),
                ("consent-release", 2257),
            ]
        );
    }

    #[test]
    fn header_checks_refuse_bad_input() {
        assert!(matches!(
            check_wire(&[]),
            Err(ProtocolError::Truncated { .. })
        ));
        assert!(matches!(
            check_wire(&[2, 5]),
            Err(ProtocolError::UnsupportedVersion { got: 2, .. })
        ));
        assert!(matches!(
            check_wire(&[1, 99]),
            Err(ProtocolError::UnknownKind { got: 99, .. })
        ));
        assert!(matches!(
            check_wire(&[1, 5, 0]),
            Err(ProtocolError::WrongSize { .. })
        ));
        let mut ok = vec![0u8; RecordKind::RegistrationDelete.wire_len()];
        ok[0] = 1;
        ok[1] = 2;
        let r = check_wire(&ok).unwrap();
        assert_eq!(r.kind, RecordKind::RegistrationDelete);
        assert_eq!(r.clear.len(), 32);
        assert!(r.sealed.is_empty());
    }
}
