//! Tracing a card-only person (no app, so no consent release): the authority, with the card and
//! the TAG server's answer to its signed history request, makes the SCAN-key file; the vault
//! accepts the signed request in place of a consent. Exactly the people who scanned the card in
//! the requested slots are found; a forged, foreign, reused or missing request is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::*;
use spur_authority::card::card_trace;
use spur_authority::open::to_vault;
use spur_authority::{case, history};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::time::Slot;
use spur_wire::exchange::{Hex, PackageKind, ScanKeyFile, ScanStay};

const DAYS: u32 = 5;
const CASE: &str = "M-CARD-1";

#[test]
fn a_card_only_trace_finds_exactly_who_scanned_the_card() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 21);
    for i in 0..20u32 {
        let pc = if i % 2 == 0 { "80331" } else { "10115" };
        t.register(&format!("+49160{:08}", 100 + i), pc, None);
    }
    let place = t.place("Bakery", "80331");
    let holder = 0usize; // has no app: never scans anything
    let card = t.card(holder);
    let other_card = t.card(2);
    for (u, day) in [(1usize, 0u32), (3, 1), (4, 2), (5, 4), (6, 3)] {
        t.visit(u, card, at(day, 9, 0), at(day, 9, 15));
    }
    t.visit(7, other_card, at(1, 9, 0), at(1, 9, 15)); // another card: sealed
    t.visit(8, place, at(1, 9, 0), at(1, 10, 0)); // a place at the same time: sealed
    t.visit(9, card, at(DAYS + 1, 9, 0), at(DAYS + 1, 9, 15)); // after the requested days
    t.import_all(300);

    let now = at(DAYS, 0, 5);
    let (first, last) = (Slot(FIRST_DAY * 48), Slot((FIRST_DAY + DAYS) * 48 - 1));
    let c = &t.codes[card];
    let (id, tag) = (c.id, c.tag.clone());
    let munich = &t.desks[&MUNICH];
    let request = history::request(munich, &mut t.rng, id, first, last, now).unwrap();
    let answer = t.history(card, DAYS);
    let made = card_trace(munich, &mut t.rng, CASE, &id, &tag, &request, &answer).unwrap();
    case::save(
        &case::case_path(&munich.cases_dir().unwrap(), CASE),
        &made.case,
    )
    .unwrap();
    t.play(vec![made.scan_file.clone()], vec![]);

    let lists = t.lists(MUNICH, CASE);
    let got: BTreeSet<String> = lists
        .values()
        .flat_map(|l| {
            l.people
                .iter()
                .map(|c| c.phone.clone())
                .filter(|p| !p.is_empty())
        })
        .collect();
    let expected: BTreeSet<String> = [1usize, 3, 4, 5, 6]
        .iter()
        .map(|u| t.users[*u].phone.clone())
        .collect();
    assert_eq!(got, expected, "precision and recall 100%");
    assert!(lists.contains_key(&MUNICH) && lists.contains_key(&BERLIN));

    // The same request twice: refused.
    let again = t.vault.trace(&mut t.rng, &made.scan_file).unwrap_err();
    assert!(
        again.to_string().contains("used for a trace before"),
        "{again}"
    );

    // Forged: the desk's own check, and the vault's on a hand-made file.
    let mut forged = request.clone();
    forged[20] ^= 1;
    assert!(card_trace(
        &t.desks[&MUNICH],
        &mut t.rng,
        CASE,
        &id,
        &tag,
        &forged,
        &answer
    )
    .is_err());
    let stay = ScanStay {
        stay: 0,
        code_kind: CodeKind::Personal as u8,
        bucket: Hex(vec![0; 12]),
        time_in: first.start().0,
        time_out: Slot(last.0 + 1).start().0,
        own_code: true,
        keys: vec![(first.0, Hex(vec![7; 32]))],
    };
    let file = |case_id: &str, req: Option<Vec<u8>>, stays: Vec<ScanStay>| ScanKeyFile {
        case_id: case_id.into(),
        nonce: Hex::default(),
        stays,
        infected_ref: None,
        card_request: req.map(Hex),
    };
    let send = |t: &mut Town, from: u16, f: &ScanKeyFile| {
        let bytes = to_vault(&t.desks[&from], &mut t.rng, PackageKind::ScanKeys, f).unwrap();
        t.vault.trace(&mut t.rng, &bytes)
    };
    let fresh =
        history::request(&t.desks[&MUNICH], &mut t.rng, id, first, last, now.plus(1)).unwrap();
    let e = send(
        &mut t,
        MUNICH,
        &file("M-CARD-2", Some(forged), vec![stay.clone()]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("does not verify"), "{e}");
    // No request and no consent: refused.
    let e = send(&mut t, MUNICH, &file("M-CARD-2", None, vec![stay.clone()])).unwrap_err();
    assert!(e.to_string().contains("no consent"), "{e}");
    // Munich's request sent by Berlin: refused.
    let e = send(
        &mut t,
        BERLIN,
        &file("M-CARD-2", Some(fresh.clone()), vec![stay.clone()]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("another authority"), "{e}");
    // Keys outside the requested slots, or a place's stay: refused.
    let mut outside = stay.clone();
    outside.keys = vec![(last.0 + 1, Hex(vec![7; 32]))];
    let mut at_place = stay.clone();
    at_place.code_kind = CodeKind::Place as u8;
    at_place.own_code = false;
    for (bad, why) in [(outside, "outside"), (at_place, "at the card itself")] {
        let e = send(
            &mut t,
            MUNICH,
            &file("M-CARD-2", Some(fresh.clone()), vec![bad]),
        )
        .unwrap_err();
        assert!(e.to_string().contains(why), "{e}");
    }
    // The well-formed one with the fresh request goes through (it finds nothing: a made-up key).
    send(&mut t, MUNICH, &file("M-CARD-2", Some(fresh), vec![stay])).unwrap();
    t.vault.audit_verify().unwrap();
}

/// The TAG server's answer to a desk's history request, built by hand as a hostile or broken
/// server would: every variant is refused with a typed error and nothing is kept, and the honest
/// answer to the same request still gives the card's real TMP keys afterwards.
#[test]
fn a_hand_made_history_answer_is_refused_and_the_honest_one_still_works() {
    use data_encoding::HEXLOWER;
    use spur_protocol::history::HistoryRequest;
    use spur_protocol::poprf::Blinded;
    use spur_protocol::tag::TagServerSecret;
    use spur_wire::api::tag::{TmpEvaluation, TmpKeysResponse};

    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 22);
    t.register("+4916000000100", "80331", None);
    let card = t.card(0);
    let id = t.codes[card].id;
    let (first, last) = (Slot(FIRST_DAY * 48), Slot(FIRST_DAY * 48 + 5));
    let request =
        history::request(&t.desks[&MUNICH], &mut t.rng, id, first, last, at(1, 0, 5)).unwrap();
    let blinded = HistoryRequest::verify_signed(&request, &t.desks[&MUNICH].directory)
        .unwrap()
        .blinded;
    // Evaluations of the request's blinded id under `server`, one per slot of the range.
    let answer = |rng: &mut rand_chacha::ChaCha20Rng,
                  server: &spur_protocol::tag::TmpDeriver,
                  slots: &[(u32, u32)]| {
        let evaluations = slots
            .iter()
            .map(|&(evaluated_for, claimed)| {
                let (el, proof) = server
                    .evaluate(rng, &[Blinded(blinded)], Slot(evaluated_for))
                    .unwrap();
                TmpEvaluation {
                    evaluated: HEXLOWER.encode(&el[0]),
                    proof: HEXLOWER.encode(&proof),
                    slot: claimed,
                }
            })
            .collect();
        serde_json::to_vec(&TmpKeysResponse { evaluations }).unwrap()
    };
    let range: Vec<(u32, u32)> = (first.0..=last.0).map(|s| (s, s)).collect();
    let honest = answer(&mut t.rng, &t.tmp, &range);
    let foreign = TagServerSecret::random(&mut t.rng).tmp_deriver().unwrap();

    let mut flipped_proof: TmpKeysResponse = serde_json::from_slice(&honest).unwrap();
    let p = &mut flipped_proof.evaluations[2].proof;
    *p = format!("{}{}", if p.starts_with('0') { "1" } else { "0" }, &p[1..]);
    let mut short: TmpKeysResponse = serde_json::from_slice(&honest).unwrap();
    short.evaluations[0].evaluated.truncate(62);
    let mut swapped = range.clone();
    swapped.swap(0, 1); // the real evaluations, each claimed for the other slot
    let swapped: Vec<(u32, u32)> = swapped
        .iter()
        .zip(&range)
        .map(|(&(real, _), &(_, claimed))| (real, claimed))
        .collect();
    let outside: Vec<(u32, u32)> = vec![(last.0 + 1, last.0 + 1)];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a foreign TAG key", answer(&mut t.rng, &foreign, &range)),
        (
            "a flipped proof",
            serde_json::to_vec(&flipped_proof).unwrap(),
        ),
        (
            "an element of 31 bytes",
            serde_json::to_vec(&short).unwrap(),
        ),
        (
            "evaluations for other slots",
            answer(&mut t.rng, &t.tmp, &swapped),
        ),
        (
            "a slot outside the request",
            answer(&mut t.rng, &t.tmp, &outside),
        ),
        ("not JSON", b"\x00\x01garbage\xe2\x80\xae".to_vec()),
    ];
    for (what, bad) in cases {
        let e = history::finish(&t.desks[&MUNICH], &request, &id, &bad)
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"));
        let text = e.to_string();
        assert!(
            text.contains("refused") || text.contains("TMP history"),
            "{what}: {text}"
        );
        assert!(
            !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{what}: {text:?}"
        );
    }
    let kept = history::finish(&t.desks[&MUNICH], &request, &id, &honest).unwrap();
    assert_eq!(kept.keys.len(), range.len());
    for (slot, key) in &kept.keys {
        assert_eq!(
            key.expose(),
            t.tmp.tmp(&id, *slot).expose(),
            "slot {}",
            slot.0
        );
    }
}
