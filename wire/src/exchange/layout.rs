//! What vault and desk must agree on beside the package files: the kinds of the public key files
//! the vault hands a desk, the text of a case reference, the tag a card trace is recorded under
//! and the bucket a stay is indexed by.

use spur_protocol::crypto::sha256;
use spur_protocol::labels::CARD_TRACE;
use spur_protocol::record::visit::CodeKind;

use super::ExchangeError;

/// Key-file kind of the vault's OP public key (`op.pub`, pinned by every desk).
pub const OP_PUBLIC: &str = "op-public";
/// Key-file kind of the directory root's public key (`root.pub`, pinned by every desk).
pub const ROOT_PUBLIC: &str = "root-public";

/// The case reference of a resolve request: `<authority>:<case>` (the consenting authority and
/// its case id), so answers and forwarded files find their case on the consenting desk.
pub fn case_ref(authority: u16, case_id: &str) -> String {
    format!("{authority}:{case_id}")
}

/// Splits `<authority>:<case>` (the case reference of a resolve request).
pub fn split_case_ref(s: &str) -> Result<(u16, String), ExchangeError> {
    let (a, c) = s.split_once(':').ok_or(ExchangeError::BadCaseRef)?;
    let a = a.parse().map_err(|_| ExchangeError::BadCaseRef)?;
    Ok((a, c.to_owned()))
}

/// What vault and desk record as the "nonce" of a card trace: the first 16 bytes of
/// SHA-256([`CARD_TRACE`] ‖ signed TMP-history request), so one request serves one trace only.
pub fn request_tag(request: &[u8]) -> [u8; 16] {
    let d = sha256(&[CARD_TRACE.as_bytes(), request]);
    let mut t = [0u8; 16];
    t.copy_from_slice(&d[..16]);
    t
}

/// The bucket a stay is found by ([`super::ScanStay::bucket`]): the place's region, or zeros for
/// a personal code (whose scans are found wherever they were made).
pub fn bucket_of(code_kind: u8, region: [u8; 12]) -> [u8; 12] {
    if code_kind == CodeKind::Personal as u8 {
        [0; 12]
    } else {
        region
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_round_trip_and_bad_ones_are_refused() {
        assert_eq!(case_ref(2, "C-7:x"), "2:C-7:x");
        assert_eq!(split_case_ref("2:C-7:x").unwrap(), (2, "C-7:x".to_owned()));
        for bad in ["", "C-7", "x:C-7", "70000:C"] {
            assert!(
                matches!(split_case_ref(bad), Err(ExchangeError::BadCaseRef)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_personal_code_stay_has_no_bucket() {
        assert_eq!(bucket_of(CodeKind::Personal as u8, [7; 12]), [0; 12]);
        assert_eq!(bucket_of(CodeKind::Place as u8, [7; 12]), [7; 12]);
        assert_ne!(request_tag(b"a"), request_tag(b"b"));
    }
}
