//! Reads the POST server's export files (format in `docs/server.md`, `server/src/export/format.rs`)
//! and checks every byte before anything is imported: magic, version, frames, the end frame's
//! count and SHA-256, each record's size and id. A file that fails any check is refused whole.
//!
//! ```text
//! file      = "SPUREXP\0" || version u8 (1) || frame* || end
//! record    = 0x01 || day u32 || kind u8 || record version u8 || key_len u8 || key || id (32)
//!                  || body_len u32 || body (OP-sealed part)
//! tombstone = 0x02 || day u32 || kind u8 (2) || key_len u8 || key (handle) || id (32)
//! end       = 0xFF || more u8 || cursor_len u16 || cursor || frames u64 || sha256 (32)
//! ```

use spur_protocol::crypto::{sha256, SEAL_OVERHEAD};
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::time::Day;

use crate::error::{Result, VaultError};

/// File magic.
pub const MAGIC: &[u8; 8] = b"SPUREXP\0";
/// The format version this build reads.
pub const FORMAT_VERSION: u8 = 1;
const TAG_RECORD: u8 = 0x01;
const TAG_TOMBSTONE: u8 = 0x02;
const TAG_END: u8 = 0xFF;
const MAX_BODY: u32 = 1 << 16;

/// One row of an export: a record (OP-sealed body) or a registration tombstone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// Upload day (retention counts from it).
    pub day: Day,
    /// Record kind (`RegistrationDelete` for a tombstone).
    pub kind: RecordKind,
    /// Lookup key: registration handle, QR id, or the record id for content-addressed kinds.
    pub key: Vec<u8>,
    /// Record id: SHA-256 over kind, key part and body (checked on reading).
    pub id: [u8; 32],
    /// The OP-sealed body (empty for a tombstone).
    pub body: Vec<u8>,
}

/// A whole, checked export file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Its rows in file order.
    pub rows: Vec<ExportRow>,
    /// Whether the server had more rows (pull again with the cursor).
    pub more: bool,
    /// The cursor for the next pull.
    pub cursor: String,
    /// SHA-256 of the whole file: a file already imported is recognised by it.
    pub digest: [u8; 32],
}

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

/// The record id as the POST server computes it.
pub fn record_id(kind: RecordKind, key_part: &[u8], body: &[u8]) -> [u8; 32] {
    sha256(&[b"spur/v1/record-id/", &[kind as u8], key_part, body])
}

/// The part of the key that goes into the record id, and the key length the kind must have.
fn key_rule(kind: RecordKind) -> (bool, usize) {
    match kind {
        RecordKind::Registration | RecordKind::RegistrationDelete => (true, 32),
        RecordKind::Place | RecordKind::Personal => (true, 16),
        RecordKind::SlotEntry | RecordKind::UserEntry | RecordKind::ConsentRelease => (false, 32),
    }
}

fn check_row(row: &ExportRow) -> std::result::Result<(), &'static str> {
    let (key_in_id, key_len) = key_rule(row.kind);
    if row.key.len() != key_len {
        return Err("a key has the wrong length for its kind");
    }
    let expected_body = match row.kind {
        RecordKind::RegistrationDelete => 0,
        k => k.body_len() + SEAL_OVERHEAD,
    };
    if row.body.len() != expected_body {
        return Err("a record body has the wrong size for its kind");
    }
    let id = record_id(row.kind, if key_in_id { &row.key } else { &[] }, &row.body);
    if id != row.id || (!key_in_id && row.key != id) {
        return Err("a record id does not match its content");
    }
    Ok(())
}

/// Parses and checks a whole export file. Nothing is returned unless every check passes.
pub fn parse(bytes: &[u8]) -> Result<ExportFile> {
    let corrupt = |why: &str| VaultError::BadExport(why.to_owned());
    let mut r = Reader { bytes, pos: 0 };
    let head = r
        .take(MAGIC.len() + 1)
        .map_err(|_| corrupt("not a spur export file"))?;
    if head.get(..8) != Some(MAGIC.as_slice()) {
        return Err(corrupt("not a spur export file (bad magic)"));
    }
    if head.get(8) != Some(&FORMAT_VERSION) {
        return Err(corrupt("export format version not supported by this build"));
    }
    let mut rows = Vec::new();
    loop {
        let tag = r.u8()?;
        if tag == TAG_END {
            let more = match r.u8()? {
                0 => false,
                1 => true,
                _ => return Err(corrupt("bad end frame")),
            };
            let c_len = usize::from(r.u16()?);
            let cursor = std::str::from_utf8(r.take(c_len)?)
                .map_err(|_| corrupt("the cursor is not text"))?
                .to_owned();
            let frames = r.u64()?;
            let hashed = bytes.get(..r.pos).ok_or_else(|| corrupt("truncated"))?;
            let digest = r.take(32)?;
            if r.pos != bytes.len() {
                return Err(corrupt("bytes after the end frame"));
            }
            if frames != rows.len() as u64 || digest != sha256(&[hashed]).as_slice() {
                return Err(corrupt(
                    "the file does not match its end frame (altered or incomplete)",
                ));
            }
            return Ok(ExportFile {
                rows,
                more,
                cursor,
                digest: sha256(&[bytes]),
            });
        }
        let day = Day(r.u32()?);
        let kind = RecordKind::from_byte(r.u8()?).map_err(|_| corrupt("unknown record kind"))?;
        let row = match tag {
            TAG_RECORD if kind != RecordKind::RegistrationDelete => {
                if r.u8()? != VERSION {
                    return Err(corrupt("record version not supported"));
                }
                let key = r.bytes_u8()?;
                let id = r.id()?;
                let body_len = r.u32()?;
                if body_len > MAX_BODY {
                    return Err(corrupt("a body length is out of range"));
                }
                let body = r.take(body_len as usize)?.to_vec();
                ExportRow {
                    day,
                    kind,
                    key,
                    id,
                    body,
                }
            }
            TAG_TOMBSTONE if kind == RecordKind::RegistrationDelete => {
                let key = r.bytes_u8()?;
                let id = r.id()?;
                ExportRow {
                    day,
                    kind,
                    key,
                    id,
                    body: Vec::new(),
                }
            }
            _ => return Err(corrupt("unknown frame")),
        };
        check_row(&row).map_err(corrupt)?;
        rows.push(row);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let cut = || {
            VaultError::BadExport("the file is incomplete (cut off before its end frame)".into())
        };
        let end = self.pos.checked_add(n).ok_or_else(cut)?;
        let s = self.bytes.get(self.pos..end).ok_or_else(cut)?;
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.arr::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.arr()?))
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.arr()?))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.arr()?))
    }
    fn id(&mut self) -> Result<[u8; 32]> {
        self.arr()
    }
    fn bytes_u8(&mut self) -> Result<Vec<u8>> {
        let n = usize::from(self.u8()?);
        Ok(self.take(n)?.to_vec())
    }
}

/// Writes export files in the same format: for tests, benchmarks and the demo, which have no
/// POST server at hand. The server has its own encoder; a test checks both agree.
pub fn encode(rows: &[ExportRow], more: bool, cursor: &str) -> Vec<u8> {
    let mut v = MAGIC.to_vec();
    v.push(FORMAT_VERSION);
    for row in rows {
        let key_len = u8::try_from(row.key.len()).unwrap_or(u8::MAX);
        if row.kind == RecordKind::RegistrationDelete {
            v.push(TAG_TOMBSTONE);
            v.extend_from_slice(&row.day.0.to_be_bytes());
            v.push(row.kind as u8);
        } else {
            v.push(TAG_RECORD);
            v.extend_from_slice(&row.day.0.to_be_bytes());
            v.push(row.kind as u8);
            v.push(VERSION);
        }
        v.push(key_len);
        v.extend_from_slice(row.key.get(..usize::from(key_len)).unwrap_or(&row.key));
        v.extend_from_slice(&row.id);
        if row.kind != RecordKind::RegistrationDelete {
            v.extend_from_slice(
                &u32::try_from(row.body.len())
                    .unwrap_or(u32::MAX)
                    .to_be_bytes(),
            );
            v.extend_from_slice(&row.body);
        }
    }
    v.push(TAG_END);
    v.push(u8::from(more));
    let c = cursor.as_bytes();
    let c_len = u16::try_from(c.len()).unwrap_or(u16::MAX);
    v.extend_from_slice(&c_len.to_be_bytes());
    v.extend_from_slice(c.get(..usize::from(c_len)).unwrap_or(c));
    v.extend_from_slice(&(rows.len() as u64).to_be_bytes());
    let d = sha256(&[&v]);
    v.extend_from_slice(&d);
    v
}

/// Builds the export row of a whole upload as the POST server stores it (for tests and the demo):
/// the key and id the server derives, and the OP-sealed part as body.
pub fn row_from_upload(day: Day, wire: &[u8]) -> Result<ExportRow> {
    let rec = spur_protocol::record::check_wire(wire)?;
    let (key_in_id, _) = key_rule(rec.kind);
    let key = match rec.kind {
        RecordKind::Registration | RecordKind::RegistrationDelete => {
            sha256(&[b"spur/v1/registration-handle/", rec.clear]).to_vec()
        }
        RecordKind::Place | RecordKind::Personal => rec.clear.to_vec(),
        _ => record_id(rec.kind, &[], rec.sealed).to_vec(),
    };
    let id = record_id(rec.kind, if key_in_id { &key } else { &[] }, rec.sealed);
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

    fn rows() -> Vec<ExportRow> {
        let body = vec![7u8; RecordKind::SlotEntry.body_len() + SEAL_OVERHEAD];
        let id = record_id(RecordKind::SlotEntry, &[], &body);
        let handle = [2u8; 32];
        vec![
            ExportRow {
                day: Day(20_000),
                kind: RecordKind::SlotEntry,
                key: id.to_vec(),
                id,
                body,
            },
            ExportRow {
                day: Day(20_001),
                kind: RecordKind::RegistrationDelete,
                key: handle.to_vec(),
                id: record_id(RecordKind::RegistrationDelete, &handle, &[]),
                body: vec![],
            },
        ]
    }

    #[test]
    fn round_trip() {
        let f = encode(&rows(), true, "abc");
        let back = parse(&f).unwrap();
        assert_eq!(back.rows, rows());
        assert!(back.more);
        assert_eq!(back.cursor, "abc");
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused() {
        let f = encode(&rows(), false, "c");
        for cut in 0..f.len() {
            assert!(parse(&f[..cut]).is_err(), "cut at {cut} accepted");
        }
        for i in 0..f.len() {
            let mut g = f.clone();
            g[i] ^= 0x40;
            assert!(parse(&g).is_err(), "flip at {i} accepted");
        }
    }

    #[test]
    fn a_record_whose_id_does_not_match_is_refused_even_with_a_fresh_digest() {
        let mut r = rows();
        r[0].body[5] ^= 1;
        let e = parse(&encode(&r, false, "")).unwrap_err().to_string();
        assert!(e.contains("record id"), "{e}");
    }
}
