//! Files between vault and desks: authority B cannot open A's package, an altered file is
//! refused, a replayed consent is refused, and a contact list with hostile names is safe to open
//! in spreadsheet software.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use spur_authority::open;

fn small_town(root: &std::path::Path) -> (Town, usize) {
    let mut t = Town::new(root, 11);
    let infected = t.register("+4915100000001", "80331", None);
    let hostile = t.register("+4915100000002", "80469", Some("=HYPERLINK(\"x\")"));
    let berliner = t.register("+4915100000003", "10115", Some("@SUM(A1)"));
    let cafe = t.place("+Café \"Zur Post\"", "80331");
    t.visit(infected, cafe, at(0, 12, 0), at(0, 13, 10));
    t.visit(hostile, cafe, at(0, 12, 40), at(0, 13, 30));
    t.visit(berliner, cafe, at(0, 13, 0), at(0, 14, 0));
    t.consent(infected, 1, &[]);
    t.import_all(1000);
    (t, infected)
}

#[test]
fn another_authority_cannot_open_a_package_and_altered_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut t, _) = small_town(tmp.path());
    let url = t.code_urls.last().unwrap().clone();
    let pkg = t.vault.consent(&mut t.rng, &url).unwrap().file;
    assert_eq!(pkg.to, MUNICH);

    // Berlin's desk: refused by the header, and refused by the seal when the header is forged.
    let e = open::open_consent(&t.desks[&BERLIN], &mut t.rng, &pkg.bytes, &[])
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("for authority 1, not for us"), "{e}");
    let mut forged = pkg.bytes.clone();
    forged[12..14].copy_from_slice(&BERLIN.to_be_bytes());
    let e = open::open_consent(&t.desks[&BERLIN], &mut t.rng, &forged, &[])
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("does not open with our key"), "{e}");

    // Any altered byte of the sealed part is refused by Munich too.
    for i in [14, 60, pkg.bytes.len() / 2, pkg.bytes.len() - 1] {
        let mut bad = pkg.bytes.clone();
        bad[i] ^= 0x01;
        assert!(
            open::open_consent(&t.desks[&MUNICH], &mut t.rng, &bad, &[]).is_err(),
            "byte {i}"
        );
    }
    let opened = open::open_consent(&t.desks[&MUNICH], &mut t.rng, &pkg.bytes, &[]).unwrap();

    // The vault refuses an altered SCAN-key file, and one signed by a desk without the consent.
    let mut bad = opened.scan_file.clone();
    let n = bad.len();
    bad[n - 3] ^= 0x20;
    assert!(t.vault.trace(&mut t.rng, &bad).is_err());
    let e = t
        .vault
        .trace(&mut t.rng, &pkg.bytes)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("not a scan-keys file"), "{e}");

    // A consent is handled once.
    assert!(t.vault.pending_consents().unwrap().is_empty());
    let e = t.vault.consent(&mut t.rng, &url).err().unwrap().to_string();
    assert!(e.contains("taken before"), "{e}");

    // The audit log recorded every step, refusals included, and verifies.
    let report = t.vault.audit_verify().unwrap();
    assert!(report.lines >= 5, "{report:?}");
}

#[test]
fn hostile_names_cannot_start_a_formula_in_the_contact_list() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut t, _) = small_town(tmp.path());
    let lists = t.run_trace(&[]);
    let munich = &lists[&MUNICH];
    assert_eq!(munich.people.len(), 1);
    assert_eq!(
        munich.people[0].campus_id, "=HYPERLINK(\"x\")",
        "kept as data in JSON"
    );
    assert!(munich.people[0].stays[0].place.starts_with("+Café"));
    let csv = spur_authority::contacts::to_csv(munich).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    // The place's name stands inside its person's stays cell, after the stay's time.
    assert!(csv.contains(": +Café \"\"Zur Post\"\""), "{csv}");
    let berlin = spur_authority::contacts::to_csv(&lists[&BERLIN]).unwrap();
    assert!(berlin.contains("\"'@SUM(A1)\""), "{berlin}");
    // No cell of either list starts with a formula character.
    for text in [&csv, &berlin] {
        for line in text.lines() {
            for cell in line.split("\",\"") {
                let c = cell.trim_start_matches('"');
                assert!(
                    !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "cell {c:?} in {line}"
                );
            }
        }
    }
}

#[test]
fn merged_releases_of_two_devices_keep_every_own_personal_code() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 12);
    let infected = t.register("+4915100000001", "80331", None);
    let card_a = t.card(infected);
    let card_b = t.card(infected);
    let cafe = t.place("Café", "80331");
    t.visit(infected, cafe, at(0, 12, 0), at(0, 13, 0));
    // The old phone lists card A, the new phone (same registration) lists card B.
    let code = t.consent(infected, 1, &[card_a]);
    t.release_again(infected, &code, &[card_b]);
    t.import_all(1000);
    let url = t.code_urls[0].clone();
    let take = t.vault.consent(&mut t.rng, &url).unwrap();
    assert_eq!(
        (take.candidates, take.releases),
        (1, 2),
        "one merged candidate"
    );
    let pkg = take.file;
    let opened = open::open_consent(&t.desks[&MUNICH], &mut t.rng, &pkg.bytes, &[]).unwrap();
    // Without TMP histories the desk names every own code it would need them for: both cards.
    for card in [card_a, card_b] {
        let id = t.codes[card].id.to_hex();
        assert!(
            opened.notes.iter().any(|n| n.contains(&id)),
            "card {card} lost: {:?}",
            opened.notes
        );
    }
}

/// Town with the infected person's honest release for a 2-day code uploaded on `honest_day`
/// after `flood` hand-built releases (strangers' keys, their own phone numbers) for all days
/// uploaded on `flood_day`, and `partial` more for the first day only, uploaded on day 0.
fn flooded(
    root: &std::path::Path,
    honest_day: u32,
    flood_day: u32,
    flood: usize,
    partial: usize,
) -> (Town, usize) {
    let mut t = Town::new(root, 13);
    let infected = t.register("+4915100000001", "80331", None);
    let cafe = t.place("Café", "80331");
    t.visit(infected, cafe, at(0, 12, 0), at(0, 13, 0));
    let code = t.consent(infected, 2, &[]);
    // The honest release consent() uploaded: move it to `honest_day`.
    let honest = t.uploads.pop().unwrap().1;
    for i in 0..flood + partial {
        let phone = format!("+49151000001{i:02}");
        let s = t.register(&phone, "80331", None);
        let (days, day) = if i < flood {
            (2, FIRST_DAY + flood_day)
        } else {
            (1, FIRST_DAY)
        };
        t.release_as(s, &phone, &code, days, &[], spur_protocol::time::Day(day));
    }
    t.uploads
        .push((spur_protocol::time::Day(FIRST_DAY + honest_day), honest));
    t.import_all(1000);
    (t, infected)
}

fn over_cap_lines(t: &Town) -> usize {
    std::fs::read_to_string(t.root.join("vault").join("audit.log"))
        .unwrap()
        .lines()
        .filter(|l| l.contains("consent-release-refused") && l.contains("over the cap"))
        .count()
}

#[test]
fn a_flood_of_releases_is_capped_and_cannot_push_out_the_real_one() {
    use spur_vault::consent::MAX_CANDIDATES;
    // Ten strangers' releases uploaded after the real one: the real one is kept (earliest
    // stored), the flood beyond the cap is refused and audited, the case goes on.
    let tmp = tempfile::tempdir().unwrap();
    let (mut t, _) = flooded(tmp.path(), 1, 2, 10, 0);
    let url = t.code_urls[0].clone();
    let take = t.vault.consent(&mut t.rng, &url).unwrap();
    assert_eq!(take.candidates, MAX_CANDIDATES);
    let over = take
        .refused
        .iter()
        .filter(|r| r.reason.contains("over the cap"))
        .count();
    assert_eq!(over, 11 - MAX_CANDIDATES, "{:?}", take.refused);
    assert_eq!(over_cap_lines(&t), over);
    let opened = open::open_consent(&t.desks[&MUNICH], &mut t.rng, &take.file.bytes, &[]).unwrap();
    assert_eq!(opened.case.stays.len(), 1, "the real person's visit");

    // Releases that ask for fewer days than the code come after those for exactly its days,
    // even when stored earlier: twelve partial ones on day 0 do not push out the real release.
    let tmp = tempfile::tempdir().unwrap();
    let (mut t, _) = flooded(tmp.path(), 2, 2, 0, 12);
    let url = t.code_urls[0].clone();
    let take = t.vault.consent(&mut t.rng, &url).unwrap();
    assert_eq!(take.candidates, MAX_CANDIDATES);
    assert_eq!(over_cap_lines(&t), 13 - MAX_CANDIDATES);
    let opened = open::open_consent(&t.desks[&MUNICH], &mut t.rng, &take.file.bytes, &[]).unwrap();
    assert_eq!(opened.case.stays.len(), 1, "the real person's visit");
}
