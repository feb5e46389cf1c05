//! Retention across real processes: with every party's clock moved 30 days forward (the test hook
//! `SPUR_CLOCK_SHIFT_DAYS` in protocol/src/time.rs), nothing older than 28 days remains on the
//! POST server, in the vault or in the app's history — each party triggered the way its operator
//! or user would: the POST server sweeps when it starts (and hourly), the vault on `spur vault
//! sweep`, the app whenever it reads its history or syncs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::dump::{self, db_rows, export_rows};
use common::http::export;
use common::World;

#[test]
fn nothing_older_than_28_days_remains_on_post_server_vault_or_app_after_29_days() {
    let mut w = World::new();
    let anna = w.citizen("anna", "+4915160000001", "80331", None);
    let place = anna.place_code("Alte Post", "80331", "+4915160000099");
    anna.check_in(&place, "60", 0);
    // Sent once the stay is over: the phone syncs a day later.
    assert!(anna.sync(1).contains("pending 0"));
    w.pull_and_import("export");
    let token = std::fs::read_to_string(&w.token).unwrap();
    let old = export_rows(&export(w.post_port, &token));
    assert!(old.iter().any(|r| r.kind == 6), "a visit was stored");
    let history = anna.app().arg("history").ok();
    assert!(history.contains("Alte Post"), "{history}");

    // 28 days later the records are still there (never deleted before 27 days).
    let o = anna.app().shifted(27).arg("history").run();
    assert!(o.stdout.contains("Alte Post"), "{}", o.stdout);

    // The POST server restarted 30 days later sweeps on start. (30, not 29: a stay begun late in
    // the evening has slot entries on the next day, only 28 days old after 29; the test must not
    // depend on the hour it runs.)
    let port = w.post_port;
    w.post.as_mut().unwrap().terminate();
    w.post = Some(w.start_post(port, 30));
    let start = Instant::now();
    while !export_rows(&export(port, &token)).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the sweep did not run"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The warning comes with the first clock reading (the sweep on start), once.
    let warned = || {
        w.post
            .as_ref()
            .unwrap()
            .stderr()
            .matches("clock is shifted by 30 days")
            .count()
    };
    while warned() == 0 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(warned(), 1, "one warning line");
    // Not in the files either (free pages, WAL): the old bodies are overwritten.
    w.post.as_mut().unwrap().terminate();
    let files = dump::files(&w.dir().join("post"));
    for r in &old {
        let probe = &r.body[r.body.len() - 24..];
        for (p, bytes) in &files {
            assert!(
                !bytes.windows(probe.len()).any(|x| x == probe),
                "a swept record of kind {} is still in {}",
                r.kind,
                p.display()
            );
        }
    }

    // The vault's operator runs the sweep 30 days later.
    let vault_db = w.vault.join("vault.db");
    let before = db_rows(&vault_db);
    assert!(!before["user_entries"].is_empty());
    let o = w.vault().shifted(30).arg("sweep").run();
    assert!(o.ok, "{}", o.stderr);
    assert!(o.stdout.contains("deleted"), "{}", o.stdout);
    assert_eq!(
        o.stderr.matches("clock is shifted").count(),
        1,
        "{}",
        o.stderr
    );
    let after = db_rows(&vault_db);
    for t in [
        "slot_entries",
        "user_entries",
        "registrations",
        "codes",
        "consent_releases",
    ] {
        assert!(after[t].is_empty(), "{t} still holds {:?}", after[t]);
    }

    // The app, opened 30 days later, shows no history.
    let o = anna.app().shifted(30).arg("history").run();
    assert!(o.ok, "{}", o.stderr);
    assert!(!o.stdout.contains("Alte Post"), "{}", o.stdout);
    assert_eq!(
        o.stderr.matches("clock is shifted").count(),
        1,
        "{}",
        o.stderr
    );
    // And unshifted again, the history stays gone: it was deleted, not hidden.
    let o = anna.app().arg("history").ok();
    assert!(!o.contains("Alte Post"), "{o}");
}
