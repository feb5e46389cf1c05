//! Registration and place creation refuse what would silently misroute or hide: invalid
//! countries and postcodes, postcodes no authority in the signed directory covers, and names or
//! ids with invisible or reordering characters — each with its message, in English and German,
//! and with nothing queued or uploaded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;

use common::*;
use spur_core::texts::{Lang, Texts};
use spur_core::ErrorKind;
use spur_core::PlaceForm;
use spur_protocol::fields::PlaceKind;

fn place(country: &str, postcode: &str, name: &str, description: &str) -> PlaceForm {
    PlaceForm {
        responsible_phone: "+49 89 12345678".into(),
        country: country.into(),
        postcode: postcode.into(),
        name: name.into(),
        kind: PlaceKind::Gastronomy,
        description: description.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_with_an_invalid_or_uncovered_postcode_is_refused_with_its_message() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    let texts = Texts::new();
    // (country, postcode, campus id, message id)
    let table: [(&str, Option<&str>, Option<&str>, &str); 11] = [
        ("XX", Some("80331"), None, "field-country-not-assigned"),
        ("DE", Some("ABCDE"), None, "field-postcode-five-digits"),
        ("DE", Some("8033"), None, "field-postcode-five-digits"),
        ("DE", Some("00000"), None, "field-postcode-all-zeros"),
        ("DE", Some("-1-1"), None, "field-postcode-separators"),
        ("AT", Some("0999"), None, "field-postcode-four-digits"),
        // Valid, but the directory has no authority for it (Hamburg).
        ("DE", Some("20095"), None, "postcode-not-covered"),
        ("AT", Some("1010"), None, "postcode-not-covered"),
        ("DE", Some("80331"), Some("ga\u{202E}12"), "field-text-bidi"),
        (
            "DE",
            Some("80331"),
            Some("\u{200B}ga12"),
            "field-text-invisible",
        ),
        (
            "DE",
            Some("80331"),
            Some("ga\u{2028}12"),
            "field-text-line-break",
        ),
    ];
    for (country, postcode, campus, id) in table {
        let mut f = form("+49 151 23456789");
        f.country = country.into();
        f.postcode = postcode.map(str::to_owned);
        f.campus_id = campus.map(str::to_owned);
        let e = app.register(f).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{country} {postcode:?}");
        assert_eq!(e.msg.id, id, "{country} {postcode:?} {campus:?}");
        for lang in [Lang::En, Lang::De] {
            let said = texts.format(lang, &e.msg);
            assert!(!said.contains('{') && !said.contains('$'), "{said}");
            assert!(
                !said.contains('\u{202E}') && !said.contains('\u{200B}'),
                "{said}"
            );
        }
        if id == "postcode-not-covered" {
            let said = texts.format(Lang::En, &e.msg);
            assert!(said.contains(postcode.unwrap()), "{said}");
            assert!(
                said.contains("Gesundheitsamt München"),
                "names the default: {said}"
            );
        }
    }
    assert_eq!(
        net.0.uploads_sent.load(std::sync::atomic::Ordering::SeqCst),
        0
    );
    // Without a postcode the default authority is responsible; with a covered one, it registers.
    let mut f = form("+49 151 23456789");
    f.postcode = None;
    assert!(app.register(f).await.unwrap());
    assert!(app.register(form("+49 151 23456789")).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn place_creation_with_an_uncovered_postcode_or_invisible_characters_is_refused() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    app.register(form("+49 151 23456789")).await.unwrap();
    let sent = net.0.uploads_sent.load(std::sync::atomic::Ordering::SeqCst);
    let texts = Texts::new();
    let table: [(PlaceForm, &str); 10] = [
        (
            place("DE", "20095", "Café", ""),
            "place-postcode-not-covered",
        ),
        (place("DE", "", "Café", ""), "field-postcode-empty"),
        (
            place("DE", "8033", "Café", ""),
            "field-postcode-five-digits",
        ),
        (
            place("XX", "80331", "Café", ""),
            "field-country-not-assigned",
        ),
        (
            place("DE", "80331", "Gesundheitsamt M\u{202E}nehcnü", ""),
            "field-text-bidi",
        ),
        (
            place("DE", "80331", "Caf\u{200B}é", ""),
            "field-text-invisible",
        ),
        (
            place("DE", "80331", "A\u{2066}B\u{2069}", ""),
            "field-text-bidi",
        ),
        (
            place("DE", "80331", "\u{FEFF}Café", ""),
            "field-text-invisible",
        ),
        (
            place("DE", "80331", "Café\u{1b}[2J", ""),
            "field-text-control",
        ),
        (
            place("DE", "80331", "Café", "Hof\u{2029}links"),
            "field-text-line-break",
        ),
    ];
    for (f, id) in table {
        let shown = format!("{:?}", f.name);
        let e = app.create_place_code(f).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{shown}");
        assert_eq!(e.msg.id, id, "{shown}");
        let said = texts.format(Lang::De, &e.msg);
        assert!(!said.contains('{'), "{said}");
    }
    let e = app
        .create_place_code(place("DE", "20095", "Café", ""))
        .await
        .unwrap_err();
    let said = texts.format(Lang::En, &e.msg);
    assert!(
        said.contains("20095") && said.contains("No health authority"),
        "{said}"
    );
    assert_eq!(
        net.0.uploads_sent.load(std::sync::atomic::Ordering::SeqCst),
        sent,
        "nothing was uploaded"
    );
    assert!(app.own_codes().unwrap().is_empty());
    // A covered postcode works.
    app.create_place_code(place("DE", "10115", "Späti am Eck", "Hinterhof"))
        .await
        .unwrap();
}
