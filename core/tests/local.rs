//! Local controls and refusals: the app PIN, delete-all while offline, and every consent refusal
//! (forged, altered, expired, unknown authority, used before) with its own message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;

use common::*;
use spur_core::Deleted;
use spur_core::ErrorKind;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::time::{Day, Minute};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_pin_locks_and_unlocks() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let app = open_app(&db, &s, &net, &clock);
    assert!(
        app.set_app_pin(Some("12ab".into())).await.is_err(),
        "digits only"
    );
    app.set_app_pin(Some("4711".into())).await.unwrap();
    app.lock().unwrap();
    assert_eq!(app.history().unwrap_err().kind, ErrorKind::Locked);
    assert!(!app.unlock("1234".into()).await.unwrap());
    assert!(app.unlock("4711".into()).await.unwrap());
    assert!(app.history().unwrap().is_empty());
    drop(app);
    // A restarted app starts locked.
    let app = open_app(&db, &s, &net, &clock);
    assert!(app.is_locked());
    for _ in 0..spur_core::PIN_FREE_TRIES {
        assert!(!app.unlock("0000".into()).await.unwrap());
    }
    let wait = app.unlock("4711".into()).await.unwrap_err();
    assert_eq!((wait.kind, wait.msg.id), (ErrorKind::Locked, "pin-wait"));
    clock.advance(spur_core::backoff(0));
    assert!(app.unlock("4711".into()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_all_offline_keeps_only_the_delete_request() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    app.register(form("+4915100000009")).await.unwrap();
    net.set_online(false);
    assert_eq!(app.delete_all().await.unwrap(), Deleted::ServerPending);
    assert!(!app.is_registered().unwrap());
    net.set_online(true);
    clock.advance(3600);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.pending), (1, 0));
    use spur_protocol::record::RecordKind;
    use spur_server::store::{Position, Store};
    let rows = s
        .store
        .export(
            &Position::default(),
            spur_protocol::time::Day(u32::MAX / 2),
            100,
        )
        .unwrap();
    let kinds: Vec<_> = rows.iter().map(|r| r.record.kind).collect();
    assert_eq!(
        kinds,
        vec![RecordKind::RegistrationDelete],
        "the registration became its tombstone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_refusals_are_typed_and_worded() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    app.register(form("+4915100000010")).await.unwrap();
    let now = Minute::from_unix_seconds(T0);
    let refusal = |e: spur_core::Error| (e.kind, e.msg.id);
    // Signed by Berlin's key while claiming Munich: forged.
    let forged = s.consent_url(MUNICH, 1, now.day(), 1, now.plus(60), [1; 16]);
    assert_eq!(
        refusal(app.consent_request(&forged).await.unwrap_err()),
        (ErrorKind::ConsentRefused, "consent-refused-signature")
    );
    // A genuine code with one more day asked for: altered.
    let good = s.consent_url(MUNICH, 0, now.day(), 1, now.plus(60), [2; 16]);
    let Code::Consent(mut c) = Payload::parse(&good).unwrap().code else {
        panic!()
    };
    c.days = 14;
    let altered = Payload {
        host: HOST.into(),
        code: Code::Consent(c),
    }
    .to_url()
    .unwrap();
    assert_eq!(
        refusal(app.consent_request(&altered).await.unwrap_err()),
        (ErrorKind::ConsentRefused, "consent-refused-signature")
    );
    let expired = s.consent_url(MUNICH, 0, now.day(), 1, now, [3; 16]);
    assert_eq!(
        refusal(app.consent_request(&expired).await.unwrap_err()),
        (ErrorKind::ConsentRefused, "consent-refused-expired")
    );
    let unknown = s.consent_url(77, 0, now.day(), 1, now.plus(60), [4; 16]);
    assert_eq!(
        refusal(app.consent_request(&unknown).await.unwrap_err()),
        (
            ErrorKind::ConsentRefused,
            "consent-refused-unknown-authority"
        )
    );
    // A genuine code made for another person: the credentials are right, the person is not.
    let other = s.consent_url_for(
        "+4915100000099",
        MUNICH,
        0,
        now.day(),
        1,
        now.plus(60),
        [5; 16],
    );
    assert!(app.consent_request(&other).await.is_ok());
    assert_eq!(
        refusal(
            app.give_consent(
                &other,
                "+4915100000010",
                "ballot-quarry-tiptoe-lantern-minnow".into()
            )
            .await
            .unwrap_err()
        ),
        (ErrorKind::ConsentRefused, "consent-refused-person")
    );
    // A signed code for tomorrow, issued by a desk with a clock a day ahead: not yet happened.
    let tomorrow = Day(now.day().0 + 1);
    let future = s.consent_url_for(
        "+4915100000010",
        MUNICH,
        0,
        tomorrow,
        1,
        tomorrow.start().plus(600),
        [6; 16],
    );
    assert_eq!(
        refusal(app.consent_request(&future).await.unwrap_err()),
        (ErrorKind::ConsentRefused, "consent-refused-future")
    );
    // The words are in German too.
    app.set_lang(spur_core::texts::Lang::De);
    let e = app.consent_request(&expired).await.unwrap_err();
    assert!(
        app.say(&e.msg).contains("abgelaufen"),
        "{}",
        app.say(&e.msg)
    );
    // Nothing was released by any of them.
    assert_eq!(s.stored(), 1, "only the registration");
    // A place code is not a consent code, and a consent code is not a check-in.
    assert_eq!(
        app.check_in(&good, spur_core::Stay::Short, None)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::InvalidInput
    );
}
