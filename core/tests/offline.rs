//! Nothing accepted is lost, nothing is doubled: check-ins made offline are completed when the
//! network returns within the TAG server's window; a killed app resumes from its database; a
//! lost answer makes the app resend the very same bytes, which the server stores once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::world::world;
use spur_core::Stay;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_check_in_is_completed_after_a_kill_when_the_network_returns() {
    let w = world().await;
    let base = w.s.stored();
    w.net.set_online(false);
    {
        let app = w.app();
        app.check_in(&w.url, Stay::Minutes(60), None).await.unwrap();
        let r = app.sync().await.unwrap();
        assert_eq!((r.waiting, r.pending), (1, 0), "kept, waiting for TMP keys");
    } // the app is killed here: only the database survives
    w.clock.advance(6 * 3600); // six hours later, still inside the TAG server's 24 h window
    w.net.set_online(true);
    let app = w.app();
    let r = app.sync().await.unwrap();
    assert_eq!((r.waiting, r.pending, r.lost, r.sent), (0, 0, 0, 1));
    assert_eq!(
        w.s.stored(),
        base + 2 + 1,
        "two slot entries and one user entry, once"
    );
    assert_eq!(app.sync().await.unwrap().sent, 0, "nothing left to send");
    assert_eq!(w.s.stored(), base + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_are_retried_with_backoff_and_stored_once() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    w.net
        .0
        .lose_answers
        .store(true, std::sync::atomic::Ordering::SeqCst);
    app.check_in(&w.url, Stay::Short, None).await.unwrap();
    w.clock.advance(5 * 60); // the short contact is over: now it is built and sent
    let r = app.sync().await.unwrap();
    assert_eq!(
        r.pending, 1,
        "the answer was lost, so the app keeps the upload"
    );
    assert_eq!(w.s.stored(), base + 2, "but the server already has it");
    // Not due yet: no resend within the backoff.
    let sent = w
        .net
        .0
        .uploads_sent
        .load(std::sync::atomic::Ordering::SeqCst);
    app.sync().await.unwrap();
    assert_eq!(
        w.net
            .0
            .uploads_sent
            .load(std::sync::atomic::Ordering::SeqCst),
        sent
    );
    w.net
        .0
        .lose_answers
        .store(false, std::sync::atomic::Ordering::SeqCst);
    w.clock.advance(spur_core::backoff(1));
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.pending), (1, 0));
    assert_eq!(w.s.stored(), base + 2, "the same bytes again: stored once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_check_in_keeps_its_keys_so_check_out_works_offline() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    app.check_in(&w.url, Stay::Open, None).await.unwrap();
    w.net.set_online(false);
    w.clock.advance(100 * 60);
    let ended = app.check_out().await.unwrap().unwrap();
    assert_eq!(ended.item.time_out, Some(ended.item.time_in + 100));
    // A new check-in would have ended it too; here the check-out did. Still offline:
    assert_eq!(
        app.sync().await.unwrap().pending,
        1,
        "built from the keys fetched at check-in"
    );
    w.net.set_online(true);
    w.clock.advance(3600);
    assert_eq!(app.sync().await.unwrap().sent, 1);
    assert_eq!(
        w.s.stored(),
        base + 4 + 1,
        "100 minutes from 12:00 touch four slots"
    );
    assert_eq!(app.counters().unwrap().contact_minutes, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_check_in_ends_the_open_one() {
    let w = world().await;
    let app = w.app();
    let mut kiosk = common::world::mensa();
    kiosk.name = "Kiosk".into();
    let kiosk = app.create_place_code(kiosk).await.unwrap().url;
    app.check_in(&w.url, Stay::Open, None).await.unwrap();
    w.clock.advance(20 * 60);
    // Another place (the same code again would merge into the open stay: time_rules.rs).
    app.check_in(&kiosk, Stay::Minutes(15), None).await.unwrap();
    assert!(app.open_check_in().unwrap().is_none());
    let h = app.history().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        h[1].time_out,
        Some(h[1].time_in + 20),
        "the first ended when the second began"
    );
    assert_eq!(
        app.counters().unwrap().contact_minutes,
        20,
        "the fixed stay counts once it is over"
    );
    let r = app.sync().await.unwrap();
    assert_eq!(
        (r.sent, r.waiting, r.pending),
        (0, 1, 0),
        "the first was sent by the check-in's own sync, the second runs"
    );
    w.clock.advance(15 * 60);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending), (1, 0, 0));
    assert_eq!(app.counters().unwrap().contact_minutes, 35);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_kept_offline_beyond_the_window_is_reported_lost() {
    let w = world().await;
    let base = w.s.stored();
    let app = w.app();
    w.net.set_online(false);
    app.check_in(&w.url, Stay::Minutes(30), None).await.unwrap();
    w.clock.advance(30 * 3600);
    w.net.set_online(true);
    let r = app.sync().await.unwrap();
    assert_eq!((r.lost, r.pending, r.waiting), (1, 0, 0));
    assert_eq!(w.s.stored(), base);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_off_keeps_only_counters() {
    let w = world().await;
    let app = w.app();
    app.check_in(&w.url, Stay::Minutes(30), None).await.unwrap();
    app.set_history_enabled(false).unwrap();
    assert!(app.history().unwrap().is_empty());
    w.clock.advance(3600);
    app.check_in(&w.url, Stay::Minutes(45), None).await.unwrap();
    assert!(app.history().unwrap().is_empty());
    w.clock.advance(45 * 60);
    app.sync().await.unwrap();
    let c = app.counters().unwrap();
    assert_eq!((c.scans, c.contact_minutes), (2, 75));
    assert_eq!(
        app.sync().await.unwrap().pending,
        0,
        "uploads do not depend on history"
    );
    // 28-day expiry of history rows.
    app.set_history_enabled(true).unwrap();
    app.check_in(&w.url, Stay::Short, None).await.unwrap();
    assert_eq!(app.history().unwrap().len(), 1);
    w.clock.advance(29 * 86_400);
    assert!(app.history().unwrap().is_empty());
}
