//! The time rules of check-ins (issue 13, point 4), against real servers: an open check-in ends
//! at the end the user chose or confirmed (never a silent 24 hours), with a reminder before; any
//! stay can be ended early and its upload then claims only the real stay; a new check-in that
//! ends the open one says so; the same code scanned again during its stay merges instead of
//! starting another stay. Also the truthful words of a check-in (personal code, offline), a
//! first registration made offline, and a damaged local store (issue 13, point 9).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::world::{mensa, world};
use common::*;
use spur_core::ErrorKind;
use spur_core::Store;
use spur_core::{Stay, OPEN_DEFAULT_MINUTES, REMINDER_BEFORE_MINUTES};
use spur_protocol::time::Minute;

const NOON: u32 = (T0 / 60) as u32;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_open_check_in_ends_at_its_planned_end_after_a_reminder() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    let c = app.check_in(&w.url, Stay::Open, None).await.unwrap();
    assert!(c.open && c.online && !c.merged);
    assert_eq!(c.planned_out, NOON + OPEN_DEFAULT_MINUTES);
    assert_eq!(
        app.check_in_words(&c),
        "You are checked in at Mensa from 12:00 UTC. Check out when you leave: the check-in \
         ends at 14:00 UTC unless you extend it, and you get a reminder at 13:45 UTC. The \
         servers were reached; the check-in is sent when the stay ends."
    );
    let running = app.running_check_ins().unwrap();
    assert_eq!(running.len(), 1);
    assert_eq!(
        running[0].reminder_at,
        Some(NOON + OPEN_DEFAULT_MINUTES - REMINDER_BEFORE_MINUTES)
    );
    w.clock.advance(100 * 60);
    assert!(app.reminders_due().unwrap().is_empty(), "13:40: not yet");
    w.clock.advance(6 * 60);
    let due = app.reminders_due().unwrap();
    assert_eq!(due.len(), 1, "13:46: the reminder is due");
    assert_eq!(
        app.reminder_words(&due[0]),
        "Are you still at Mensa? Your check-in ends at 14:00 UTC. Check out if you have left, \
         or stay longer."
    );
    assert_eq!(
        app.sync().await.unwrap().sent,
        0,
        "still going on: nothing sent"
    );
    // Forgotten: eight hours later it has ended at 14:00, not after 24 hours.
    w.clock.advance(8 * 3600);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending), (1, 0, 0));
    assert_eq!(
        w.s.stored(),
        base + 4 + 1,
        "12:00 to 14:00: four slots, one user entry"
    );
    let h = app.history().unwrap();
    assert_eq!(h[0].time_out, Some(NOON + OPEN_DEFAULT_MINUTES));
    assert_eq!(app.counters().unwrap().contact_minutes, 120);
    assert!(app.running_check_ins().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_check_in_can_be_extended_after_the_reminder() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    let c = app.check_in(&w.url, Stay::OpenFor(60), None).await.unwrap();
    assert_eq!(c.planned_out, NOON + 60);
    w.clock.advance(50 * 60);
    assert_eq!(app.reminders_due().unwrap().len(), 1);
    let r = app.extend_check_in(c.id, 60).await.unwrap();
    assert_eq!(r.planned_out, NOON + 120, "one hour after the planned end");
    assert!(
        app.reminders_due().unwrap().is_empty(),
        "reminded again at 13:45"
    );
    assert_eq!(
        app.extend_check_in(c.id, 7).await.unwrap_err().kind,
        ErrorKind::InvalidInput
    );
    w.clock.advance(3 * 3600);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting), (1, 0));
    assert_eq!(w.s.stored(), base + 4 + 1, "ended at 14:00");
    assert_eq!(
        app.extend_check_in(c.id, 60).await.unwrap_err().msg.id,
        "error-not-running"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_stay_ended_early_uploads_only_the_real_stay() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    let c = app
        .check_in(&w.url, Stay::Minutes(120), None)
        .await
        .unwrap();
    assert!(!c.open);
    assert_eq!(
        c.item.time_out,
        Some(NOON + 120),
        "the planned end is shown"
    );
    w.clock.advance(20 * 60);
    let r = app.sync().await.unwrap();
    assert_eq!(
        (r.sent, r.waiting),
        (0, 1),
        "nothing of it is sent before it ends"
    );
    assert_eq!(w.s.stored(), base);
    let ended = app.end_check_in(c.id).await.unwrap().unwrap();
    assert!(ended.sent);
    assert_eq!(ended.item.time_out, Some(NOON + 20));
    assert_eq!(
        app.check_out_words(&ended),
        "You checked out of Mensa at 12:20 UTC. It was sent."
    );
    assert_eq!(
        w.s.stored(),
        base + 1 + 1,
        "12:00 to 12:20 is one slot, not the four of the planned two hours"
    );
    assert_eq!(app.history().unwrap()[0].time_out, Some(NOON + 20));
    assert_eq!(app.counters().unwrap().contact_minutes, 20);
    assert!(
        app.end_check_in(c.id).await.unwrap().is_none(),
        "ended once"
    );
    // Ended early while offline: kept, and said so.
    let c = app.check_in(&w.url, Stay::Minutes(60), None).await.unwrap();
    w.net.set_online(false);
    w.clock.advance(10 * 60);
    let ended = app.end_check_in(c.id).await.unwrap().unwrap();
    assert!(!ended.sent);
    assert!(
        app.check_out_words(&ended)
            .ends_with("It is kept on this device and sent when the connection is back."),
        "{}",
        app.check_out_words(&ended)
    );
    w.net.set_online(true);
    w.clock.advance(3600);
    assert_eq!(app.sync().await.unwrap().sent, 1);
    assert_eq!(w.s.stored(), base + 2 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_open_check_in_ends_the_previous_one_and_says_so() {
    let w = world().await;
    let app = w.app();
    let mut other = mensa();
    other.name = "Bibliothek".into();
    let library = app.create_place_code(other).await.unwrap().url;
    let first = app.check_in(&w.url, Stay::Open, None).await.unwrap();
    assert_eq!(first.ended, None);
    w.clock.advance(30 * 60);
    let second = app.check_in(&library, Stay::Open, None).await.unwrap();
    let ended = second.ended.clone().unwrap();
    assert_eq!(
        (ended.name.as_str(), ended.time_out),
        ("Mensa", Some(NOON + 30))
    );
    let words = app.check_in_words(&second);
    assert!(
        words.contains("This ended your check-in at Mensa at 12:30 UTC."),
        "{words}"
    );
    let running = app.running_check_ins().unwrap();
    assert_eq!(running.len(), 1);
    assert_eq!(running[0].item.name, "Bibliothek");
    // In German too, with the device's time.
    app.set_lang(spur_core::texts::Lang::De);
    app.set_utc_offset_minutes(Some(60));
    assert!(app
        .check_in_words(&second)
        .contains("Damit endete Ihr Check-in bei Mensa um 13:30."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_code_scanned_again_during_its_stay_merges() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    let first = app.check_in(&w.url, Stay::Short, None).await.unwrap();
    for _ in 0..3 {
        w.clock.advance(10);
        let again = app.check_in(&w.url, Stay::Short, None).await.unwrap();
        assert!(again.merged);
        assert_eq!(again.id, first.id, "no second stay");
    }
    assert_eq!(app.history().unwrap().len(), 1);
    assert_eq!(app.counters().unwrap().scans, 1);
    // A longer stay scanned during it extends it.
    w.clock.advance(60);
    let longer = app.check_in(&w.url, Stay::Minutes(30), None).await.unwrap();
    assert!(longer.merged);
    assert_eq!(longer.planned_out, NOON + 1 + 30);
    assert!(
        app.check_in_words(&longer).starts_with(
            "You were already checked in at Mensa since 12:00 UTC, so no second stay was \
             started. The stay now lasts until 12:31 UTC."
        ),
        "{}",
        app.check_in_words(&longer)
    );
    w.clock.advance(3600);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting), (1, 0));
    assert_eq!(
        w.s.stored(),
        base + 2 + 1,
        "one stay 12:00 to 12:31: two slots, one user entry"
    );
    // After the stay a new scan is a new stay.
    let later = app.check_in(&w.url, Stay::Short, None).await.unwrap();
    assert!(!later.merged);
    assert_ne!(later.id, first.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_in_words_name_a_personal_code_and_say_offline() {
    let w = world().await;
    let app = w.app();
    let card = app.create_personal_code(None, true).await.unwrap().url;
    let c = app.check_in(&card, Stay::Minutes(15), None).await.unwrap();
    assert_eq!(
        app.check_in_words(&c),
        "You are checked in with a personal code from 12:00 UTC until 12:15 UTC. The servers \
         were reached; the check-in is sent when the stay ends."
    );
    w.clock.advance(3600);
    w.net.set_online(false);
    let c = app.check_in(&w.url, Stay::Minutes(15), None).await.unwrap();
    assert!(!c.online);
    assert!(
        app.check_in_words(&c).ends_with(
            "There is no connection to the spur servers: the check-in is kept on this device \
             and completed when the connection is back."
        ),
        "{}",
        app.check_in_words(&c)
    );
    let r = app.sync().await.unwrap();
    assert_eq!(r.waiting, 1, "kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_registration_offline_says_nothing_was_kept() {
    let clock = SharedClock::new(T0);
    let s = Servers::start(std::sync::Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    net.set_online(false);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    let e = app.register(form("+4915100000042")).await.unwrap_err();
    assert_eq!(e.msg.id, "error-register-offline");
    assert!(app.say(&e.msg).contains("Nothing was registered or kept"));
    assert!(!app.is_registered().unwrap());
    let r = app.sync().await.unwrap();
    assert_eq!(r.pending, 0, "nothing queued");
}

#[test]
fn a_damaged_store_is_refused_never_reset() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("spur.db");
    drop(Store::open(&db).unwrap());
    let good = std::fs::read(&db).unwrap();
    assert!(Store::open(&db).is_ok(), "an intact store opens");
    // Truncated to 0 bytes.
    std::fs::write(&db, b"").unwrap();
    let e = Store::open(&db).err().unwrap();
    assert_eq!(
        (e.kind, e.msg.id),
        (ErrorKind::StoreDamaged, "error-store-damaged")
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "left as it was");
    // Overwritten with something else.
    std::fs::write(&db, vec![0x5a; 8192]).unwrap();
    assert_eq!(
        Store::open(&db).err().unwrap().kind,
        ErrorKind::StoreDamaged
    );
    // Cut in the middle.
    std::fs::write(&db, &good[..good.len().min(1024)]).unwrap();
    let _ = std::fs::remove_file(dir.path().join("spur.db-wal"));
    assert_eq!(
        Store::open(&db).err().unwrap().kind,
        ErrorKind::StoreDamaged
    );
    let texts = spur_core::texts::Texts::new();
    assert_eq!(
        texts.format(spur_core::texts::Lang::En, &e.msg),
        "The app's data file on this device is damaged. Restore it from a backup, or delete it \
         to start over (check-ins not sent yet are then lost)."
    );
    let _ = Minute(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_mistyped_secret_is_refused_not_a_new_identity() {
    let w = world().await; // registered as +4915100000001 with form()'s secret
    let base = w.s.stored();
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("new-phone.db"), &w.s, &w.net, &w.clock);
    let mut typo = form("+4915100000001");
    typo.secret = zeroize::Zeroizing::new("ballot-quarry-tiptoe-lantern-minow".into());
    let e = app.login(typo).await.unwrap_err();
    assert_eq!(
        (e.kind, e.msg.id),
        (ErrorKind::WrongCredentials, "error-login-unknown")
    );
    assert!(!app.is_registered().unwrap(), "nothing kept");
    assert_eq!(w.s.stored(), base, "nothing registered");
    w.net.set_online(false);
    let e = app.login(form("+4915100000001")).await.unwrap_err();
    assert_eq!(
        (e.kind, e.msg.id),
        (ErrorKind::Offline, "error-login-offline")
    );
    w.net.set_online(true);
    assert!(app.login(form("+4915100000001")).await.unwrap());
    assert!(app.is_registered().unwrap());
    assert_eq!(w.s.stored(), base, "the same registration, replaced");
}
