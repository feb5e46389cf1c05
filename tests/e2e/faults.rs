//! Faults across real processes (DESIGN.md property 5, "nothing accepted is ever lost"): the POST
//! server killed during uploads, a phone offline, the same upload twice, the vault's import
//! killed or fed a truncated file — nothing lost, nothing duplicated.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::dump::{assert_same, db_rows, export_rows, Row};
use common::http::{export, request};
use common::{Args, Citizen, Spur, World};
use spur_wire::api::routes;

fn rows(w: &World) -> Vec<Row> {
    let token = std::fs::read_to_string(&w.token).unwrap();
    export_rows(&export(w.post_port, &token))
}

/// Runs `spur vault import FILE` as its own process and kills it (SIGKILL) after `delay_ms`,
/// finished or not.
fn kill_import_after(w: &World, file: &std::path::Path, delay_ms: u64) {
    let mut child = std::process::Command::new(common::SPUR)
        .args(["vault", "--dir"])
        .arg(&w.vault)
        .arg("import")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(delay_ms));
    let _ = child.kill();
    let _ = child.wait();
}

fn count(rows: &[Row], kind: u8) -> usize {
    rows.iter().filter(|r| r.kind == kind).count()
}

/// Syncs every citizen, their clock moved by `shift` days, until nothing is pending (retries
/// wait out the app's backoff).
fn sync_until_sent(people: &[&Citizen], shift: i64, limit: Duration) {
    let start = Instant::now();
    for c in people {
        loop {
            let out = c.sync(shift);
            if out.contains("pending 0") && out.contains("waiting 0") {
                break;
            }
            assert!(start.elapsed() < limit, "still not sent: {out}");
            std::thread::sleep(Duration::from_secs(3));
        }
    }
}

#[test]
fn post_server_killed_during_uploads_keeps_every_acknowledged_upload_exactly_once() {
    let mut w = World::new();
    let people: Vec<Citizen> = (0..3)
        .map(|i| {
            w.citizen(
                &format!("p{i}"),
                &format!("+49151200000{i:02}"),
                "80331",
                None,
            )
        })
        .collect();
    let place = people[0].place_code("Kantine Kill", "80331", "+4915120000099");
    let mut check_ins = 0;
    // A stay is sent once it is over, so every sync here runs a day later (all stays ended).
    // A first round reaches the server; the records it acknowledged are these.
    for c in &people {
        c.check_in(&place, "15", 0);
        check_ins += 1;
        c.sync(1);
    }
    let acknowledged = rows(&w);
    // A second round, its uploads under way while the POST server is killed with SIGKILL.
    for c in &people {
        c.check_in(&place, "30", 0);
        check_ins += 1;
    }
    let port = w.post_port;
    let busy: Vec<_> = people
        .iter()
        .map(|c| {
            let app = c.app().shifted(1).arg("sync");
            std::thread::spawn(move || app.run())
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    w.post.as_mut().unwrap().kill();
    for b in busy {
        let o = b.join().unwrap();
        assert!(
            o.ok,
            "a sync does not fail because the server died: {}",
            o.stderr
        );
    }
    // One more round while it is down: kept in the outbox.
    for c in &people {
        c.check_in(&place, "45", 0);
        check_ins += 1;
    }
    // Restarted on the same port and database.
    w.post = Some(w.start_post(port, 0));
    sync_until_sent(
        &people.iter().collect::<Vec<_>>(),
        1,
        Duration::from_secs(150),
    );
    let after = rows(&w);
    for r in &acknowledged {
        assert_eq!(
            after.iter().filter(|a| a.id == r.id).count(),
            1,
            "an acknowledged record is there exactly once"
        );
    }
    // One user entry per check-in: no visit was rebuilt and sent twice after the crash.
    assert_eq!(count(&after, 6), check_ins, "user entries");
    let mut ids: Vec<&Vec<u8>> = after.iter().map(|r| &r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), after.len(), "no record twice");
}

#[test]
fn phone_offline_completes_check_ins_later_or_says_clearly_that_the_window_passed() {
    let mut w = World::new();
    let anna = w.citizen("anna", "+4915130000001", "80331", None);
    let place = anna.place_code("Offline Bar", "80331", "+4915130000099");
    let tag_port = w.tag.as_ref().unwrap().port();
    let post_port = w.post_port;
    let before = count(&rows(&w), 6);
    // The phone loses the network: both servers unreachable.
    w.tag.take();
    w.post.take();
    let checked = anna.check_in(&place, "60", 0);
    assert!(
        checked.contains("Offline Bar") && checked.contains("kept on this device"),
        "the check-in is kept offline: {checked}"
    );
    let out = anna.sync(0);
    assert!(out.contains("waiting 1"), "{out}");
    assert!(
        out.contains("waiting for the network") || out.contains("pending"),
        "{out}"
    );
    // The network returns within the TAG window: the person leaves (ends the stay early), and
    // the check-in completes. The app retries with backoff (30 s after the first failure), as
    // a phone would.
    w.tag = Some(w.start_tag(tag_port, 0));
    w.post = Some(w.start_post(post_port, 0));
    let id = checked
        .lines()
        .find_map(|l| l.strip_prefix("check-in id: "))
        .unwrap()
        .to_owned();
    anna.app().args(["check-out", "--id", &id]).ok();
    sync_until_sent(&[&anna], 0, Duration::from_secs(100));
    assert_eq!(count(&rows(&w), 6), before + 1);

    // Offline again, and this time back only two days later: the TAG window has passed.
    w.tag.take();
    w.post.take();
    anna.check_in(&place, "60", 0);
    w.tag = Some(w.start_tag(tag_port, 0));
    w.post = Some(w.start_post(post_port, 0));
    let o = anna.app().shifted(2).arg("sync").run();
    assert!(o.ok, "{}", o.stderr);
    assert!(o.stdout.contains("lost 1"), "{}", o.stdout);
    assert!(
        o.stdout.contains("could not be completed in time"),
        "the app says so in words: {}",
        o.stdout
    );
    assert_eq!(
        count(&rows(&w), 6),
        before + 1,
        "nothing half-done was sent"
    );
}

#[test]
fn same_upload_sent_twice_is_stored_once() {
    let w = World::new();
    let anna = w.citizen("anna", "+4915140000001", "80331", None);
    let place = anna.place_code("Doppel Imbiss", "80331", "+4915140000099");
    anna.check_in(&place, "30", 0);
    anna.sync(1); // sent once the stay is over
    let first = rows(&w);
    let before = db_rows(&w.post_db);
    // The visit's records again, byte for byte (wire = version, kind, OP-sealed body).
    let visit: Vec<u8> = first
        .iter()
        .filter(|r| r.kind == 5 || r.kind == 6)
        .flat_map(|r| [vec![1, r.kind], r.body.clone()].concat())
        .collect();
    let a1 = request(w.post_port, "POST", routes::VISITS, &[], &visit);
    let a2 = request(w.post_port, "POST", routes::VISITS, &[], &visit);
    assert_eq!(a1.status, 200, "{}", a1.body);
    assert_eq!(a1.body, a2.body, "the same answer both times");
    let ids: serde_json::Value = serde_json::from_str(&a1.body).unwrap();
    assert_eq!(ids["ids"].as_array().unwrap().len(), visit_records(&first));
    assert_same(
        &before,
        &db_rows(&w.post_db),
        "stored once: nothing changed",
    );
    // And the app's own retry (sync again) adds nothing either.
    anna.sync(1);
    assert!(rows(&w) == first, "the app's retry changed the server");
}

fn visit_records(rows: &[Row]) -> usize {
    rows.iter().filter(|r| r.kind == 5 || r.kind == 6).count()
}

#[test]
fn vault_import_interrupted_and_resumed_loses_and_duplicates_nothing() {
    let w = World::new();
    let people: Vec<Citizen> = (0..3)
        .map(|i| {
            w.citizen(
                &format!("v{i}"),
                &format!("+49151500000{i:02}"),
                "80331",
                None,
            )
        })
        .collect();
    let place = people[0].place_code("Vault Cafe", "80331", "+4915150000099");
    for c in &people {
        c.check_in(&place, "90", 0);
        c.sync(1); // sent once the stay is over
    }
    let files = w.pull(&w.dir().join("export"));
    assert_eq!(files.len(), 1);
    let file = &files[0];
    // A reference vault with the same keys imports the file in one go.
    let reference = w.dir().join("vault-reference");
    copy_dir(&w.vault, &reference);
    Spur::new(["vault", "--dir"])
        .arg(&reference)
        .arg("import")
        .arg(file)
        .ok();
    let want = data_tables(&reference.join("vault.db"));
    assert!(want["slot_entries"].len() >= 3, "{:?}", want.keys());

    // A truncated copy (a transfer cut off) is refused whole and stores nothing.
    let bytes = std::fs::read(file).unwrap();
    let cut = w.dir().join("cut.spurx");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let msg = w.vault().arg("import").arg(&cut).fails();
    assert!(msg.contains("refused"), "{msg}");
    let db = w.vault.join("vault.db");
    assert!(
        data_tables(&db).values().all(Vec::is_empty),
        "nothing stored"
    );

    // The import process killed (SIGKILL) at several moments, then run again.
    for delay_ms in [5u64, 20, 60] {
        kill_import_after(&w, file, delay_ms);
        let now = data_tables(&db);
        assert!(
            now == want || now.values().all(Vec::is_empty),
            "after a kill at {delay_ms} ms the vault holds all or nothing"
        );
    }
    w.vault().arg("import").arg(file).ok();
    assert_same(
        &want,
        &data_tables(&db),
        "resumed: nothing lost, nothing twice",
    );
    let out = w.vault().arg("import").arg(file).ok();
    assert!(out.contains("imported before"), "{out}");
    assert_same(&want, &data_tables(&db), "imported again");
}

#[test]
fn vault_audit_log_still_verifies_after_an_import_is_killed() {
    let w = World::new();
    let anna = w.citizen("anna", "+4915150000101", "80331", None);
    let place = anna.place_code("Audit Cafe", "80331", "+4915150000199");
    anna.check_in(&place, "30", 0);
    anna.sync(1); // sent once the stay is over
    let files = w.pull(&w.dir().join("export"));
    for delay_ms in [2u64, 5, 8, 12, 16, 20, 30, 40] {
        let copy = w.dir().join(format!("copy-{delay_ms}.spurx"));
        // A different file each round (one more page byte-identical would be "imported before").
        std::fs::copy(&files[0], &copy).unwrap();
        kill_import_after(&w, &copy, delay_ms);
        let o = w.vault().args(["audit", "verify"]).run();
        assert!(o.ok, "after a kill at {delay_ms} ms: {}", o.stderr);
    }
    // The next step settles whatever an interrupted one left: every line confirmed, none torn.
    let last = w.dir().join("copy-last.spurx");
    std::fs::copy(&files[0], &last).unwrap();
    w.vault().arg("import").arg(&last).ok();
    let out = w.vault().args(["audit", "verify"]).ok();
    assert!(out.contains("audit log verifies"), "{out}");
    assert!(
        !out.contains("confirmed step") && !out.contains("torn"),
        "{out}"
    );
}

/// The vault's record tables (not bookkeeping: meta and the import times).
fn data_tables(db: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut t = db_rows(db);
    t.remove("meta");
    t.remove("imported_files");
    t
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let dest = to.join(p.file_name().unwrap());
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}
