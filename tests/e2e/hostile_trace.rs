//! A registered stranger with a modified client against the trace (issue 12, points 5–9): records
//! built by hand from `docs/protocol.md` with only public inputs, uploaded to the real POST server;
//! every step a real `spur` process. Each test asserts the contact lists are exactly right, that
//! nothing was resolved that should not be, and that the skip or refusal is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::hostile::{audit_lines, phones, trace_logged, Hostile};
use common::*;
use rand_core::RngCore;
use spur_protocol::time::{Clock, SystemClock};
use spur_wire::api::routes;

const CASE: &str = "M-1";
const CAFE: &str = "Cafe Zaunkoenig";

/// The small town of these tests: Greta's café; Anna (infected, Munich), Ben (Munich) and Dora
/// (Berlin) at the café now; Carla at home. Anna has consented to case M-1.
struct Small {
    w: World,
    anna: Citizen,
    ben: Citizen,
    dora: Citizen,
    cafe_url: String,
}

fn small(before_consent: impl FnOnce(&World, &str)) -> Small {
    let w = World::new();
    let greta = w.citizen("greta", "+4915100000009", "80333", None);
    let cafe = greta.place_code(CAFE, "80331", "+4915100000019");
    let cafe_url = scan_url(&cafe);
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let ben = w.citizen("ben", "+4915100000002", "80335", None);
    let dora = w.citizen("dora", "+4915100000004", "10115", None);
    for (c, stay) in [(&anna, "120"), (&ben, "60"), (&dora, "30")] {
        c.check_in(&cafe, stay, 0);
        // A stay is sent once it is over: the phones sync a day later.
        assert!(c.sync(1).contains("pending 0"));
    }
    before_consent(&w, &cafe_url);
    let url = w.consent_code(0, CASE, &anna.phone, &date(-1), 2);
    anna.consent(&url);
    Small {
        w,
        anna,
        ben,
        dora,
        cafe_url,
    }
}

fn now() -> spur_protocol::time::Minute {
    SystemClock.minute()
}

fn random_id() -> [u8; 16] {
    let mut id = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut id);
    id
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn p5_hand_made_slot_entries_are_skipped_reported_and_audited_and_the_trace_completes() {
    let t = small(|w, cafe| {
        let h = Hostile::new(w);
        // Inside Anna's stay and inside one slot: one slot entry each.
        let from = now();
        let slot_end = spur_protocol::time::Slot(from.slot().0 + 1).start();
        let to = spur_protocol::time::Minute(from.plus(10).0.min(slot_end.0));
        // (a) a slot entry in Anna's slot whose clear routing field names authority 999.
        h.slot_entries(cafe, from, to, 999, &h.auth_key(1), random_id());
        // (b) a random contact reference: sealed to a key nobody holds, routed to Munich.
        h.slot_entries(cafe, from, to, 1, &Hostile::random_key(), random_id());
        // (c) a hand-made registration whose campus id holds a TAB, referenced from the slot.
        let rid = h.registration("+4915100000077", b"MAL\tLORY", 1);
        h.slot_entries(cafe, from, to, 1, &h.auth_key(1), rid);
    });
    let ([munich, berlin], log) = trace_logged(&t.w, CASE);
    // The right people, exactly: Ben for Munich, Dora for Berlin; nobody hand-made, not Anna.
    assert_eq!(phones(&munich.unwrap()), vec![t.ben.phone.clone()], "{log}");
    assert_eq!(
        phones(&berlin.unwrap()),
        vec![t.dora.phone.clone()],
        "{log}"
    );
    // Reported where each was skipped.
    assert!(
        log.contains("1 record skipped: 1 names an authority not in the directory"),
        "{log}"
    );
    assert!(
        log.contains("1 record skipped: 1 does not open with the key it is meant for"),
        "{log}"
    );
    assert!(
        log.contains("1 record skipped: 1 carries invalid fields"),
        "{log}"
    );
    // Audited: the vault's trace line, Munich's open-contacts and open-resolved lines.
    let trace = audit_lines(&t.w.vault.join("audit.log"), "trace");
    assert_eq!(trace[0]["detail"]["skipped"]["unknown-authority"], 1);
    let desk = t.w.desks[0].join("audit.log");
    let opened = audit_lines(&desk, "open-contacts");
    assert_eq!(opened[0]["detail"]["skipped"]["does-not-open"], 1);
    let resolved = audit_lines(&desk, "open-resolved");
    assert!(
        resolved
            .iter()
            .any(|l| l["detail"]["skipped"]["bad-field"] == 1),
        "{resolved:?}"
    );
    t.w.vault().args(["audit", "verify"]).ok();
    t.w.desk(0).args(["audit", "verify"]).ok();
    let _ = &t.anna;
}

#[test]
fn p6_resolve_outside_any_case_is_refused_and_audited() {
    let t = small(|_, _| {});
    let cafe = Hostile::place(&t.cafe_url);
    let card = t.ben.card();
    let card_id = spur_protocol::tag::QrId::from_hex(&common::town::scan_url_id(&card)).unwrap();
    // A signed resolve request of the Munich desk for an invented case, naming the café's QR id
    // (printed on its door) and a card's QR id (from a photo).
    let desk = spur_authority::Desk::open(&t.w.desks[0]).unwrap();
    let forged = |case: &str, registrations: Vec<spur_wire::exchange::Hex>| {
        spur_authority::open::to_vault(
            &desk,
            &mut rand_core::OsRng,
            spur_wire::exchange::PackageKind::ResolveRequest,
            &spur_wire::exchange::ResolveRequest {
                case_id: case.into(),
                registrations,
                places: vec![spur_wire::exchange::Hex(cafe.id.0.to_vec())],
                personal: vec![spur_wire::exchange::Hex(card_id.0.to_vec())],
                // A "card owner" to forward to Berlin: the case scanned no card.
                forward_owners: vec![spur_wire::exchange::ForwardOwner {
                    to: 2,
                    stay: 0,
                    stay_in: now().0,
                    stay_out: now().0 + 30,
                    sealed_ref: spur_wire::exchange::Hex(
                        spur_protocol::record::place::seal_contact_ref(
                            &mut rand_core::OsRng,
                            &desk.directory.authority(2).unwrap().seal,
                            &random_id(),
                        )
                        .unwrap(),
                    ),
                }],
                ..Default::default()
            },
        )
        .unwrap()
    };
    let req = t.w.dir().join("forged.spkg");
    std::fs::write(&req, forged("1:M-99", vec![])).unwrap();
    let out_dir = t.w.dir().join("forged-out");
    let e =
        t.w.vault()
            .arg("resolve")
            .arg(&req)
            .arg("--out")
            .arg(&out_dir)
            .fails();
    assert!(e.contains("outside any case"), "{e}");
    assert!(
        files_with(&out_dir, "spkg").is_empty(),
        "nothing was answered"
    );
    let refused = audit_lines(&t.w.vault.join("audit.log"), "resolve-refused");
    assert_eq!(refused.len(), 1, "{refused:?}");

    // The real case runs; the lists are exact.
    let ([munich, berlin], log) = trace_logged(&t.w, CASE);
    assert_eq!(phones(&munich.unwrap()), vec![t.ben.phone.clone()], "{log}");
    assert_eq!(
        phones(&berlin.unwrap()),
        vec![t.dora.phone.clone()],
        "{log}"
    );
    // Within the real case, a card the case never scanned and a second place are refused.
    std::fs::write(&req, forged("1:M-1", vec![])).unwrap();
    let out =
        t.w.vault()
            .arg("resolve")
            .arg(&req)
            .arg("--out")
            .arg(&out_dir)
            .ok();
    assert!(out.contains("something the case did not reach"), "{out}");
    let last = audit_lines(&t.w.vault.join("audit.log"), "resolve")
        .pop()
        .unwrap();
    assert_eq!(last["detail"]["given"]["personal"], 0, "{last}");
    assert_eq!(last["detail"]["skipped"]["outside-case"], 2, "{last}");
    assert!(
        !out.contains("forwarded"),
        "nothing forwarded to Berlin: {out}"
    );
    // Berlin, which the case sent only Dora, cannot ask for Munich's registrations or places.
    let berlin_desk = spur_authority::Desk::open(&t.w.desks[1]).unwrap();
    let b = spur_authority::open::to_vault(
        &berlin_desk,
        &mut rand_core::OsRng,
        spur_wire::exchange::PackageKind::ResolveRequest,
        &spur_wire::exchange::ResolveRequest {
            case_id: "1:M-1".into(),
            places: vec![spur_wire::exchange::Hex(cafe.id.0.to_vec())],
            ..Default::default()
        },
    )
    .unwrap();
    std::fs::write(&req, b).unwrap();
    let out =
        t.w.vault()
            .arg("resolve")
            .arg(&req)
            .arg("--out")
            .arg(&out_dir)
            .ok();
    assert!(
        out.contains("1 record skipped: 1 names something the case did not reach"),
        "{out}"
    );
    t.w.vault().args(["audit", "verify"]).ok();
}

#[test]
fn p7_a_deleted_contact_is_final_and_a_card_trace_repeats_with_a_fresh_request() {
    let t = small(|w, _| {
        let _ = w;
    });
    // Ben deletes his data after the visit (his tombstone reaches the vault with the import).
    t.ben.app().arg("delete-all").ok();
    let ([munich, berlin], log) = trace_logged(&t.w, CASE);
    let munich = munich.unwrap();
    let p = phones(&munich);
    assert_eq!(p.len(), 1, "{munich}");
    assert!(p[0].contains("deleted"), "{munich}");
    assert!(!munich.contains(&t.ben.phone));
    assert!(!munich.contains("not resolved yet"), "{munich}");
    assert_eq!(
        phones(&berlin.unwrap()),
        vec![t.dora.phone.clone()],
        "{log}"
    );

    // A card-only person: Dora scans Anna's printed card; two requests in the same minute differ
    // and each is good for one trace.
    let card = t.anna.card();
    t.dora.check_in(&card, "15", 0);
    assert!(t.dora.sync(1).contains("pending 0"));
    t.w.pull_and_import("export-card");
    let url = scan_url(&card);
    let card_trace = |n: usize| -> String {
        let req = t.w.dir().join(format!("history-{n}.bin"));
        let answer = t.w.dir().join(format!("history-{n}.json"));
        if n == 1 {
            // The desk sends the request itself and keeps the answer.
            let said =
                t.w.desk(0)
                    .args(["history-request", "--card", &url, "--first-day", &date(-1)])
                    .args(["--days", "2", "--tag-url", &t.w.tag_url, "--answer"])
                    .arg(&answer)
                    .arg("--out")
                    .arg(&req)
                    .ok();
            assert!(said.contains("the TAG server's answer"), "{said}");
        } else {
            // Written only: the message names the command that sends it and the one for a
            // card-only person.
            let said =
                t.w.desk(0)
                    .args(["history-request", "--card", &url, "--first-day", &date(-1)])
                    .args(["--days", "2", "--out"])
                    .arg(&req)
                    .ok();
            assert!(
                said.contains("--tag-url") && said.contains("card-trace"),
                "{said}"
            );
            let a = common::http::request(
                t.w.tag.as_ref().unwrap().port(),
                "POST",
                routes::TMP_KEYS_HISTORY,
                &[("Content-Type", "application/octet-stream")],
                &std::fs::read(&req).unwrap(),
            );
            assert_eq!(a.status, 200, "{}", a.body);
            std::fs::write(&answer, &a.bytes).unwrap();
        }
        let out = t.w.dir().join(format!("card-{n}"));
        t.w.desk(0)
            .args(["card-trace", "--case", "M-7", "--card", &url, "--test-kdf"])
            .arg("--request")
            .arg(&req)
            .arg("--tmp-keys")
            .arg(&answer)
            .arg("--out")
            .arg(&out)
            .ok();
        let scan = out.join("scan-keys-M-7.spkg");
        let r =
            t.w.vault()
                .arg("trace")
                .arg(&scan)
                .arg("--out")
                .arg(&out)
                .ok();
        // The same file again: the request is spent.
        let again =
            t.w.vault()
                .arg("trace")
                .arg(&scan)
                .arg("--out")
                .arg(&out)
                .fails();
        assert!(again.contains("used for a trace before"), "{again}");
        r
    };
    let first = card_trace(1);
    let second = card_trace(2);
    assert_ne!(
        std::fs::read(t.w.dir().join("history-1.bin")).unwrap(),
        std::fs::read(t.w.dir().join("history-2.bin")).unwrap(),
        "two requests in the same minute differ"
    );
    for out in [first, second] {
        assert!(out.contains("(1 slot entry for authority 2)"), "{out}");
    }
}

#[test]
fn p8_desk_audit_log_records_every_step_verifies_after_kill_and_sweeps_forget() {
    let t = small(|_, _| {});
    let ([munich, berlin], _) = trace_logged(&t.w, CASE);
    assert_eq!(phones(&munich.unwrap()), vec![t.ben.phone.clone()]);
    assert_eq!(phones(&berlin.unwrap()), vec![t.dora.phone.clone()]);
    let log = t.w.desks[0].join("audit.log");
    for event in [
        "open-consent",
        "open-contacts",
        "open-resolved",
        "contact-list",
    ] {
        assert!(!audit_lines(&log, event).is_empty(), "no {event} line");
    }
    // A refused step is recorded too.
    let bogus = t.w.dir().join("bogus.spkg");
    std::fs::write(&bogus, b"SPURPKG\0garbage").unwrap();
    t.w.desk(0).args(["open", "contacts"]).arg(&bogus).fails();
    assert_eq!(audit_lines(&log, "open-contacts-refused").len(), 1);
    // Killed at several moments while writing its list: the log still verifies.
    for delay in [1u64, 3, 6, 10, 20] {
        let mut child = std::process::Command::new(SPUR)
            .args(["authority", "--dir"])
            .arg(&t.w.desks[0])
            .args(["contacts", "--case", CASE, "--csv"])
            .arg(t.w.dir().join("killed.csv"))
            .env_remove(SHIFT)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let out = t.w.desk(0).args(["audit", "verify"]).ok();
        assert!(out.contains("audit log verifies"), "{out}");
    }
    t.w.desk(0)
        .args(["contacts", "--case", CASE, "--csv", "-"])
        .ok();
    let out = t.w.desk(0).args(["audit", "verify"]).ok();
    assert!(!out.contains("torn"), "{out}");

    // Retention: 29 days later the desk's case files (phone numbers) are gone; at +27 kept.
    let cases = t.w.desks[0].join("cases");
    let out = t.w.desk(0).shifted(27).arg("sweep").ok();
    assert!(out.contains("deleted 0"), "{out}");
    let out = t.w.desk(0).shifted(29).arg("sweep").ok();
    assert!(!out.contains("deleted 0"), "{out}");
    assert!(files_with(&cases, "json").is_empty());
    assert_eq!(audit_lines(&log, "sweep").len(), 2);

    // Pulled export files: the next pull deletes what the vault imported.
    let dir = t.w.dir().join("pulls");
    let first = t.w.pull(&dir);
    Spur::new(["vault", "--dir"])
        .arg(&t.w.vault)
        .arg("import")
        .args(&first)
        .ok();
    let second = t.w.pull(&dir);
    for f in &first {
        assert!(
            !second.contains(f),
            "{} was imported and must be gone",
            f.display()
        );
    }
    // ... and a file older than retention; the vault refuses it after its sweep.
    let later = t.w.dir().join("later");
    let old: Vec<PathBuf> = t.w.pull(&later);
    // 30 days on, not 29: a stay that began late in the evening has slot entries on the next
    // day, which are only 28 days old after 29 (the test must not depend on the hour it runs).
    t.w.vault().shifted(30).arg("sweep").ok();
    let e = t.w.vault().shifted(30).arg("import").args(&old).fails();
    assert!(e.contains("older than retention"), "{e}");
    let c = t.w.vault().arg("status").ok();
    assert!(
        c.contains("\"slot_entries\": 0"),
        "nothing stored again: {c}"
    );
    Spur::new(["server", "pull", "--server"])
        .arg(format!("127.0.0.1:{}", t.w.post_port))
        .arg("--token-file")
        .arg(&t.w.token)
        .arg("--dir")
        .arg(&later)
        .shifted(29)
        .ok();
    for f in &old {
        assert!(!f.exists(), "{} is older than 28 days", f.display());
    }
}

#[test]
fn p9_files_are_owner_only_and_an_altered_export_is_refused() {
    let t = small(|_, _| {});
    // An export with a record removed, added or altered, count and digest recomputed.
    let files = t.w.pull(&t.w.dir().join("tamper"));
    let good = std::fs::read(&files[0]).unwrap();
    let parsed = spur_protocol::export::parse(&good).unwrap();
    assert!(
        parsed.signature.is_some(),
        "the POST server signs its exports"
    );
    let mut removed = parsed.rows.clone();
    removed.pop();
    let mut added = parsed.rows.clone();
    added.push(parsed.rows[0].clone());
    let mut altered = parsed.rows.clone();
    altered[0].day = spur_protocol::time::Day(altered[0].day.0 - 1);
    let stranger = std::sync::Arc::new(spur_protocol::keys::SignSecretKey::generate(
        &mut rand_core::OsRng,
    ));
    for (name, rows, signed) in [
        ("removed", &removed, false),
        ("added", &added, false),
        ("altered", &altered, false),
        ("resigned", &removed, true),
    ] {
        let bytes = if signed {
            spur_protocol::export::encode_signed(stranger.clone(), rows, false, &parsed.cursor)
        } else {
            spur_protocol::export::encode(rows, false, &parsed.cursor)
        };
        assert!(
            spur_protocol::export::parse(&bytes).is_ok(),
            "{name}: well formed"
        );
        let p = t.w.dir().join(format!("{name}.spurx"));
        std::fs::write(&p, bytes).unwrap();
        let e = t.w.vault().arg("import").arg(&p).fails();
        assert!(
            e.contains("not signed by the POST server") || e.contains("signature does not verify"),
            "{name}: {e}"
        );
    }
    // A vault that has not pinned the POST key imports nothing, not even the server's own file.
    let fresh = World::offline();
    let e = fresh.vault().arg("import").arg(&files[0]).fails();
    assert!(e.contains("spur vault pin-post-key"), "{e}");
    let c = t.w.vault().arg("status").ok();
    assert!(c.contains("\"slot_entries\": 0"), "nothing imported: {c}");
    assert_eq!(
        audit_lines(&t.w.vault.join("audit.log"), "import-refused").len(),
        4
    );

    // The trace, then every file holding opened records or contact data is owner-only.
    let ([munich, berlin], _) = trace_logged(&t.w, CASE);
    assert_eq!(phones(&munich.unwrap()), vec![t.ben.phone.clone()]);
    assert_eq!(phones(&berlin.unwrap()), vec![t.dora.phone.clone()]);
    for f in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let p = t.w.vault.join(f);
        if p.exists() || f == "vault.db" {
            assert_eq!(mode(&p), 0o600, "{f}");
        }
    }
    assert_eq!(mode(&t.w.vault), 0o700);
    for d in &t.w.desks {
        assert_eq!(mode(d), 0o700);
        assert_eq!(mode(&d.join("cases")), 0o700);
        for f in files_with(&d.join("cases"), "json") {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
    }
    let list = t.w.dir().join(format!("trace-{CASE}")).join("list-0.csv");
    assert_eq!(mode(&list), 0o600);
    for f in files_with(&t.w.dir().join("tamper"), "spurx") {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    // `spur demo --dir`: its desks' lists.
    let demo = t.w.dir().join("demo");
    Spur::new(["demo", "--people", "30", "--days", "2", "--dir"])
        .arg(&demo)
        .ok();
    assert_eq!(mode(&demo), 0o700);
    let lists: Vec<PathBuf> = files_with(&demo, "csv")
        .into_iter()
        .chain(files_with(&demo, "json"))
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("authority")
        })
        .collect();
    assert!(!lists.is_empty());
    for f in lists {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

/// The number before `word` in `line` (`… 6 slot entries …` → 6).
fn count_before(line: &str, word: &str) -> usize {
    let head = &line[..line
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} in {line:?}"))];
    head.split_whitespace()
        .last()
        .and_then(|n| n.trim_start_matches('(').parse().ok())
        .unwrap_or_else(|| panic!("a number before {word:?} in {line:?}"))
}

#[test]
fn p10_vault_desk_and_list_count_the_same_file_in_the_same_words() {
    let t = small(|_, _| {});
    let ([munich, _], log) = trace_logged(&t.w, CASE);
    assert_eq!(phones(&munich.unwrap()), vec![t.ben.phone.clone()]);
    // The vault counts what it can see: slot entries, per authority's file.
    let vault: Vec<(bool, usize)> = log
        .lines()
        .filter(|l| l.starts_with("wrote ") && l.contains(" slot entr"))
        .map(|l| {
            (
                l.contains("for authority 1)"),
                count_before(l, " slot entr"),
            )
        })
        .collect();
    // Each desk opening its file says the same number and what it became on its list; the files
    // are opened in the order the vault wrote them.
    let desk: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" slot entr") && l.contains("opened; the list now has"))
        .collect();
    assert_eq!(vault.len(), 2, "{log}");
    assert_eq!(desk.len(), vault.len(), "{log}");
    for ((_, n), line) in vault.iter().zip(&desk) {
        assert!(
            line.starts_with(&format!("case {CASE} of {}: ", MUNICH.1)),
            "{line}"
        );
        assert_eq!(count_before(line, " slot entr"), *n, "{log}");
    }
    let munich_line = vault
        .iter()
        .zip(&desk)
        .find(|((munich, _), _)| *munich)
        .map(|(_, l)| *l)
        .unwrap();
    let people_stays = munich_line.rsplit("the list now has ").next().unwrap();
    // The list: the same people and stays, in its JSON and in the command's own summary.
    let json = t.w.dir().join("count.json");
    let o =
        t.w.desk(0)
            .args(["contacts", "--case", CASE, "--json"])
            .arg(&json)
            .run();
    assert!(o.ok, "{}", o.stderr);
    let list: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let people = list["people"].as_array().unwrap().len();
    let stays = list["stay_count"].as_u64().unwrap();
    let words = format!(
        "{people} {}, {stays} {}",
        if people == 1 { "person" } else { "people" },
        if stays == 1 { "stay" } else { "stays" }
    );
    assert_eq!(people_stays, words, "{log}");
    assert_eq!(list["summary"], words);
    assert!(
        o.stderr.contains(&format!("case {CASE}: {words}")),
        "{}",
        o.stderr
    );
}
