//! The POST server's export file, written by the server and read by the vault offline: one codec.
//!
//! ```text
//! file      = magic "SPUREXP\0" (8) || format version u8 (1 or 2) || frame* || end
//! record    = 0x01 || day u32 || kind u8 || record version u8 || key_len u8 || key
//!                  || id (32) || body_len u32 || body (OP-sealed part)
//! tombstone = 0x02 || day u32 || kind u8 (= 2) || key_len u8 || key (registration handle)
//!                  || id (32)
//! end       = 0xFF || more u8 (0|1) || cursor_len u16 || cursor (ASCII) || frames u64
//!                  || sha256 (32) over every byte of the file before these 32
//!                  [ || signature (64) ]  version 2 only
//! ```
//! Version 2 (signed): the signature is Ed25519 under the POST server's export key, label
//! `spur/v1/sign/export`, over the 32-byte digest. The vault pins that key once and then refuses
//! unsigned files and files whose signature does not verify, so a row added, removed or altered in
//! transit — count and digest recomputed — is caught ([`ExportFile::verify_signer`]).
//! Integers are big-endian; frames come in (day, kind, key) order (`docs/server.md`, "File
//! format"). The parser checks every byte before it returns anything: magic, version, frames, the
//! end frame's count and digest, and each row's key length, body size and record id, so a file
//! that fails any check is refused whole. No I/O: the server streams the encoder's chunks, the
//! vault parses bytes it has read.

use sha2::{Digest, Sha256};

use crate::crypto::{sha256, SEAL_OVERHEAD};
use crate::keys::{SignPublicKey, SignSecretKey};
use crate::record::{RecordKind, VERSION};
use crate::time::Day;

/// File magic.
pub const MAGIC: &[u8; 8] = b"SPUREXP\0";
/// The unsigned format version (still read; refused by a vault that pinned the server's key).
pub const FORMAT_VERSION: u8 = 1;
/// The signed format version.
pub const FORMAT_SIGNED: u8 = 2;
/// Domain label of the export signature.
pub use crate::labels::SIGN_EXPORT;
/// Frame tag of a record.
pub const TAG_RECORD: u8 = 0x01;
/// Frame tag of a registration tombstone.
pub const TAG_TOMBSTONE: u8 = 0x02;
/// Frame tag of the end frame.
pub const TAG_END: u8 = 0xFF;
/// Largest body a frame may carry (the largest record kind is far below).
pub const MAX_BODY: u32 = 1 << 16;

/// One row of an export: a record (OP-sealed body) or a registration tombstone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// Upload day (retention counts from it).
    pub day: Day,
    /// Record kind (`RegistrationDelete` for a tombstone).
    pub kind: RecordKind,
    /// Lookup key: registration handle, QR id, or the record id for content-addressed kinds.
    pub key: Vec<u8>,
    /// Record id: see [`record_id`] (checked on reading).
    pub id: [u8; 32],
    /// The OP-sealed body (empty for a tombstone).
    pub body: Vec<u8>,
}

impl ExportRow {
    /// The row as a borrowed frame for [`Encoder::row`].
    pub fn frame(&self) -> RowRef<'_> {
        RowRef {
            day: self.day,
            kind: self.kind,
            key: &self.key,
            id: &self.id,
            body: &self.body,
        }
    }
}

/// A row borrowed from wherever it is kept (the server's store rows), so the encoder copies
/// nothing it does not write.
#[derive(Clone, Copy, Debug)]
pub struct RowRef<'a> {
    /// Upload day.
    pub day: Day,
    /// Record kind (`RegistrationDelete` makes a tombstone frame).
    pub kind: RecordKind,
    /// Lookup key.
    pub key: &'a [u8],
    /// Record id.
    pub id: &'a [u8; 32],
    /// The OP-sealed body (ignored for a tombstone).
    pub body: &'a [u8],
}

/// A whole, checked export file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Its rows in file order.
    pub rows: Vec<ExportRow>,
    /// Whether the server had more rows (pull again with the cursor at once).
    pub more: bool,
    /// The cursor for the next pull.
    pub cursor: String,
    /// SHA-256 of the whole file: a file already imported is recognised by it.
    pub digest: [u8; 32],
    /// The end frame's digest (what the signature covers).
    pub end_digest: [u8; 32],
    /// The POST server's signature (version 2), `None` for an unsigned file.
    pub signature: Option<[u8; 64]>,
}

impl ExportFile {
    /// Checks the file was signed by the POST server whose export key is `key`.
    pub fn verify_signer(&self, key: &SignPublicKey) -> Result<(), ExportError> {
        let sig = self.signature.ok_or(ExportError::Unsigned)?;
        key.verify(SIGN_EXPORT, &self.end_digest, &sig, "export file")
            .map_err(|_| ExportError::BadSignature)
    }
}

/// The record id as the POST server computes it: SHA-256 over kind, the stored key part and the
/// sealed body. A hash of random-looking ciphertext, so ids reveal no order; the same upload
/// always has the same id, which makes uploads idempotent.
pub fn record_id(kind: RecordKind, key_part: &[u8], body: &[u8]) -> [u8; 32] {
    sha256(&[
        crate::labels::RECORD_ID.as_bytes(),
        &[kind as u8],
        key_part,
        body,
    ])
}

/// Whether a kind's key goes into its record id (registration handle, QR id); the other kinds are
/// content-addressed and their key is the id itself.
pub fn key_in_id(kind: RecordKind) -> bool {
    match kind {
        RecordKind::Registration
        | RecordKind::RegistrationDelete
        | RecordKind::Place
        | RecordKind::Personal => true,
        RecordKind::SlotEntry | RecordKind::UserEntry | RecordKind::ConsentRelease => false,
    }
}

/// The key length a kind's rows must have.
fn key_len(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Place | RecordKind::Personal => 16,
        _ => 32,
    }
}

/// Why an export file was refused. The texts are what the vault shows the operator.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    /// Shorter than the header.
    #[error("not a spur export file")]
    NotExport,
    /// The magic is wrong.
    #[error("not a spur export file (bad magic)")]
    BadMagic,
    /// A format version this build cannot read.
    #[error("export format version not supported by this build")]
    UnsupportedVersion,
    /// The file ends before its end frame: the transfer was cut; pull the same cursor again.
    #[error("the file is incomplete (cut off before its end frame)")]
    Truncated,
    /// A frame tag that is not a record, a tombstone or the end.
    #[error("unknown frame")]
    UnknownFrame,
    /// A kind byte no record kind has.
    #[error("unknown record kind")]
    UnknownKind,
    /// A record of a version this build cannot read.
    #[error("record version not supported")]
    RecordVersion,
    /// A body length above [`MAX_BODY`].
    #[error("a body length is out of range")]
    BodyLength,
    /// The end frame's `more` byte is neither 0 nor 1.
    #[error("bad end frame")]
    BadEndFrame,
    /// The cursor is not UTF-8 text.
    #[error("the cursor is not text")]
    CursorNotText,
    /// Bytes follow the end frame's digest.
    #[error("bytes after the end frame")]
    TrailingBytes,
    /// The end frame's count or digest does not match the frames.
    #[error("the file does not match its end frame (altered or incomplete)")]
    Mismatch,
    /// A key whose length does not fit its kind.
    #[error("a key has the wrong length for its kind")]
    KeyLength,
    /// A body whose size does not fit its kind.
    #[error("a record body has the wrong size for its kind")]
    BodySize,
    /// A record id that is not the hash of the row's content.
    #[error("a record id does not match its content")]
    IdMismatch,
    /// The vault pinned the POST server's export key and the file carries no signature.
    #[error("the file is not signed by the POST server (unsigned export)")]
    Unsigned,
    /// The signature does not verify under the pinned key: rows were added, removed or altered
    /// in transit, or another server made the file.
    #[error("the POST server's signature does not verify (rows added, removed or altered, or another server's file)")]
    BadSignature,
}

/// Writes an export file frame by frame into byte chunks, so the server can stream a page
/// without holding it.
#[derive(Default)]
pub struct Encoder {
    hash: Sha256,
    frames: u64,
    signer: Option<std::sync::Arc<SignSecretKey>>,
}

impl Encoder {
    /// A new encoder of unsigned files.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new encoder of files signed with the POST server's export key (format version 2).
    pub fn signed(key: std::sync::Arc<SignSecretKey>) -> Self {
        Self {
            signer: Some(key),
            ..Self::default()
        }
    }

    fn emit(&mut self, bytes: Vec<u8>) -> Vec<u8> {
        self.hash.update(&bytes);
        bytes
    }

    /// The file header.
    pub fn header(&mut self) -> Vec<u8> {
        let mut v = MAGIC.to_vec();
        v.push(if self.signer.is_some() {
            FORMAT_SIGNED
        } else {
            FORMAT_VERSION
        });
        self.emit(v)
    }

    /// One row as a record or tombstone frame.
    pub fn row(&mut self, row: RowRef<'_>) -> Vec<u8> {
        // Lengths that do not fit their field are cut, never panicked on; the parser then
        // refuses the file, and no stored row comes near these bounds.
        let key_len = u8::try_from(row.key.len()).unwrap_or(u8::MAX);
        let key = row.key.get(..usize::from(key_len)).unwrap_or(row.key);
        let tombstone = row.kind == RecordKind::RegistrationDelete;
        let mut v = Vec::with_capacity(48 + key.len() + row.body.len());
        v.push(if tombstone { TAG_TOMBSTONE } else { TAG_RECORD });
        v.extend_from_slice(&row.day.0.to_be_bytes());
        v.push(row.kind as u8);
        if !tombstone {
            v.push(VERSION);
        }
        v.push(key_len);
        v.extend_from_slice(key);
        v.extend_from_slice(row.id);
        if !tombstone {
            let body_len = u32::try_from(row.body.len()).unwrap_or(u32::MAX);
            v.extend_from_slice(&body_len.to_be_bytes());
            v.extend_from_slice(row.body);
        }
        self.frames += 1;
        self.emit(v)
    }

    /// The end frame: whether more pages follow, the cursor for the next pull, the frame count
    /// and the digest over everything written before the digest.
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
        if let Some(k) = &self.signer {
            v.extend_from_slice(&k.sign(SIGN_EXPORT, &d));
        }
        v
    }
}

/// A whole export file in memory (tests, benchmarks and the demo, which have no server at hand).
pub fn encode(rows: &[ExportRow], more: bool, cursor: &str) -> Vec<u8> {
    encode_with(Encoder::new(), rows, more, cursor)
}

/// A whole signed export file in memory.
pub fn encode_signed(
    key: std::sync::Arc<SignSecretKey>,
    rows: &[ExportRow],
    more: bool,
    cursor: &str,
) -> Vec<u8> {
    encode_with(Encoder::signed(key), rows, more, cursor)
}

fn encode_with(mut e: Encoder, rows: &[ExportRow], more: bool, cursor: &str) -> Vec<u8> {
    let mut v = e.header();
    for row in rows {
        v.extend(e.row(row.frame()));
    }
    v.extend(e.end(more, cursor));
    v
}

/// Checks a row's key length, body size and record id against its kind.
fn check_row(row: &ExportRow) -> Result<(), ExportError> {
    if row.key.len() != key_len(row.kind) {
        return Err(ExportError::KeyLength);
    }
    let expected_body = match row.kind {
        RecordKind::RegistrationDelete => 0,
        k => k.body_len() + SEAL_OVERHEAD,
    };
    if row.body.len() != expected_body {
        return Err(ExportError::BodySize);
    }
    let in_id = key_in_id(row.kind);
    let id = record_id(row.kind, if in_id { &row.key } else { &[] }, &row.body);
    if id != row.id || (!in_id && row.key != id) {
        return Err(ExportError::IdMismatch);
    }
    Ok(())
}

/// Parses and checks a whole export file. Nothing is returned unless every check passes.
pub fn parse(bytes: &[u8]) -> Result<ExportFile, ExportError> {
    let mut r = Reader { bytes, pos: 0 };
    let head = r
        .take(MAGIC.len() + 1)
        .map_err(|_| ExportError::NotExport)?;
    if head.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(ExportError::BadMagic);
    }
    let signed = match head.get(MAGIC.len()) {
        Some(&FORMAT_VERSION) => false,
        Some(&FORMAT_SIGNED) => true,
        _ => return Err(ExportError::UnsupportedVersion),
    };
    let mut rows = Vec::new();
    loop {
        let tag = r.u8()?;
        if tag == TAG_END {
            let more = match r.u8()? {
                0 => false,
                1 => true,
                _ => return Err(ExportError::BadEndFrame),
            };
            let c_len = usize::from(r.u16()?);
            let cursor = std::str::from_utf8(r.take(c_len)?)
                .map_err(|_| ExportError::CursorNotText)?
                .to_owned();
            let frames = r.u64()?;
            let hashed = bytes.get(..r.pos).ok_or(ExportError::Truncated)?;
            let digest: [u8; 32] = r.arr()?;
            let signature = if signed { Some(r.arr::<64>()?) } else { None };
            if r.pos != bytes.len() {
                return Err(ExportError::TrailingBytes);
            }
            if frames != rows.len() as u64 || digest != sha256(&[hashed]) {
                return Err(ExportError::Mismatch);
            }
            return Ok(ExportFile {
                rows,
                more,
                cursor,
                digest: sha256(&[bytes]),
                end_digest: digest,
                signature,
            });
        }
        let day = Day(r.u32()?);
        let kind = RecordKind::from_byte(r.u8()?).map_err(|_| ExportError::UnknownKind)?;
        let row = match tag {
            TAG_RECORD if kind != RecordKind::RegistrationDelete => {
                if r.u8()? != VERSION {
                    return Err(ExportError::RecordVersion);
                }
                let key = r.bytes_u8()?;
                let id = r.arr()?;
                let body_len = r.u32()?;
                if body_len > MAX_BODY {
                    return Err(ExportError::BodyLength);
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
                let id = r.arr()?;
                ExportRow {
                    day,
                    kind,
                    key,
                    id,
                    body: Vec::new(),
                }
            }
            _ => return Err(ExportError::UnknownFrame),
        };
        check_row(&row)?;
        rows.push(row);
    }
}

/// A cursor over the file's bytes; running past the end is [`ExportError::Truncated`].
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ExportError> {
        let end = self.pos.checked_add(n).ok_or(ExportError::Truncated)?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(ExportError::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], ExportError> {
        self.take(N)?.try_into().map_err(|_| ExportError::Truncated)
    }
    fn u8(&mut self) -> Result<u8, ExportError> {
        Ok(u8::from_be_bytes(self.arr()?))
    }
    fn u16(&mut self) -> Result<u16, ExportError> {
        Ok(u16::from_be_bytes(self.arr()?))
    }
    fn u32(&mut self) -> Result<u32, ExportError> {
        Ok(u32::from_be_bytes(self.arr()?))
    }
    fn u64(&mut self) -> Result<u64, ExportError> {
        Ok(u64::from_be_bytes(self.arr()?))
    }
    fn bytes_u8(&mut self) -> Result<Vec<u8>, ExportError> {
        let n = usize::from(self.u8()?);
        Ok(self.take(n)?.to_vec())
    }
}
