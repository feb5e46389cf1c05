//! Hostile and careless codes, end to end (issue 13, points 1–3): the real `spur` binary as
//! separate processes on 127.0.0.1. An edited copy of a poster is refused at scan and hides nobody
//! from a trace; a wrong card PIN is told online and at the completion of an offline scan, never
//! kept; a personal code nobody issued checks in like any other (the TAG server sees only blinded
//! ids, so it cannot tell); the POST server
//! rate-limits PIN checks and keeps no PIN check in its database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::http::request;
use common::{date, scan_url, Args, Citizen, World, HOST};
use spur_protocol::qr::{Code, Payload, PersonalCode};
use spur_protocol::tag::{QrId, TagKey};
use spur_wire::api::routes;

const CASE: &str = "H-1";
const CAFE: &str = "Cafe Zur Post";

/// Stops both servers (the apps are offline), as a phone without a network sees it.
fn servers_down(w: &mut World) {
    w.tag = None;
    w.post = None;
}

/// Starts both servers again on their ports (same secret, pepper and database).
fn servers_up(w: &mut World) {
    w.tag = Some(w.start_tag(w.tag_port(), 0));
    w.post = Some(w.start_post(w.post_port, 0));
}

/// Waits out the app's first retry delay (30 s) after a failed key fetch or PIN check, as a
/// phone would before its next sync.
fn wait_backoff() {
    std::thread::sleep(std::time::Duration::from_secs(31));
}

fn check_in_url(c: &Citizen, url: &str, pin: Option<&str>) -> common::Spur {
    let mut s = c.app().args(["check-in", "--stay", "60", "--url", url]);
    if let Some(p) = pin {
        s = s.args(["--pin", p]);
    }
    s
}

fn history(c: &Citizen) -> String {
    c.app().arg("history").ok()
}

/// A personal code whose id carries its commitment, with a MAC half no TAG server made.
fn never_issued_url() -> String {
    let mut c = PersonalCode {
        id: QrId([0x5C; 16]),
        key: TagKey::from_bytes([0x77; 16]),
        pin_protected: false,
    };
    let cm = c.commitment();
    c.id.0[..8].copy_from_slice(&cm.0);
    Payload {
        host: HOST.into(),
        code: Code::Personal(c),
    }
    .to_url()
    .unwrap()
}

/// A PIN card (PIN 4711) made by `owner`; returns its URL.
fn pin_card(owner: &Citizen) -> String {
    let prefix = owner.dir.join("pin-card");
    owner
        .app()
        .args(["personal-code", "--pin", "4711", "--out"])
        .arg(&prefix)
        .ok();
    scan_url(&prefix.with_extension("png"))
}

#[test]
fn edited_poster_is_refused_at_scan_and_hides_nobody_from_the_trace() {
    let w = World::new();
    let owner = w.citizen("owner", "+4915100000010", "80331", None);
    let anna = w.citizen("anna", "+4915100000011", "80331", None);
    let ben = w.citizen("ben", "+4915100000012", "80331", None);
    let carl = w.citizen("carl", "+4915100000013", "80331", None);
    let dora = w.citizen("dora", "+4915100000014", "80331", None);
    let poster = owner.place_code(CAFE, "80331", "+4915100000019");
    let bakery = owner.place_code("Baeckerei", "80469", "+4915100000019");
    let genuine = scan_url(&poster);
    assert!(genuine.contains(".DE80331.Cafe+Zur+Post"), "{genuine}");

    // The forger's copy: same id and TAG, another postcode (another bucket), or another name.
    for edited in [
        genuine.replace(".DE80331.", ".DE80469."),
        genuine.replace(".Cafe+Zur+Post", ".Cafe+Zur+Pos"),
    ] {
        let err = check_in_url(&carl, &edited, None).fails();
        assert!(err.contains("altered"), "{err}");
        let err = scan_fails(&w, &edited);
        assert!(err.contains("altered"), "{err}");
    }
    assert!(!history(&carl).contains(CAFE), "nothing was kept");

    // Told so, Carl scans the genuine poster; Anna and Ben were there too; Dora at the bakery.
    for c in [&anna, &ben, &carl] {
        let out = c.check_in(&poster, "60", 0);
        assert!(out.contains(CAFE), "{out}");
    }
    dora.check_in(&bakery, "60", 0);
    // A stay is sent once it is over: the phones sync a day later.
    for c in [&anna, &ben, &carl, &dora] {
        let out = c.sync(1);
        assert!(out.contains("pending 0"), "{out}");
    }
    let consent = w.consent_code(0, CASE, &anna.phone, &date(0), 1);
    anna.consent(&consent);
    let lists = w.trace(CASE, &[]);
    let munich = lists[0].as_deref().expect("the Munich desk has a list");
    for found in [&ben.phone, &carl.phone] {
        assert!(
            munich.contains(found.as_str()),
            "{found} missing:\n{munich}"
        );
    }
    for not in [&anna.phone, &dora.phone, &owner.phone] {
        assert!(!munich.contains(not.as_str()), "{not} listed:\n{munich}");
    }
}

/// What `spur scan --image` (the tester's reader) says of a picture of `url`; it must fail.
fn scan_fails(w: &World, url: &str) -> String {
    let png = w.dir().join("edited.png");
    let m = spur_qr::encode(url).unwrap();
    std::fs::write(&png, spur_qr::render::to_png(&m, 4).unwrap()).unwrap();
    common::Spur::new(["scan", "--image"]).arg(&png).fails()
}

#[test]
fn wrong_pin_is_told_online_and_at_offline_completion_never_kept() {
    let mut w = World::new();
    let owner = w.citizen("owner", "+4915100000020", "80331", None);
    let ben = w.citizen("ben", "+4915100000021", "80331", None);
    let card = pin_card(&owner);

    let err = check_in_url(&ben, &card, Some("4712")).fails();
    assert!(err.contains("Wrong PIN"), "{err}");
    assert!(!history(&ben).contains("personal"), "{}", history(&ben));

    // Offline: kept as pending, PIN not checked yet; online again: dropped, and said so.
    servers_down(&mut w);
    let out = check_in_url(&ben, &card, Some("0000")).ok();
    assert!(out.contains("PIN not checked yet"), "{out}");
    assert!(history(&ben).contains("personal"), "kept while offline");
    servers_up(&mut w);
    wait_backoff();
    let out = ben.sync(0);
    assert!(out.contains("wrong PIN"), "{out}");
    assert!(!out.contains("in time"), "{out}");
    assert!(!history(&ben).contains("personal"), "{}", history(&ben));

    // The right PIN offline is completed when the network returns.
    servers_down(&mut w);
    let out = check_in_url(&ben, &card, Some("4711")).ok();
    assert!(out.contains("PIN not checked yet"), "{out}");
    servers_up(&mut w);
    wait_backoff();
    // The PIN is confirmed and the TMP keys fetched now; the stay is sent once it is over.
    let out = ben.sync(0);
    assert!(!out.contains("PIN not checked"), "{out}");
    let out = ben.sync(1);
    assert!(out.contains("sent 1") && out.contains("pending 0"), "{out}");
    // The report still names the one check-in dropped before (kept until expiry), not a second.
    assert!(out.contains("One check-in was dropped: wrong PIN"), "{out}");
    assert!(history(&ben).contains("personal"), "{}", history(&ben));

    // The desk's card-only trace checks the PIN first: a wrong one is said before the signed
    // TMP-history request is read or used; the right one gets past the check.
    let desk = |pin: &str| {
        w.desk(0)
            .args(["card-trace", "--case", "H-2", "--card", &card, "--pin", pin])
            .args(["--test-kdf", "--post", &w.post_url])
            .args([
                "--request",
                "no-such-request",
                "--tmp-keys",
                "no-such-answer",
            ])
            .fails()
    };
    let err = desk("1234");
    assert!(
        err.contains("wrong PIN") && !err.contains("no-such"),
        "{err}"
    );
    let err = desk("4711");
    assert!(
        !err.contains("wrong PIN") && err.contains("no-such"),
        "{err}"
    );
}

// The TAG server sees only blinded ids (POPRF, docs/protocol.md §8a), so it cannot refuse an id it
// never issued: such a code checks in like any other, online and offline, and is never dropped
// with a wrong reason ("in time") or a silent loss.
#[test]
fn a_personal_code_nobody_issued_checks_in_like_any_code() {
    let mut w = World::new();
    let ben = w.citizen("ben", "+4915100000031", "80331", None);
    let url = never_issued_url();
    check_in_url(&ben, &url, None).ok();

    servers_down(&mut w);
    check_in_url(&ben, &url, None).ok();
    servers_up(&mut w);
    wait_backoff();
    let out = ben.sync(0);
    assert!(!out.contains("not issued"), "{out}");
    assert!(!out.contains("in time"), "{out}");
    assert!(out.contains("lost 0") && out.contains("refused 0"), "{out}");
    assert!(history(&ben).contains("personal"), "{}", history(&ben));
}

#[test]
fn pin_checks_are_rate_limited_and_the_post_database_holds_no_pin_check() {
    let mut w = World::new();
    let owner = w.citizen("owner", "+4915100000040", "80331", None);
    let card = pin_card(&owner);
    let Code::Personal(c) = Payload::parse(&card).unwrap().code else {
        panic!("a personal code")
    };
    let tag = c.tag(Some("4711"), spur_protocol::usr::TEST_KDF).unwrap();
    let right = tag.pin_check(&c.id);
    let ask = |check: [u8; 32]| {
        let body = serde_json::to_string(&spur_wire::api::post::PinCheckRequest {
            qr_id: c.id.to_hex(),
            check: data_encoding::HEXLOWER.encode(&check),
        })
        .unwrap();
        request(w.post_port, "POST", routes::PIN_CHECK, &[], body.as_bytes())
    };
    let a = ask(right);
    assert_eq!(
        (a.status, a.body.contains("true")),
        (200, true),
        "{}",
        a.body
    );
    for i in 0..5u8 {
        let a = ask([i; 32]);
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(a.body.contains("false"), "{}", a.body);
    }
    let a = ask(right);
    assert_eq!(a.status, 429, "{}", a.body);
    assert!(a.body.contains("try again in an hour"), "{}", a.body);

    // The card's PIN check is nowhere in the POST server's files; the pepper is beside them.
    w.post.as_mut().unwrap().kill();
    let post_dir = w.post_db.parent().unwrap().to_owned();
    let files = common::dump::files(&post_dir);
    let found = common::dump::find(&files, &[data_encoding::HEXLOWER.encode(&right)]);
    let mut raw = false;
    for (p, bytes) in &files {
        if p.extension().is_some_and(|e| e == "pepper") {
            continue;
        }
        raw |= bytes.windows(32).any(|win| win == right);
    }
    assert!(
        !raw && found.is_empty(),
        "the PIN check is stored: {found:?}"
    );
    let pepper = std::path::PathBuf::from(format!("{}.pepper", w.post_db.display()));
    assert_eq!(
        std::fs::read(&pepper).unwrap().len(),
        32,
        "{}",
        pepper.display()
    );
}
