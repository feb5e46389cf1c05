//! A registration made before the USR secret policy, with a PIN: the app makes no new one with
//! such a secret, but still logs in to the old one (refusing would only lock its owner out of the
//! days the vault holds under that key; docs/app-core.md says what the app advises instead).

mod common;
use common::*;
use rand_core::OsRng;
use spur_core::transport::Transport;
use spur_core::ErrorKind;
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::usr::{UsrKey, TEST_KDF};

const PHONE: &str = "+4915100000077";
const OLD_PIN: &str = "482913";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_makes_no_new_registration_but_still_opens_an_old_one() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(std::sync::Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    // An app before the policy registered with a six-digit PIN (the test cost, as the app here).
    let phone = PhoneNumber::parse(PHONE).unwrap();
    let usr = UsrKey::derive(&phone, OLD_PIN, TEST_KDF).unwrap();
    let region = Region::parse("DE", Some("80331")).unwrap();
    let home = s.dir.route(Some(&region)).unwrap().clone();
    let contact = ContactData {
        phone,
        campus_id: None,
        region: Some(region),
        birth_year: None,
    };
    let body = RegistrationBody {
        registration_id: usr.registration_id().unwrap(),
        home_authority: home.id,
        region: Some(region),
        sealed_contact: contact.seal(&mut OsRng, &home.seal).unwrap(),
    };
    let wire = body
        .build(
            &mut OsRng,
            &s.op.public(),
            &usr.registration_secret().unwrap(),
        )
        .unwrap();
    net.upload(spur_wire::api::routes::REGISTRATIONS, wire)
        .await
        .unwrap();
    let base = s.stored();

    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    let mut old = form(PHONE);
    old.secret = zeroize::Zeroizing::new(OLD_PIN.into());
    let e = app.register(old.clone()).await.unwrap_err();
    assert_eq!(
        (e.kind, e.msg.id),
        (ErrorKind::InvalidInput, "secret-refused-digits")
    );
    assert!(app.say(&e.msg).contains("proposed passphrase"));
    assert!(!app.is_registered().unwrap(), "nothing kept");

    assert!(app.login(old).await.unwrap());
    assert!(app.is_registered().unwrap());
    assert_eq!(
        s.stored(),
        base,
        "the old registration, replaced, not a new one"
    );

    // Its owner can still release days to an authority with it (the facade then adds the advice
    // to start over, because the policy refuses this secret).
    let now = spur_protocol::time::Minute::from_unix_seconds(clock.now());
    let url = s.consent_url_for(PHONE, MUNICH, 0, now.day(), 1, now.plus(60), [3; 16]);
    assert!(app.give_consent(&url, PHONE, OLD_PIN.into()).await.unwrap());
    assert!(!spur_core::rate_secret(OLD_PIN, Some(PHONE)).accepted());
    assert!(app
        .say(&spur_core::texts::Msg::new("secret-renew-advice"))
        .contains("Delete all data"));
}
