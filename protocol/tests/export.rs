//! The export file codec: the server's bytes, byte for byte as before the codec moved here, and
//! every cut, flipped byte, garbage or forged row refused with its typed error.

use spur_protocol::crypto::{sha256, SEAL_OVERHEAD};
use spur_protocol::export::{encode, parse, record_id, Encoder, ExportError, ExportRow};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;

/// A slot entry, a place record and a registration tombstone, each with a valid id.
fn rows() -> Vec<ExportRow> {
    let sbody: Vec<u8> = (0..RecordKind::SlotEntry.body_len() + SEAL_OVERHEAD)
        .map(|i| i as u8)
        .collect();
    let sid = record_id(RecordKind::SlotEntry, &[], &sbody);
    let pkey = [9u8; 16];
    let pbody: Vec<u8> = (0..RecordKind::Place.body_len() + SEAL_OVERHEAD)
        .map(|i| (i * 7) as u8)
        .collect();
    let handle = [2u8; 32];
    vec![
        ExportRow {
            day: Day(20_000),
            kind: RecordKind::SlotEntry,
            key: sid.to_vec(),
            id: sid,
            body: sbody,
        },
        ExportRow {
            day: Day(20_000),
            kind: RecordKind::Place,
            key: pkey.to_vec(),
            id: record_id(RecordKind::Place, &pkey, &pbody),
            body: pbody,
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
fn the_bytes_are_those_the_server_and_vault_wrote_before_the_codec_moved() {
    // Length and SHA-256 of this file as written by the server's old encoder and the vault's old
    // `encode` (both printed the same figures on the commit before this one).
    let f = encode(&rows(), true, "abc");
    assert_eq!(f.len(), 805);
    assert_eq!(
        data_encoding::HEXLOWER.encode(&sha256(&[&f])),
        "fa7d042bf73bffe9f94221637cad645b2a6813b23dfe9f8f33317a07c63875fc"
    );
}

#[test]
fn the_streaming_encoder_writes_what_encode_writes() {
    let rows = rows();
    let mut e = Encoder::new();
    let mut f = e.header();
    for r in &rows {
        f.extend(e.row(r.frame()));
    }
    f.extend(e.end(false, "next"));
    assert_eq!(f, encode(&rows, false, "next"));
}

#[test]
fn round_trip() {
    let f = encode(&rows(), true, "abc");
    let back = parse(&f).unwrap();
    assert_eq!(back.rows, rows());
    assert!(back.more);
    assert_eq!(back.cursor, "abc");
    assert_eq!(back.digest, sha256(&[&f]));
    let empty = parse(&encode(&[], false, "")).unwrap();
    assert!(empty.rows.is_empty() && !empty.more && empty.cursor.is_empty());
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
fn each_refusal_has_its_own_error() {
    let f = encode(&rows(), false, "c");
    assert_eq!(parse(&f[..5]), Err(ExportError::NotExport));
    assert_eq!(parse(&f[..f.len() - 1]), Err(ExportError::Truncated));
    assert_eq!(parse(&[0x5A; 4096]), Err(ExportError::BadMagic));
    let mut v = f.clone();
    v[8] = 3;
    assert_eq!(parse(&v), Err(ExportError::UnsupportedVersion));
    let mut v = f.clone();
    v[9] = 0x07;
    assert_eq!(parse(&v), Err(ExportError::UnknownFrame));
    let mut v = f.clone();
    v[14] = 0xEE;
    assert_eq!(parse(&v), Err(ExportError::UnknownKind));
    let mut v = f.clone();
    v[15] ^= 0xFF;
    assert_eq!(parse(&v), Err(ExportError::RecordVersion));
    let mut v = f.clone();
    v.push(0);
    assert_eq!(parse(&v), Err(ExportError::TrailingBytes));
    let mut v = f.clone();
    let last = v.len() - 1;
    v[last] ^= 1;
    assert_eq!(parse(&v), Err(ExportError::Mismatch));
    // The end frame of an empty file: magic, version, then 0xFF, more, cursor_len (0), frames.
    let mut v = encode(&[], false, "");
    v[10] = 2;
    assert_eq!(parse(&v), Err(ExportError::BadEndFrame));
    assert_eq!(
        ExportError::Truncated.to_string(),
        "the file is incomplete (cut off before its end frame)"
    );
}

#[test]
fn a_row_that_does_not_fit_its_kind_is_refused_even_with_a_fresh_digest() {
    let mut r = rows();
    r[0].body[5] ^= 1;
    assert_eq!(parse(&encode(&r, false, "")), Err(ExportError::IdMismatch));
    let mut r = rows();
    r[1].key.push(0);
    assert_eq!(parse(&encode(&r, false, "")), Err(ExportError::KeyLength));
    let mut r = rows();
    r[1].body.pop();
    assert_eq!(parse(&encode(&r, false, "")), Err(ExportError::BodySize));
    let mut r = rows();
    r[0].body = vec![0; (1 << 16) + 1];
    assert_eq!(parse(&encode(&r, false, "")), Err(ExportError::BodyLength));
    // A cursor that is not text, with a digest made fresh over it.
    let bad: Vec<u8> = {
        let mut g = encode(&[], false, "ab");
        g.truncate(g.len() - 32 - 8 - 2);
        g.extend_from_slice(&[0xFF, 0xFE]);
        g.extend_from_slice(&0u64.to_be_bytes());
        let d = sha256(&[&g]);
        g.extend_from_slice(&d);
        g
    };
    assert_eq!(parse(&bad), Err(ExportError::CursorNotText));
}

#[test]
fn a_signed_file_verifies_and_any_row_change_with_count_and_digest_recomputed_does_not() {
    use spur_protocol::export::encode_signed;
    use spur_protocol::keys::SignSecretKey;
    let key = std::sync::Arc::new(SignSecretKey::from_bytes([4u8; 32]));
    let other = std::sync::Arc::new(SignSecretKey::from_bytes([5u8; 32]));
    let signed = encode_signed(key.clone(), &rows(), false, "c");
    let f = parse(&signed).unwrap();
    assert_eq!(f.rows, rows());
    f.verify_signer(&key.public()).unwrap();
    assert_eq!(
        f.verify_signer(&other.public()),
        Err(ExportError::BadSignature)
    );
    // Unsigned (version 1) parses, but is refused by a signer check.
    let plain = parse(&encode(&rows(), false, "c")).unwrap();
    assert_eq!(
        plain.verify_signer(&key.public()),
        Err(ExportError::Unsigned)
    );
    // A row removed, count and digest recomputed, the old signature kept: does not verify.
    let mut fewer = rows();
    fewer.pop();
    let resealed = encode_signed(other.clone(), &fewer, false, "c");
    let mut forged = resealed[..resealed.len() - 64].to_vec();
    forged.extend_from_slice(&signed[signed.len() - 64..]);
    let g = parse(&forged).unwrap();
    assert_eq!(
        g.verify_signer(&key.public()),
        Err(ExportError::BadSignature)
    );
    // Every flipped byte of a signed file is refused by the parser or the signature.
    for i in 0..signed.len() {
        let mut t = signed.clone();
        t[i] ^= 1;
        if let Ok(f) = parse(&t) {
            assert!(f.verify_signer(&key.public()).is_err(), "byte {i}");
        }
    }
}
