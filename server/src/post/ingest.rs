//! Turns request bodies into store writes: checks version, kind and exact size of every record
//! (through `spur_protocol::record::check_wire`) before anything is stored. Pure, no I/O.

use spur_protocol::record::{check_wire, RecordKind, WireRecord, HEADER_LEN, VERSION};

use crate::error::ApiError;
use crate::store::{StoredRecord, Write};
use spur_wire::api::error::ErrorCode;

/// Most records one visit upload may hold: 48 slot entries of a 24-hour stay, their 6 user entries
/// and room to spare.
pub const MAX_VISIT_RECORDS: usize = 64;

/// The registration handle the server keeps instead of the secret (one definition, in protocol).
pub use spur_protocol::usr::registration_handle;

/// The record id, defined beside the export parser that checks it (one definition for both).
pub use spur_protocol::export::record_id;

fn expect_kind(rec: &WireRecord<'_>, allowed: &[RecordKind]) -> Result<(), ApiError> {
    if allowed.contains(&rec.kind) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|k| k.name()).collect();
    Err(ApiError::bad_request(
        ErrorCode::WrongKind,
        format!(
            "this endpoint takes {} records, not {}",
            names.join(" or "),
            rec.kind.name()
        ),
    ))
}

fn content_addressed(rec: &WireRecord<'_>) -> StoredRecord {
    let id = record_id(rec.kind, &[], rec.sealed);
    StoredRecord {
        kind: rec.kind,
        key: id.to_vec(),
        id,
        body: rec.sealed.to_vec(),
    }
}

/// A registration put/refresh or delete body: one record of kind `Registration` or
/// `RegistrationDelete`. The secret is hashed to the handle here and goes no further.
pub fn registration(body: &[u8]) -> Result<Write, ApiError> {
    let rec = check_wire(body)?;
    expect_kind(
        &rec,
        &[RecordKind::Registration, RecordKind::RegistrationDelete],
    )?;
    let handle = registration_handle(rec.clear);
    let id = record_id(rec.kind, &handle, rec.sealed);
    let stored = StoredRecord {
        kind: rec.kind,
        key: handle.to_vec(),
        id,
        body: rec.sealed.to_vec(),
    };
    Ok(if rec.kind == RecordKind::Registration {
        Write::Replace(stored)
    } else {
        Write::Tombstone(stored)
    })
}

/// A place or personal-code record, stored once under its QR id: uploading it again changes
/// nothing (its 28 days keep running from the first upload); another record is `key_taken`.
pub fn code(body: &[u8]) -> Result<Write, ApiError> {
    let rec = check_wire(body)?;
    expect_kind(&rec, &[RecordKind::Place, RecordKind::Personal])?;
    // A personal record's PIN check (the rest of its clear part) is not stored here: `pin.rs`
    // keeps it peppered, apart from the record.
    Ok(Write::Insert(StoredRecord {
        kind: rec.kind,
        key: rec.qr_id().to_vec(),
        id: record_id(rec.kind, rec.qr_id(), rec.sealed),
        body: rec.sealed.to_vec(),
    }))
}

/// A consent release.
pub fn consent_release(body: &[u8]) -> Result<Write, ApiError> {
    let rec = check_wire(body)?;
    expect_kind(&rec, &[RecordKind::ConsentRelease])?;
    Ok(Write::Insert(content_addressed(&rec)))
}

/// A visit upload: one or more slot entries and user entries, concatenated. Every record is
/// checked before any write is produced, so a bad one refuses the whole body.
pub fn visit(body: &[u8]) -> Result<Vec<Write>, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request(
            ErrorCode::Malformed,
            "the body is empty; a visit upload holds one or more slot or user entries",
        ));
    }
    let mut writes = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        if writes.len() == MAX_VISIT_RECORDS {
            return Err(ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::TooManyRecords,
                format!("a visit upload holds at most {MAX_VISIT_RECORDS} records"),
            ));
        }
        let len = match (rest.first(), rest.get(1)) {
            (Some(&v), Some(&k)) if v == VERSION => RecordKind::from_byte(k)?.wire_len(),
            // Let check_wire word the error (truncated header or wrong version).
            _ => rest.len().max(HEADER_LEN),
        };
        let (one, tail) = rest.split_at(len.min(rest.len()));
        let rec = check_wire(one).map_err(|e| {
            let mut err = ApiError::from(e);
            err.message = format!("record {} of the body: {}", writes.len() + 1, err.message);
            err
        })?;
        expect_kind(&rec, &[RecordKind::SlotEntry, RecordKind::UserEntry])?;
        writes.push(Write::Insert(content_addressed(&rec)));
        rest = tail;
    }
    Ok(writes)
}

/// How many records a body holds, for the per-client upload budget: records are walked by their
/// headers; whatever cannot be walked counts as one more (the parser refuses it anyway).
pub fn count_records(body: &[u8]) -> u32 {
    let mut n: u32 = 0;
    let mut rest = body;
    while !rest.is_empty() {
        n = n.saturating_add(1);
        let len = match (rest.first(), rest.get(1)) {
            (Some(&v), Some(&k)) if v == VERSION => match RecordKind::from_byte(k) {
                Ok(kind) => kind.wire_len(),
                Err(_) => break,
            },
            _ => break,
        };
        rest = rest.get(len..).unwrap_or(&[]);
    }
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: RecordKind, fill: u8) -> Vec<u8> {
        let mut v = vec![fill; kind.wire_len()];
        v[0] = VERSION;
        v[1] = kind as u8;
        v
    }

    #[test]
    fn visit_accepts_mixed_entries_and_refuses_any_bad_one() {
        let mut body = rec(RecordKind::SlotEntry, 1);
        body.extend(rec(RecordKind::SlotEntry, 2));
        body.extend(rec(RecordKind::UserEntry, 3));
        assert_eq!(visit(&body).unwrap().len(), 3);

        let mut bad = body.clone();
        bad.extend(rec(RecordKind::Place, 4));
        assert_eq!(visit(&bad).unwrap_err().code, "wrong_kind");

        let mut short = body.clone();
        short.pop();
        assert_eq!(visit(&short).unwrap_err().code, "wrong_size");

        let mut v2 = body.clone();
        v2[0] = 2;
        assert_eq!(visit(&v2).unwrap_err().code, "unsupported_version");
        assert_eq!(visit(&[1]).unwrap_err().code, "malformed");
        assert_eq!(visit(&[]).unwrap_err().code, "malformed");
        assert_eq!(visit(&[1, 77, 0]).unwrap_err().code, "unknown_kind");
    }

    #[test]
    fn records_are_counted_for_the_budget() {
        let mut body = rec(RecordKind::SlotEntry, 1);
        assert_eq!(count_records(&body), 1);
        body.extend(rec(RecordKind::SlotEntry, 2));
        body.extend(rec(RecordKind::UserEntry, 3));
        assert_eq!(count_records(&body), 3);
        assert_eq!(count_records(&[]), 1);
        assert_eq!(count_records(&[9, 9, 9]), 1);
        body.extend([1, 77]);
        assert_eq!(count_records(&body), 4);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = rec(RecordKind::SlotEntry, 1);
        let b = rec(RecordKind::SlotEntry, 2);
        let wa = visit(&a).unwrap();
        assert_eq!(wa, visit(&a).unwrap());
        assert_ne!(wa, visit(&b).unwrap());
    }

    #[test]
    fn registration_keeps_the_handle_not_the_secret() {
        let mut r = rec(RecordKind::Registration, 9);
        r[2..34].fill(0xAA);
        let Write::Replace(s) = registration(&r).unwrap() else {
            panic!("a registration put is a replace")
        };
        assert_eq!(s.key, registration_handle(&[0xAA; 32]).to_vec());
        assert!(!s.body.contains(&0xAA) && !s.key.windows(4).any(|w| w == [0xAA; 4]));
        let mut d = rec(RecordKind::RegistrationDelete, 9);
        d[2..34].fill(0xAA);
        let Write::Tombstone(t) = registration(&d).unwrap() else {
            panic!("a registration delete is a tombstone")
        };
        assert_eq!(t.key, s.key);
        assert!(t.body.is_empty());
        assert_eq!(
            registration(&rec(RecordKind::Place, 1)).unwrap_err().code,
            "wrong_kind"
        );
    }
}
