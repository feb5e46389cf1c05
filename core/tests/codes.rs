//! Codes that cannot silently go wrong, against the real servers: an edited place code is refused
//! at scan; a code nobody issued checks in like any other (the TAG server sees only blinded ids); a PIN card's PIN is
//! checked online (refused when wrong, checked at completion when scanned offline, rate-limited).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::world::world;
use common::HOST;
use spur_core::Error;
use spur_core::Stay;
use spur_protocol::qr::{Code, Payload, PersonalCode};
use spur_protocol::tag::{QrId, TagKey};

fn code_of<T>(r: spur_core::Result<T>) -> Option<String> {
    match r {
        Ok(_) => None,
        Err(e) => e.code,
    }
}

/// A personal code whose id carries its commitment but whose MAC half the TAG server never made.
fn never_issued() -> String {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_place_code_is_refused_at_preview_and_check_in() {
    let w = world().await;
    let app = w.app();
    assert!(w.url.contains(".DE80331.Mensa"), "{}", w.url);
    for edited in [
        w.url.replace(".DE80331.", ".DE80333."),
        w.url.replace(".DE80331.", ".AT8033."),
        w.url.replace(".Mensa", ".Mensa+Garching"),
        w.url.replace(".Mensa", ".Mens"),
    ] {
        let e = app.preview(&edited).unwrap_err();
        assert_eq!(e.code.as_deref(), Some(Error::CODE_ALTERED), "{edited}");
        assert_eq!(e.msg.id, "error-code-altered");
        assert_eq!(
            code_of(app.check_in(&edited, Stay::Minutes(30), None).await),
            Some(Error::CODE_ALTERED.into())
        );
    }
    assert!(app.history().unwrap().is_empty(), "nothing was kept");
    app.check_in(&w.url, Stay::Minutes(30), None).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_place_code_whose_postcode_breaks_its_country_rule_is_refused_at_scan() {
    let w = world().await;
    let app = w.app();
    for (region, id, sentence) in [
        (
            ".DE8033.",
            "field-postcode-five-digits",
            "Postcodes in DE have 5 digits",
        ),
        (
            ".DE00000.",
            "field-postcode-all-zeros",
            "A postcode cannot be all zeros.",
        ),
        (
            ".AT0999.",
            "field-postcode-four-digits",
            "Postcodes in AT have 4 digits",
        ),
    ] {
        let edited = w.url.replace(".DE80331.", region);
        let e = app.preview(&edited).unwrap_err();
        assert_eq!(e.msg.id, id, "{edited}");
        assert!(app.say(&e.msg).starts_with(sentence), "{}", app.say(&e.msg));
        let e = app
            .check_in(&edited, Stay::Minutes(30), None)
            .await
            .unwrap_err();
        assert_eq!(e.msg.id, id, "{edited}");
    }
    assert!(app.history().unwrap().is_empty(), "nothing was kept");
}

// Since TMP keys are POPRF evaluations of a blinded id (docs/protocol.md §5, §8a), the TAG server
// cannot tell an id it never issued: such a code is checked in like any other, online or offline.
// Its TMP keys are its own (they open nothing another code's would), so its scanners are traced
// among themselves; what must not happen is a silent loss or a wrong reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_nobody_issued_checks_in_like_any_code_when_online() {
    let w = world().await;
    let app = w.app();
    let base = w.s.stored();
    app.check_in(&never_issued(), Stay::Minutes(30), None)
        .await
        .unwrap();
    assert_eq!(app.history().unwrap().len(), 1);
    let r = app.sync().await.unwrap();
    // Kept like any 30-minute stay: waiting for its end, neither dropped nor lost.
    assert_eq!((r.not_issued, r.lost, r.refused), (0, 0, 0));
    assert_eq!(app.history().unwrap().len(), 1);
    assert!(w.s.stored() >= base);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_nobody_issued_kept_offline_completes_like_any_code() {
    let w = world().await;
    let app = w.app();
    let base = w.s.stored();
    w.net.set_online(false);
    app.check_in(&never_issued(), Stay::Minutes(30), None)
        .await
        .unwrap();
    assert_eq!(app.history().unwrap().len(), 1, "kept while offline");
    w.clock.advance(60); // past the retry backoff of the failed key fetch
    w.net.set_online(true);
    let r = app.sync().await.unwrap();
    assert_eq!((r.not_issued, r.lost, r.refused), (0, 0, 0));
    assert_eq!(app.history().unwrap().len(), 1, "still kept");
    assert!(w.s.stored() >= base);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_is_refused_online_and_nothing_is_kept() {
    let w = world().await;
    let app = w.app();
    let card = app
        .create_personal_code(Some("4711".into()), true)
        .await
        .unwrap();
    let r = app
        .check_in(&card.url, Stay::Minutes(30), Some("4712".into()))
        .await;
    assert_eq!(code_of(r), Some(Error::WRONG_PIN.into()));
    assert!(app.history().unwrap().is_empty());
    let c = app
        .check_in(&card.url, Stay::Minutes(30), Some("4711".into()))
        .await
        .unwrap();
    assert!(!app.pin_unchecked(c.id).unwrap());
    assert_eq!(app.history().unwrap().len(), 1);
    assert_eq!(app.sync().await.unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_scanned_offline_is_dropped_at_completion_and_a_right_one_completes() {
    let w = world().await;
    let app = w.app();
    let card = app
        .create_personal_code(Some("4711".into()), true)
        .await
        .unwrap();
    let base = w.s.stored();
    w.net.set_online(false);
    let wrong = app
        .check_in(&card.url, Stay::Minutes(30), Some("0000".into()))
        .await
        .unwrap();
    assert!(app.pin_unchecked(wrong.id).unwrap(), "PIN not checked yet");
    w.clock.advance(3600);
    let right = app
        .check_in(&card.url, Stay::Minutes(30), Some("4711".into()))
        .await
        .unwrap();
    assert!(app.pin_unchecked(right.id).unwrap());
    assert_eq!(app.pins_unchecked().unwrap(), 2);
    assert_eq!(app.history().unwrap().len(), 2);
    // Past the retry backoff of the failed PIN checks and past the end of the right PIN's
    // stay: a stay is sent once it is over.
    w.clock.advance(31 * 60);
    w.net.set_online(true);
    let r = app.sync().await.unwrap();
    assert_eq!((r.wrong_pin, r.lost, r.waiting, r.pending), (1, 0, 0, 0));
    let h = app.history().unwrap();
    assert_eq!(h.len(), 1, "only the right PIN's check-in is kept");
    assert_eq!(h[0].time_in, right.item.time_in);
    assert_eq!(app.pins_unchecked().unwrap(), 0);
    // One slot entry and one user entry of the right PIN's stay, nothing of the wrong one.
    assert_eq!(w.s.stored(), base + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_checks_are_rate_limited_per_card_for_an_hour() {
    let w = world().await;
    let app = w.app();
    let card = app
        .create_personal_code(Some("4711".into()), true)
        .await
        .unwrap();
    for guess in ["1000", "1001", "1002", "1003", "1004"] {
        let r = app
            .check_in(&card.url, Stay::Minutes(30), Some(guess.into()))
            .await;
        assert_eq!(code_of(r), Some(Error::WRONG_PIN.into()), "{guess}");
    }
    for pin in ["1005", "4711"] {
        let e = app
            .check_in(&card.url, Stay::Minutes(30), Some(pin.into()))
            .await
            .unwrap_err();
        assert_eq!(e.code.as_deref(), Some(Error::PIN_RATE_LIMITED), "{pin}");
        assert_eq!(e.msg.id, "error-pin-too-many");
    }
    w.clock.advance(3601);
    app.check_in(&card.url, Stay::Minutes(30), Some("4711".into()))
        .await
        .unwrap();
}
