//! Resolving records for an authority: registrations (only those sealed to it), and place and
//! personal-code records (their TAG layers, which only the code's TAG key opens) — and only what
//! the case reached (`crate::reach`): everything else is skipped as outside the case, reported in
//! the answer and counted for the audit line.

use spur_offline::skip::{SkipReason, Skips};
use spur_wire::exchange::{
    GoneRegistration, Hex, ResolveAnswer, ResolveRequest, ResolvedCode, ResolvedRegistration,
};

use crate::error::{Result, VaultError};
use crate::reach::{digest, CaseReach};
use crate::store::Store;

/// Most items one request may ask for.
pub const MAX_ITEMS: usize = 100_000;

/// An answer and what it skipped.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The answer for the requesting authority.
    pub answer: ResolveAnswer,
    /// Items skipped, by reason.
    pub skips: Skips,
}

fn gone(ans: &mut ResolveAnswer, skips: &mut Skips, rid: &[u8], reason: SkipReason) {
    skips.add(reason);
    ans.gone.push(GoneRegistration {
        registration_id: Hex(rid.to_vec()),
        reason: reason.name().to_owned(),
    });
}

/// Answers a resolve request from `authority` for a case of `consenting` whose reach is `reach`
/// (updated with what is given out).
pub fn resolve(
    store: &mut dyn Store,
    authority: u16,
    consenting: u16,
    req: &ResolveRequest,
    reach: &mut CaseReach,
) -> Result<Resolved> {
    if req.registrations.len() + req.places.len() + req.personal.len() > MAX_ITEMS {
        return Err(VaultError::bad_file("resolve request", "too many items"));
    }
    let mut out = Resolved {
        answer: ResolveAnswer {
            case_id: req.case_id.clone(),
            ..Default::default()
        },
        skips: Skips::new(),
    };
    let (ans, skips) = (&mut out.answer, &mut out.skips);
    let budget = reach.registration_budget(authority, consenting);
    for id in &req.registrations {
        let Some(rid) = id.array::<16>() else {
            skips.add(SkipReason::BadField);
            ans.missing
                .push("a registration id that is not 16 bytes".into());
            continue;
        };
        let d = digest("registration", &rid);
        let given = reach.given.entry(authority).or_default();
        if !given.contains(&d) && given.len() as u64 >= budget {
            ans.missing
                .push("a registration the case did not reach (not given out)".into());
            gone(ans, skips, &rid, SkipReason::OutsideCase);
            continue;
        }
        match store.registration(&rid)? {
            Some(r) if r.home_authority == authority => {
                given.insert(d);
                ans.registrations.push(ResolvedRegistration {
                    registration_id: Hex(rid.to_vec()),
                    sealed_contact: Hex(r.sealed_contact),
                })
            }
            Some(_) => {
                ans.missing
                    .push("a registration sealed to another authority (not given out)".into());
                gone(ans, skips, &rid, SkipReason::OtherAuthority);
            }
            None => {
                ans.missing
                    .push("a registration that was deleted or has expired".into());
                gone(ans, skips, &rid, SkipReason::Deleted);
            }
        }
    }
    for (personal, list) in [(false, &req.places), (true, &req.personal)] {
        let what = if personal { "personal-code" } else { "place" };
        for id in list {
            let Some(qr) = id.array::<16>() else {
                skips.add(SkipReason::BadField);
                ans.missing
                    .push(format!("a {what} QR id that is not 16 bytes"));
                continue;
            };
            let d = digest(what, &qr);
            let stays = if personal {
                reach.card_stays
            } else {
                reach.place_stays
            };
            let used = reach
                .codes_given
                .iter()
                .filter(|x| x.0.first() == Some(&u8::from(personal)))
                .count() as u64;
            let mut key = vec![u8::from(personal)];
            key.extend_from_slice(&d.0);
            let key = Hex(key);
            let within =
                authority == consenting && (reach.codes_given.contains(&key) || used < stays);
            if !within {
                skips.add(SkipReason::OutsideCase);
                ans.missing.push(format!(
                    "{what} QR id {} is outside the case (not given out)",
                    data_encoding::HEXLOWER.encode(&qr)
                ));
                continue;
            }
            let rows: Vec<_> = store
                .code(personal, &qr)?
                .into_iter()
                .filter(|r| personal || reach.place_regions.contains(&Hex(r.region.to_vec())))
                .collect();
            if rows.is_empty() {
                ans.missing.push(format!(
                    "{what} record of QR id {} (none, or none at a place the case visited)",
                    data_encoding::HEXLOWER.encode(&qr)
                ));
                continue;
            }
            reach.codes_given.insert(key);
            let code = ResolvedCode {
                qr_id: Hex(qr.to_vec()),
                tag_layers: rows.into_iter().map(|r| Hex(r.tag_layer)).collect(),
            };
            if personal {
                ans.personal.push(code);
            } else {
                ans.places.push(code);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{Opened, RegistrationRow};
    use spur_protocol::time::Day;

    fn registration(store: &mut SqliteStore, rid: u8, home: u16) {
        let row = RegistrationRow {
            handle: [rid; 32],
            id: [rid; 32],
            day: Day(20_000),
            registration_id: [rid; 16],
            home_authority: home,
            region: [0; 12],
            sealed_contact: vec![rid; 8],
        };
        store
            .import(&[rid; 32], "t", &[Opened::Registration(row)])
            .unwrap();
    }

    #[test]
    fn only_what_the_case_reached_is_given() {
        let mut store = SqliteStore::in_memory().unwrap();
        for rid in 1..=3 {
            registration(&mut store, rid, 2);
        }
        // The case sent two contacts to authority 2 and scanned no card.
        let mut reach = CaseReach::default();
        reach.add_contacts(2, 2);
        let req = ResolveRequest {
            case_id: "1:M-1".into(),
            registrations: (1..=3u8).map(|r| Hex(vec![r; 16])).collect(),
            personal: vec![Hex(vec![9; 16])],
            places: vec![Hex(vec![8; 16])],
            ..Default::default()
        };
        let r = resolve(&mut store, 2, 1, &req, &mut reach).unwrap();
        assert_eq!(r.answer.registrations.len(), 2, "two contacts, two given");
        assert_eq!(r.answer.gone.len(), 1);
        assert_eq!(r.answer.gone[0].reason, "outside-case");
        assert!(r.answer.places.is_empty() && r.answer.personal.is_empty());
        assert_eq!(r.skips.count(SkipReason::OutsideCase), 3);
        // Asking again for what was given is free; a deleted one (within the budget) is final.
        reach.add_contacts(2, 1);
        let again = ResolveRequest {
            registrations: vec![Hex(vec![1; 16]), Hex(vec![7; 16])],
            ..req.clone()
        };
        let r = resolve(&mut store, 2, 1, &again, &mut reach).unwrap();
        assert_eq!(r.answer.registrations.len(), 1);
        assert_eq!(r.answer.gone[0].reason, "deleted");
        // The registration of another authority is not given to authority 1 either.
        reach.add_contacts(1, 5);
        let mine = ResolveRequest {
            registrations: vec![Hex(vec![3; 16])],
            ..Default::default()
        };
        let r = resolve(&mut store, 1, 1, &mine, &mut reach).unwrap();
        assert!(r.answer.registrations.is_empty());
        assert_eq!(r.answer.gone[0].reason, "other-authority");
    }
}
