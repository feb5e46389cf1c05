//! The tester's app tells the truth (issue 13, point 9), with the real binary and real servers:
//! a check-in with a personal code says so and says whether the servers were reached or it was
//! kept offline; a fixed stay can be ended early; the same code again merges; a first
//! registration made offline says nothing was kept; a damaged `spur.db` is reported, never reset;
//! storage errors at start are sentences; `--stay 1h` parses and nonsense is refused clearly;
//! `consent` takes `--image`, and `spur server dev`'s host is the desk's default host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{date, scan_url, Args, Citizen, Proc, Spur, World};

const ONLINE: &str = "The servers were reached; the check-in is sent when the stay ends.";
const OFFLINE: &str = "There is no connection to the spur servers: the check-in is kept on this \
                       device and completed when the connection is back.";

/// The check-in id the app printed.
fn id_of(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("check-in id: "))
        .unwrap()
        .to_owned()
}

#[test]
fn a_check_in_says_personal_code_online_or_kept_offline_and_ends_early() {
    let mut w = World::new();
    let anna = w.citizen("anna", "+4915181000001", "80331", None);
    let bob = w.citizen("bob", "+4915181000002", "80331", None);
    let card = anna.card();
    let out = bob.check_in(&card, "15m", 0);
    assert!(
        out.starts_with("You are checked in with a personal code from "),
        "{out}"
    );
    assert!(!out.contains("checked in at  from"), "{out}");
    assert!(out.contains(ONLINE), "{out}");

    // A fixed hour at a place, ended early: the words say when and that it was sent.
    let place = anna.place_code("Cafe Eck", "80331", "+4915181000019");
    let out = bob.check_in(&place, "1h", 0);
    assert!(
        out.starts_with("You are checked in at Cafe Eck from "),
        "{out}"
    );
    // The same code again during its stay: no second stay.
    let again = bob.check_in(&place, "90m", 0);
    assert!(
        again.starts_with("You were already checked in at Cafe Eck since "),
        "{again}"
    );
    assert_eq!(id_of(&again), id_of(&out));
    let running = bob.app().arg("running").ok();
    assert!(running.contains("Cafe Eck"), "{running}");
    let ended = bob.app().args(["check-out", "--id", &id_of(&out)]).ok();
    assert!(
        ended.starts_with("You checked out of Cafe Eck at ")
            && ended.trim_end().ends_with("It was sent."),
        "{ended}"
    );

    // Offline (the TAG server is gone): kept, and said so.
    w.tag = None;
    let out = bob.check_in(&place, "short", 0);
    assert!(out.contains(OFFLINE), "{out}");
}

#[test]
fn a_first_registration_offline_says_nothing_was_kept() {
    let mut w = World::new();
    let carla = w.unregistered("carla", "+4915181000003", "80331");
    w.tag = None;
    w.post = None;
    let err = carla
        .app()
        .args(["register", "--phone", &carla.phone, "--postcode", "80331"])
        .fails();
    assert!(
        err.contains(
            "The spur servers cannot be reached, and registering needs them once to find your \
             health authority. Nothing was registered or kept on this device; please try again \
             when you are online."
        ),
        "{err}"
    );
    assert!(!err.contains("kept and will be sent"), "{err}");
    let err = carla
        .app()
        .args(["check-in", "--url", "https://spur.e2e/P#x"])
        .fails();
    assert!(err.contains("Please register first."), "{err}");
}

#[test]
fn a_damaged_store_is_reported_and_storage_errors_are_sentences() {
    let w = World::new();
    let dora = w.citizen("dora", "+4915181000004", "80331", None);
    let db = dora.dir.join("spur.db");
    std::fs::write(&db, b"").unwrap();
    let err = dora.app().arg("history").fails();
    assert!(
        err.contains(
            "The app's data file on this device is damaged. Restore it from a backup, or \
             delete it to start over"
        ),
        "{err}"
    );
    assert!(err.contains("spur.db"), "{err}");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "never reset");
    // Garbage instead of a database: the same.
    std::fs::write(&db, vec![b'x'; 4096]).unwrap();
    let err = dora.app().arg("history").fails();
    assert!(err.contains("is damaged"), "{err}");
    // A store that cannot be opened at all: a sentence, not a message id.
    std::fs::remove_file(&db).unwrap();
    std::fs::create_dir(&db).unwrap();
    let err = dora.app().arg("history").fails();
    assert!(!err.contains("error-"), "{err}");
    assert!(
        err.contains("The app could not read or write its data on this device.")
            || err.contains("is damaged"),
        "{err}"
    );
}

#[test]
fn stay_durations_parse_and_nonsense_is_refused_clearly() {
    let w = World::new();
    let emil = w.citizen("emil", "+4915181000005", "80331", None);
    let place = emil.place_code("Halle", "80331", "+4915181000059");
    let url = scan_url(&place);
    for bad in ["7m", "banana", "5h", "1h7m", "0", "open:7m"] {
        let err = emil
            .app()
            .args(["check-in", "--stay", bad, "--url", &url])
            .fails();
        assert!(
            err.contains(
                "--stay is short, a fixed stay of 15 minutes to 4 hours in steps of 15 (such \
                 as 15m, 90m, 1h or 2h), open (ends after 2 hours unless extended) or open:3h"
            ),
            "{bad}: {err}"
        );
    }
    let out = emil
        .app()
        .args(["check-in", "--stay", "1h", "--url", &url])
        .ok();
    assert!(
        out.starts_with("You are checked in at Halle from "),
        "{out}"
    );
    for good in ["15m", "90m", "2h", "1h30m", "60"] {
        let out = emil
            .app()
            .args(["check-in", "--stay", good, "--url", &url])
            .ok();
        assert!(
            out.starts_with("You were already checked in at Halle"),
            "{good}: {out}"
        );
    }
    let out = emil
        .app()
        .args(["check-in", "--stay", "open", "--url", &url])
        .ok();
    assert!(out.contains("The stay now lasts until"), "{out}");
}

#[test]
fn consent_takes_a_picture_and_the_dev_host_is_the_desks_default() {
    let w = World::offline();
    let data = w.dir().join("dev");
    let args: Vec<String> = ["server", "dev", "--tag-port", "0", "--post-port", "0"]
        .iter()
        .map(|s| s.to_string())
        .chain(["--data-dir".into(), data.display().to_string()])
        .chain(["--vault".into(), w.vault.display().to_string()])
        .collect();
    let _dev = Proc::start(&args, 0, 2);
    let line = std::fs::read_to_string(data.join("app-init.txt")).unwrap();
    let c = Citizen {
        dir: w.dir().join("phone"),
        phone: "+4915181000006".into(),
        postcode: "80331".into(),
        secret: "ballot-quarry-tiptoe-lantern-minnow-43".into(),
    };
    Spur::new(["app", "--data-dir"])
        .arg(&c.dir)
        .arg("init")
        .args(line.split_whitespace().skip(3))
        .ok();
    c.register(None);
    // The desk's consent code with its default host, as docs/vault-authority.md shows it.
    let out = w
        .desk(0)
        .args(["consent-code", "--case", "M-1", "--phone", &c.phone])
        .args(["--first-day", &date(0)])
        .args(["--days", "1", "--out"])
        .arg(w.dir().join("consent"))
        .ok();
    assert!(
        out.lines()
            .next()
            .unwrap()
            .to_ascii_lowercase()
            .contains("//spur.example/"),
        "{out}"
    );
    let out = c
        .app()
        .args(["consent", "--phone", &c.phone, "--image"])
        .arg(w.dir().join("consent.png"))
        .ok();
    assert!(out.contains("released"), "{out}");
}

#[test]
fn login_with_a_mistyped_secret_is_refused_never_a_new_identity() {
    let w = World::new();
    let fritz = w.citizen("fritz", "+4915181000007", "80331", None);
    // The same person on a new computer, typing the secret wrong.
    let other = w.unregistered("fritz-laptop", &fritz.phone, "80331");
    let err = other
        .app()
        .args(["login", "--phone", &fritz.phone, "--postcode", "80331"])
        .fails();
    assert!(
        err.contains("No registration was found for this phone number and secret."),
        "{err}"
    );
    let history = other.app().arg("history").ok();
    assert!(history.contains("scans: 0"), "{history}");
    let err = other
        .app()
        .args(["check-in", "--url", "https://spur.e2e/P#x"])
        .fails();
    assert!(
        err.contains("Please register first."),
        "nothing was kept: {err}"
    );
    // With the right secret it logs in.
    let out = other
        .app()
        .env("SPUR_SECRET", &fritz.secret)
        .args(["login", "--phone", &fritz.phone, "--postcode", "80331"])
        .ok();
    assert!(out.lines().any(|l| l == "logged in; registered"), "{out}");
}
