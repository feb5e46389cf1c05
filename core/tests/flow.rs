//! The citizen's whole path against real servers: register, make a place code, check in from
//! its URL, upload, history and counters, consent, and delete everything.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;

use common::*;
use spur_core::Deleted;
use spur_core::ErrorKind;
use spur_core::PlaceForm;
use spur_core::Stay;
use spur_protocol::fields::PlaceKind;
use spur_protocol::record::consent_release::{ReleaseForAuthority, ReleaseForVault};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Minute;
use spur_server::store::{Position, Store};

fn cafe() -> PlaceForm {
    PlaceForm {
        responsible_phone: "+49 89 12345678".into(),
        country: "DE".into(),
        postcode: "80331".into(),
        name: "Café Zur Post".into(),
        kind: PlaceKind::Gastronomy,
        description: "Marienplatz 1".into(),
    }
}

/// Every record the POST server holds, by kind.
fn dump(s: &Servers) -> Vec<(RecordKind, Vec<u8>)> {
    let rows = s
        .store
        .export(
            &Position::default(),
            spur_protocol::time::Day(u32::MAX / 2),
            10_000,
        )
        .unwrap();
    rows.into_iter()
        .map(|r| (r.record.kind, r.record.body))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_check_in_upload_consent_delete() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);

    assert!(
        app.register(form("+49 151 23456789")).await.unwrap(),
        "uploaded"
    );
    // Only the sealed registration reached the server; it opens with OP and AUTH to the number.
    let regs: Vec<_> = dump(&s)
        .into_iter()
        .filter(|(k, _)| *k == RecordKind::Registration)
        .collect();
    assert_eq!(regs.len(), 1);
    let body = RegistrationBody::open(&s.op, &regs[0].1).unwrap();
    assert_eq!(body.home_authority, MUNICH);
    let contact = ContactData::open(&s.auth[0].seal, &body.sealed_contact).unwrap();
    assert_eq!(contact.phone.as_str(), "+4915123456789");
    // The device keeps no plain phone number.
    let raw = std::fs::read(dir.path().join("app.db")).unwrap();
    assert!(!raw.windows(14).any(|w| w == b"+4915123456789"));

    let code = app.create_place_code(cafe()).await.unwrap();
    assert!(code.url.starts_with("HTTPS://SPUR.TEST/P#"));
    assert_eq!(app.own_codes().unwrap().len(), 1);

    let visit = app
        .check_in(&code.url, Stay::Minutes(90), None)
        .await
        .unwrap();
    assert_eq!(visit.item.name, "Café Zur Post");
    assert_eq!(visit.item.time_out, Some(visit.item.time_in + 90));
    assert_eq!(
        dump(&s)
            .iter()
            .filter(|(k, _)| *k == RecordKind::SlotEntry)
            .count(),
        0,
        "nothing of a stay is sent before it is over"
    );
    clock.advance(90 * 60);
    let report = app.sync().await.unwrap();
    assert_eq!((report.pending, report.waiting, report.lost), (0, 0, 0));
    let kinds: Vec<_> = dump(&s).into_iter().map(|(k, _)| k).collect();
    let n = |k| kinds.iter().filter(|x| **x == k).count();
    assert_eq!(n(RecordKind::Place), 1);
    assert_eq!(
        n(RecordKind::SlotEntry),
        3,
        "90 minutes from 12:00 cover three slots"
    );
    assert_eq!(n(RecordKind::UserEntry), 1);

    let history = app.history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].name, "Café Zur Post");
    let c = app.counters().unwrap();
    assert_eq!(
        (c.scans, c.contact_minutes, c.last_scan),
        (1, 90, Some(Minute::from_unix_seconds(T0).0))
    );

    // Consent for today: verified, released for exactly that day, sealed to Munich.
    clock.advance(90 * 60);
    let now = Minute::from_unix_seconds(clock.now());
    let url = s.consent_url(MUNICH, 0, now.day(), 1, now.plus(60), [7; 16]);
    let req = app.consent_request(&url).await.unwrap();
    assert_eq!(req.authority, "Gesundheitsamt München");
    assert_eq!(req.days, vec![now.day()]);
    let wrong = app
        .give_consent(&url, "+4915123456789", "not my secret".into())
        .await
        .unwrap_err();
    assert_eq!(wrong.kind, ErrorKind::WrongCredentials);
    assert!(app
        .give_consent(
            &url,
            "+4915123456789",
            "ballot-quarry-tiptoe-lantern-minnow".into()
        )
        .await
        .unwrap());
    let release = dump(&s)
        .into_iter()
        .find(|(k, _)| *k == RecordKind::ConsentRelease)
        .unwrap();
    let vault = ReleaseForVault::open(&s.op, &release.1).unwrap();
    assert_eq!(
        vault.find_keys.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
        vec![now.day()]
    );
    let auth = ReleaseForAuthority::open(&s.auth[0].seal, &vault.auth_part).unwrap();
    assert_eq!(auth.case_id, "M-2026-0042");
    let again = app.consent_request(&url).await.unwrap_err();
    assert_eq!(
        (again.kind, again.msg.id),
        (ErrorKind::ConsentRefused, "consent-refused-used")
    );

    // Delete all: local data gone, the server dropped the registration (tombstone).
    let stored_before = s.stored();
    assert_eq!(app.delete_all().await.unwrap(), Deleted::Everything);
    assert!(app.history().unwrap().is_empty());
    assert_eq!(app.counters().unwrap().scans, 0);
    assert!(app.own_codes().unwrap().is_empty());
    assert_eq!(
        app.check_in(&code.url, Stay::Short, None)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotRegistered
    );
    let kinds: Vec<_> = dump(&s).into_iter().map(|(k, _)| k).collect();
    assert!(!kinds.contains(&RecordKind::Registration));
    assert!(kinds.contains(&RecordKind::RegistrationDelete));
    assert_eq!(
        s.stored(),
        stored_before,
        "the registration row became its tombstone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_in_on_a_new_device_gives_the_same_registration() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let old = open_app(&d1.path().join("app.db"), &s, &net, &clock);
    old.register(form("+4915123456789")).await.unwrap();
    let new = open_app(&d2.path().join("app.db"), &s, &net, &clock);
    new.register(form("0049 151 2345 6789")).await.unwrap();
    let a = old.registration_id().unwrap().unwrap();
    let b = new.registration_id().unwrap().unwrap();
    assert_eq!(a, b);
    let regs = dump(&s)
        .into_iter()
        .filter(|(k, _)| *k == RecordKind::Registration)
        .count();
    assert_eq!(regs, 1, "the second upload replaced the first");
}
