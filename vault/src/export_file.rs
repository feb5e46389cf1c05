//! Where the vault gets the POST server's export files from (a file on disk, or bytes in memory),
//! and the export row an upload becomes, for tests and the demo. The file format itself, its
//! writer and its strict parser are the one codec in [`spur_protocol::export`].

use spur_protocol::export::{key_in_id, record_id, ExportRow};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;

use crate::error::{Result, VaultError};

/// Where export files come from: a file on disk, or bytes in memory (tests, benchmarks).
pub trait ExportSource {
    /// A name for messages and the audit log (a file name, never content).
    fn name(&self) -> String;
    /// The file's bytes.
    fn bytes(&self) -> Result<Vec<u8>>;
}

impl ExportSource for std::path::PathBuf {
    fn name(&self) -> String {
        self.display().to_string()
    }
    fn bytes(&self) -> Result<Vec<u8>> {
        std::fs::read(self).map_err(|e| VaultError::io(self, e))
    }
}

/// An export file held in memory (tests, benchmarks, the demo).
pub struct InMemory {
    /// Name for messages.
    pub name: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

impl ExportSource for InMemory {
    fn name(&self) -> String {
        self.name.clone()
    }
    fn bytes(&self) -> Result<Vec<u8>> {
        Ok(self.bytes.clone())
    }
}

/// Builds the export row of a whole upload as the POST server stores it (for tests and the demo):
/// the key and id the server derives, and the OP-sealed part as body.
pub fn row_from_upload(day: Day, wire: &[u8]) -> Result<ExportRow> {
    let rec = spur_protocol::record::check_wire(wire)?;
    let key = match rec.kind {
        RecordKind::Registration | RecordKind::RegistrationDelete => {
            spur_protocol::usr::registration_handle(rec.clear).to_vec()
        }
        RecordKind::Place | RecordKind::Personal => rec.qr_id().to_vec(),
        _ => record_id(rec.kind, &[], rec.sealed).to_vec(),
    };
    let id = record_id(
        rec.kind,
        if key_in_id(rec.kind) { &key } else { &[] },
        rec.sealed,
    );
    Ok(ExportRow {
        day,
        kind: rec.kind,
        key,
        id,
        body: rec.sealed.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_protocol::crypto::sha256;
    use spur_protocol::export::{encode, parse};

    #[test]
    fn a_row_from_an_upload_is_what_the_parser_accepts() {
        let handle_secret = [5u8; 32];
        let mut wire = vec![
            spur_protocol::record::VERSION,
            RecordKind::RegistrationDelete as u8,
        ];
        wire.extend_from_slice(&handle_secret);
        let row = row_from_upload(Day(20_000), &wire).unwrap();
        assert_eq!(
            row.key,
            sha256(&[b"spur/v1/registration-handle/", &handle_secret])
        );
        let back = parse(&encode(std::slice::from_ref(&row), false, "")).unwrap();
        assert_eq!(back.rows, vec![row]);
    }
}
