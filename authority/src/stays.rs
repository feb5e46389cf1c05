//! From opened visits to a case's stays, and from stays to the files for the vault: segments of
//! one visit (same code and times) become one stay with its SCAN keys by slot; the SCAN-key file
//! and the request for the visited codes' records are made from the stays. Shared by the consent
//! package, relayed user entries and card traces.

use std::collections::{BTreeMap, BTreeSet};

use spur_protocol::fields::Region;
use spur_protocol::record::visit::{CodeKind, VisitSegment};
use spur_wire::exchange::Hex;
use spur_wire::exchange::{ResolveRequest, ScanKeyFile, ScanStay, SealedRef};

use crate::case::Stay;

/// A stay with its SCAN keys by slot.
pub type StayKeys = (Stay, BTreeMap<u32, Hex>);

/// Groups opened segments into stays, numbered from `first_number` on, in the order first seen.
/// Segments of a stay already in `known` (same code and times) are left out.
pub fn group(segments: &[VisitSegment], first_number: u32, known: &[Stay]) -> Vec<StayKeys> {
    let mut stays: BTreeMap<(u8, [u8; 16], u32, u32), StayKeys> = BTreeMap::new();
    let is_known = |s: &VisitSegment| {
        known.iter().any(|k| {
            k.code_kind == s.code_kind as u8
                && k.qr_id.0 == s.qr_id.0
                && k.time_in == s.time_in.0
                && k.time_out == s.time_out.0
        })
    };
    for seg in segments.iter().filter(|s| !is_known(s)) {
        let k = (
            seg.code_kind as u8,
            seg.qr_id.0,
            seg.time_in.0,
            seg.time_out.0,
        );
        let next = first_number.saturating_add(u32::try_from(stays.len()).unwrap_or(u32::MAX));
        let entry = stays.entry(k).or_insert_with(|| {
            (
                Stay {
                    stay: next,
                    code_kind: seg.code_kind as u8,
                    qr_id: Hex(seg.qr_id.0.to_vec()),
                    tag: Hex(seg.tag.expose().to_vec()),
                    bucket: Hex(spur_wire::exchange::bucket_of(
                        seg.code_kind as u8,
                        Region::encode_opt(seg.region.as_ref()),
                    )
                    .to_vec()),
                    time_in: seg.time_in.0,
                    time_out: seg.time_out.0,
                    own_code: false,
                    label: None,
                    place: None,
                    held_by: None,
                    owner_listed: false,
                },
                BTreeMap::new(),
            )
        });
        for (slot, sk) in &seg.scan_keys {
            entry.1.insert(slot.0, Hex(sk.expose().to_vec()));
        }
    }
    let mut all: Vec<StayKeys> = stays.into_values().collect();
    all.sort_by_key(|(s, _)| s.stay);
    all
}

/// The SCAN-key file of `stays`.
pub fn scan_file(
    case_id: &str,
    nonce: &Hex,
    stays: &[StayKeys],
    infected_ref: Option<SealedRef>,
    card_request: Option<Hex>,
) -> ScanKeyFile {
    ScanKeyFile {
        case_id: case_id.to_owned(),
        nonce: nonce.clone(),
        stays: stays
            .iter()
            .map(|(s, keys)| ScanStay {
                stay: s.stay,
                code_kind: s.code_kind,
                bucket: s.bucket.clone(),
                time_in: s.time_in,
                time_out: s.time_out,
                own_code: s.own_code,
                keys: keys.iter().map(|(k, v)| (*k, v.clone())).collect(),
            })
            .collect(),
        infected_ref,
        card_request,
    }
}

/// The request for the records of the codes visited in `stays` (not the person's own codes).
pub fn code_request(case_ref: String, stays: &[StayKeys]) -> ResolveRequest {
    let mut req = ResolveRequest {
        case_id: case_ref,
        ..Default::default()
    };
    let mut seen = BTreeSet::new();
    for (s, _) in stays {
        if !s.own_code && seen.insert((s.code_kind, s.qr_id.clone())) {
            if s.code_kind == CodeKind::Place as u8 {
                req.places.push(s.qr_id.clone());
            } else {
                req.personal.push(s.qr_id.clone());
            }
        }
    }
    req
}
