//! Place labels between desks: the consenting desk names the place of each stay another
//! authority received contacts for ([`seal_for`], answering the vault's `elsewhere` list), and
//! that authority's desk opens them into its contact file ([`open_into`]) so its list names the
//! place, its address and its responsible phone instead of "a stay of case …".
//!
//! Sharing the place's responsible phone is deliberate: both desks are health authorities working
//! the same case, the place's owner gave the number to be phoned about exactly such contacts, and
//! a label goes only to an authority that received contacts at that stay, one per stay.

use std::collections::BTreeSet;

use spur_offline::skip::{SkipReason, Skips};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::ProtocolError;
use spur_wire::exchange::{ContactsPackage, ForwardLabel, Hex, PlaceLabel, StaysElsewhere};

use crate::case::{CaseFile, ContactFile, PlaceInfo};
use crate::desk::Desk;

/// Seals, for each authority the vault listed, a label of every listed stay of `case` whose place
/// this desk opened (a place of another authority it could not open is left out: it has nothing
/// to tell). An authority the directory does not list, this desk itself, or a stay the case does
/// not have (a hostile answer) is skipped and counted in `skips`.
pub fn seal_for(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    case: &CaseFile,
    elsewhere: &[StaysElsewhere],
    skips: &mut Skips,
) -> Vec<ForwardLabel> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for e in elsewhere {
        let Some(to) = desk
            .directory
            .authority(e.authority)
            .filter(|a| a.id != desk.id)
        else {
            skips.add(SkipReason::UnknownAuthority);
            continue;
        };
        for n in &e.stays {
            if !seen.insert((to.id, *n)) {
                continue;
            }
            let Some(stay) = case.stays.iter().find(|s| s.stay == *n) else {
                skips.add(SkipReason::OutsideCase);
                continue;
            };
            let Some(p) = stay
                .place
                .as_ref()
                .filter(|_| stay.code_kind == CodeKind::Place as u8 && !stay.own_code)
            else {
                continue;
            };
            let label = PlaceLabel {
                from: desk.id,
                to: to.id,
                stay: stay.stay,
                stay_in: stay.time_in,
                stay_out: stay.time_out,
                name: p.name.clone(),
                description: p.description.clone(),
                region: p.region.clone(),
                phone: p.phone.clone(),
            };
            match label.seal(rng, &case.case_id, &to.seal, desk.sign_key()) {
                Ok(sealed) => out.push(ForwardLabel {
                    to: to.id,
                    stay: stay.stay,
                    sealed: Hex(sealed),
                }),
                Err(e) => skips.add(SkipReason::of(&e)),
            }
        }
    }
    out
}

/// Opens the place labels of a contacts file into `cf` (which already holds the file's contacts)
/// and returns how many were kept. A label that does not open with this desk's key or is not
/// signed by the pinned key of the authority it names (`does-not-open`), names an authority the
/// directory does not list (`unknown-authority`), is not from the case's authority, not for this
/// desk or for a stay this desk received no contacts at with the same times, the infected person
/// not counted (`outside-case`), or
/// carries invalid fields (`bad-field`) is skipped and counted; the others stand.
pub fn open_into(
    desk: &Desk,
    pkg: &ContactsPackage,
    cf: &mut ContactFile,
    skips: &mut Skips,
) -> usize {
    let signer = |id: u16| {
        desk.directory
            .authority(id)
            .map(|a| a.sign)
            .ok_or(ProtocolError::UnknownAuthority(id))
    };
    let mut kept = 0;
    for l in &pkg.place_labels {
        let label = match PlaceLabel::open(&l.sealed.0, &pkg.case_id, desk.seal_key(), signer) {
            Ok(label) => label,
            Err(e) => {
                skips.add(SkipReason::of(&e));
                continue;
            }
        };
        if label.stay != l.stay {
            skips.add(SkipReason::BadField);
            continue;
        }
        // A stay where this desk's only "contact" is the infected person (their own slot
        // entries, sent to their home authority) is no contact's place: not kept.
        let ours = cf.stays.iter().any(|s| {
            s.stay == label.stay
                && s.stay_in == label.stay_in
                && s.stay_out == label.stay_out
                && !s.code_owner
                && cf.infected.as_ref() != Some(&s.registration_id)
        });
        if label.from != pkg.consenting_authority || label.to != desk.id || !ours {
            skips.add(SkipReason::OutsideCase);
            continue;
        }
        cf.places.insert(
            label.stay,
            PlaceInfo {
                name: label.name,
                description: label.description,
                region: label.region,
                phone: label.phone,
            },
        );
        kept += 1;
    }
    kept
}
