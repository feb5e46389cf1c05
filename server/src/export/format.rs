//! The export file format the vault imports offline: a magic, a version, frames, and an end frame
//! with a frame count and a SHA-256 over everything before it, so a cut-off file is detected.
//!
//! ```text
//! file      = magic "SPUREXP\0" (8) || format version u8 (= 1) || frame* || end
//! record    = 0x01 || day u32 || kind u8 || record version u8 || key_len u8 || key
//!                  || id (32) || body_len u32 || body
//! tombstone = 0x02 || day u32 || kind u8 (= 2) || key_len u8 || key (registration handle)
//!                  || id (32)
//! end       = 0xFF || more u8 (0|1) || cursor_len u16 || cursor (ASCII) || frames u64
//!                  || sha256 (32) over every byte of the file before these 32
//! ```
//! Integers are big-endian. Frames come in (day, kind, key) order. No part of this module does
//! I/O beyond `std::io::Read`, so the vault can use it as it is.

use sha2::{Digest, Sha256};
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::time::Day;

use crate::store::{ExportRow, StoredRecord};

/// File magic.
pub const MAGIC: &[u8; 8] = b"SPUREXP\0";
/// Format version.
pub const FORMAT_VERSION: u8 = 1;
/// Frame tag of a record.
pub const TAG_RECORD: u8 = 0x01;
/// Frame tag of a tombstone.
pub const TAG_TOMBSTONE: u8 = 0x02;
/// Frame tag of the end frame.
pub const TAG_END: u8 = 0xFF;
/// Largest body a frame may carry (the largest record kind is far below).
pub const MAX_BODY: u32 = 1 << 16;

/// Writes an export file frame by frame into byte chunks (for streaming).
#[derive(Default)]
pub struct Encoder {
    hash: Sha256,
    frames: u64,
}

impl Encoder {
    /// A new encoder.
    pub fn new() -> Self {
        Self::default()
    }

    fn emit(&mut self, bytes: Vec<u8>) -> Vec<u8> {
        self.hash.update(&bytes);
        bytes
    }

    /// The file header.
    pub fn header(&mut self) -> Vec<u8> {
        let mut v = MAGIC.to_vec();
        v.push(FORMAT_VERSION);
        self.emit(v)
    }

    /// One row as a record or tombstone frame.
    pub fn row(&mut self, row: &ExportRow) -> Vec<u8> {
        let r = &row.record;
        let key_len = u8::try_from(r.key.len()).unwrap_or(u8::MAX);
        let key = r.key.get(..usize::from(key_len)).unwrap_or(&r.key);
        let mut v = Vec::with_capacity(48 + key.len() + r.body.len());
        if r.kind == RecordKind::RegistrationDelete {
            v.push(TAG_TOMBSTONE);
            v.extend_from_slice(&row.day.0.to_be_bytes());
            v.push(r.kind as u8);
            v.push(key_len);
            v.extend_from_slice(key);
            v.extend_from_slice(&r.id);
        } else {
            v.push(TAG_RECORD);
            v.extend_from_slice(&row.day.0.to_be_bytes());
            v.push(r.kind as u8);
            v.push(VERSION);
            v.push(key_len);
            v.extend_from_slice(key);
            v.extend_from_slice(&r.id);
            let body_len = u32::try_from(r.body.len()).unwrap_or(u32::MAX);
            v.extend_from_slice(&body_len.to_be_bytes());
            v.extend_from_slice(&r.body);
        }
        self.frames += 1;
        self.emit(v)
    }

    /// The end frame: whether more pages follow, the cursor for the next pull, the frame count
    /// and the digest.
    pub fn end(&mut self, more: bool, cursor: &str) -> Vec<u8> {
        let c = cursor.as_bytes();
        let c_len = u16::try_from(c.len()).unwrap_or(u16::MAX);
        let mut v = vec![TAG_END, u8::from(more)];
        v.extend_from_slice(&c_len.to_be_bytes());
        v.extend_from_slice(c.get(..usize::from(c_len)).unwrap_or(c));
        v.extend_from_slice(&self.frames.to_be_bytes());
        self.hash.update(&v);
        let d = self.hash.clone().finalize();
        v.extend_from_slice(&d);
        v
    }
}

/// One frame read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A record or a tombstone.
    Row(ExportRow),
    /// The end: `more` pages follow (pull again with `cursor` at once), or none for now.
    End {
        /// Whether the server has more rows right now.
        more: bool,
        /// The cursor for the next pull.
        cursor: String,
    },
}

/// Why an export file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// Not an export file, or a version this build cannot read.
    #[error("not a spur export file of format version {FORMAT_VERSION}")]
    BadHeader,
    /// The file ends before its end frame: the transfer was cut; pull the same cursor again.
    #[error("the export file is incomplete (cut off before its end frame)")]
    Truncated,
    /// A frame breaks the format.
    #[error("the export file is corrupt: {0}")]
    Corrupt(&'static str),
    /// The end frame's count or digest does not match the frames.
    #[error("the export file does not match its end frame (altered or incomplete)")]
    Mismatch,
}

/// Reads and checks a whole export file held in memory; returns its rows, `more` and the cursor.
/// Nothing is returned unless the end frame's count and digest check out.
pub fn read_all(bytes: &[u8]) -> Result<(Vec<ExportRow>, bool, String), FormatError> {
    let mut r = Reader { bytes, pos: 0 };
    let head = r
        .take(MAGIC.len() + 1)
        .map_err(|_| FormatError::BadHeader)?;
    if head.get(..8) != Some(MAGIC.as_slice()) || head.get(8) != Some(&FORMAT_VERSION) {
        return Err(FormatError::BadHeader);
    }
    let mut hash = Sha256::new();
    hash.update(head);
    let mut rows = Vec::new();
    loop {
        let start = r.pos;
        let tag = r.u8()?;
        if tag == TAG_END {
            let more = r.u8()? == 1;
            let c_len = usize::from(r.u16()?);
            let cursor = std::str::from_utf8(r.take(c_len)?)
                .map_err(|_| FormatError::Corrupt("cursor is not text"))?
                .to_owned();
            let frames = r.u64()?;
            let end_frame = bytes.get(start..r.pos).ok_or(FormatError::Truncated)?;
            hash.update(end_frame);
            let digest = r.take(32)?;
            if frames != rows.len() as u64
                || digest != hash.clone().finalize().as_slice()
                || r.pos != bytes.len()
            {
                return Err(FormatError::Mismatch);
            }
            return Ok((rows, more, cursor));
        }
        let day = Day(r.u32()?);
        let kind = RecordKind::from_byte(r.u8()?).map_err(|_| FormatError::Corrupt("kind"))?;
        let row = match tag {
            TAG_RECORD => {
                if r.u8()? != VERSION {
                    return Err(FormatError::Corrupt("record version"));
                }
                let key = r.bytes_u8()?;
                let id = r.id()?;
                let body_len = r.u32()?;
                if body_len > MAX_BODY {
                    return Err(FormatError::Corrupt("body length"));
                }
                let body = r.take(body_len as usize)?.to_vec();
                StoredRecord {
                    kind,
                    key,
                    id,
                    body,
                }
            }
            TAG_TOMBSTONE if kind == RecordKind::RegistrationDelete => {
                let key = r.bytes_u8()?;
                let id = r.id()?;
                StoredRecord {
                    kind,
                    key,
                    id,
                    body: Vec::new(),
                }
            }
            _ => return Err(FormatError::Corrupt("frame tag")),
        };
        hash.update(bytes.get(start..r.pos).ok_or(FormatError::Truncated)?);
        rows.push(ExportRow { day, record: row });
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        let end = self.pos.checked_add(n).ok_or(FormatError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(FormatError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, FormatError> {
        self.take(1)?.first().copied().ok_or(FormatError::Truncated)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        self.take(N)?.try_into().map_err(|_| FormatError::Truncated)
    }
    fn u16(&mut self) -> Result<u16, FormatError> {
        Ok(u16::from_be_bytes(self.arr()?))
    }
    fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_be_bytes(self.arr()?))
    }
    fn u64(&mut self) -> Result<u64, FormatError> {
        Ok(u64::from_be_bytes(self.arr()?))
    }
    fn id(&mut self) -> Result<[u8; 32], FormatError> {
        self.arr()
    }
    fn bytes_u8(&mut self) -> Result<Vec<u8>, FormatError> {
        let n = usize::from(self.u8()?);
        Ok(self.take(n)?.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<ExportRow> {
        vec![
            ExportRow {
                day: Day(20000),
                record: StoredRecord {
                    kind: RecordKind::SlotEntry,
                    key: vec![1; 32],
                    id: [1; 32],
                    body: vec![7; 179],
                },
            },
            ExportRow {
                day: Day(20001),
                record: StoredRecord {
                    kind: RecordKind::RegistrationDelete,
                    key: vec![2; 32],
                    id: [3; 32],
                    body: vec![],
                },
            },
        ]
    }

    fn file(rows: &[ExportRow]) -> Vec<u8> {
        let mut e = Encoder::new();
        let mut out = e.header();
        for r in rows {
            out.extend(e.row(r));
        }
        out.extend(e.end(true, "abc"));
        out
    }

    #[test]
    fn round_trip() {
        let rows = sample();
        let (back, more, cursor) = read_all(&file(&rows)).unwrap();
        assert_eq!(back, rows);
        assert!(more);
        assert_eq!(cursor, "abc");
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused() {
        let f = file(&sample());
        for cut in 0..f.len() {
            assert!(read_all(&f[..cut]).is_err(), "cut at {cut} accepted");
        }
        for i in 0..f.len() {
            let mut g = f.clone();
            g[i] ^= 0x40;
            assert!(read_all(&g).is_err(), "flip at {i} accepted");
        }
    }
}
