#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The frame loop decodes in the background, skips frames offered while it is busy, and drops
//! to cheaper passes after a frame ran over its budget (simulated streams: no wall-clock asserts).

use spur_qr::cascade::Effort;
use spur_qr::frame_loop::{
    Clock, Decoder, Offered, Pacer, FRAME_BUDGET_30FPS, LOWER_AFTER, RECOVER_AFTER,
};
use spur_qr::synth::{generate, Category};
use spur_qr::{EncodeOptions, Frame, FrameLoop, Scan};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[test]
fn skips_frames_while_busy_and_delivers_results() {
    let s = generate(Category::Nominal, 1280, 720, 11, 0, EncodeOptions::SPUR);
    let frame = Frame::tight(s.width, s.height, &s.luma);
    let fl = FrameLoop::new().unwrap();
    assert_eq!(fl.offer(&frame).unwrap(), Offered::Accepted);
    // Offered right away, while the first is still decoding: skipped.
    assert_eq!(fl.offer(&frame).unwrap(), Offered::Skipped);
    let first = fl.wait(Duration::from_secs(60)).expect("a result").unwrap();
    assert!(matches!(first, Scan::Spur { .. }), "{first:?}");
    assert_eq!(fl.counts(), (2, 1));
    // Idle again: the next frame is accepted; no result is left over from the skipped one.
    assert!(!fl.is_busy());
    assert_eq!(fl.offer(&frame).unwrap(), Offered::Accepted);
    assert!(fl.wait(Duration::from_secs(60)).is_some());
    assert!(fl.poll().is_none());
}

#[test]
fn malformed_frames_are_refused_and_leave_the_loop_idle() {
    let fl = FrameLoop::new().unwrap();
    assert!(fl.offer(&Frame::tight(10, 10, &[0; 5])).is_err());
    assert!(!fl.is_busy());
}

/// Simulated cost of decoding one frame: what a phone core might take on cluttered frames
/// without a code (the full cascade runs over a 30 fps interval) and on frames with a code.
fn cost(cluttered: bool, effort: Effort) -> Duration {
    let ms = match (cluttered, effort) {
        (true, Effort::Full) => 70,
        (true, Effort::Reduced) => 14,
        (true, Effort::Minimal) => 8,
        (false, Effort::Full) => 12,
        (false, Effort::Reduced) => 9,
        (false, Effort::Minimal) => 5,
    };
    Duration::from_millis(ms)
}

/// Frame `i` of a 30 fps stream arrives at i × 33.333 ms.
fn arrival(i: u64) -> Duration {
    Duration::from_micros(i * 33_333)
}

/// Feeds a simulated 30 fps stream to a pacer: 150 cluttered frames, then 60 with a code.
/// Returns (frames dropped while cluttered, efforts chosen while cluttered, efforts chosen on
/// the frames with a code).
fn simulate(budget: Duration) -> (u64, Vec<Effort>, Vec<Effort>) {
    let mut pacer = Pacer::new(budget);
    let (mut dropped, mut clutter, mut code) = (0, Vec::new(), Vec::new());
    for i in 0..210 {
        let cluttered = i < 150;
        let now = arrival(i);
        match pacer.arrive(now) {
            Some(effort) => {
                pacer.finish(effort, now, now + cost(cluttered, effort));
                if cluttered {
                    clutter.push(effort)
                } else {
                    code.push(effort)
                }
            }
            None if cluttered => dropped += 1,
            None => {}
        }
    }
    (dropped, clutter, code)
}

#[test]
fn over_budget_frames_make_the_next_frames_cheaper_instead_of_dropping_frames() {
    // Without a budget every cluttered frame runs the full cascade (70 ms): two of every three
    // frames of the 30 fps stream are dropped.
    let (dropped_unbudgeted, efforts, _) = simulate(Duration::MAX);
    assert!(efforts.iter().all(|e| *e == Effort::Full));
    assert_eq!(dropped_unbudgeted, 100);
    // With the 30 fps budget: the first LOWER_AFTER frames run over, the next ones drop to the
    // two full-frame passes (14 ms); every RECOVER_AFTER cheap frames one full frame probes
    // whether the scene got cheaper, costing two dropped frames each time (a probe over
    // budget lowers the effort at once).
    let (dropped, efforts, on_code) = simulate(FRAME_BUDGET_30FPS);
    let full = efforts.iter().filter(|e| **e == Effort::Full).count();
    let reduced = efforts.iter().filter(|e| **e == Effort::Reduced).count();
    let first = LOWER_AFTER as usize;
    assert!(efforts[..first].iter().all(|e| *e == Effort::Full));
    assert_eq!(efforts.get(first), Some(&Effort::Reduced));
    assert!(!efforts.contains(&Effort::Minimal), "{efforts:?}");
    assert_eq!(
        full,
        first + (reduced - 1) / RECOVER_AFTER as usize,
        "{efforts:?}"
    );
    assert_eq!(dropped, 2 * full as u64);
    assert!(
        dropped * 3 <= dropped_unbudgeted,
        "{dropped} vs {dropped_unbudgeted}"
    );
    // Once a code is in view the frames are cheap again and the full cascade comes back
    // within RECOVER_AFTER frames, then stays.
    let back = on_code
        .iter()
        .position(|e| *e == Effort::Full)
        .expect("full effort again");
    assert!(back <= RECOVER_AFTER as usize, "{on_code:?}");
    assert!(on_code[back..].iter().all(|e| *e == Effort::Full));
}

#[test]
fn one_frame_over_budget_keeps_the_effort_and_a_run_of_them_steps_down() {
    let mut pacer = Pacer::new(FRAME_BUDGET_30FPS);
    let t = Duration::from_millis;
    // One frame far over budget between cheap ones (a hard frame, not an expensive scene):
    // the frame after it is dropped, the effort stays.
    assert_eq!(pacer.arrive(t(0)), Some(Effort::Full));
    pacer.finish(Effort::Full, t(0), t(100));
    assert_eq!(pacer.arrive(t(50)), None, "still busy at 50 ms");
    assert_eq!(pacer.arrive(t(100)), Some(Effort::Full));
    pacer.finish(Effort::Full, t(100), t(110));
    // Over budget LOWER_AFTER times in a row: one step down, and again at reduced effort.
    let mut now = 200;
    for want in [Effort::Full, Effort::Reduced] {
        for _ in 0..LOWER_AFTER {
            assert_eq!(pacer.arrive(t(now)), Some(want));
            pacer.finish(want, t(now), t(now + 50));
            now += 100;
        }
    }
    assert_eq!(pacer.arrive(t(now)), Some(Effort::Minimal));
    pacer.finish(Effort::Minimal, t(now), t(now + 5));
    // After RECOVER_AFTER cheap frames a probe at the dearer effort; over budget, it goes
    // back down at once.
    for _ in 1..RECOVER_AFTER {
        now += 100;
        assert_eq!(pacer.arrive(t(now)), Some(Effort::Minimal));
        pacer.finish(Effort::Minimal, t(now), t(now + 5));
    }
    now += 100;
    assert_eq!(pacer.arrive(t(now)), Some(Effort::Reduced));
    pacer.finish(Effort::Reduced, t(now), t(now + 50));
    assert_eq!(pacer.effort(), Effort::Minimal);
}

#[test]
fn isolated_expensive_frames_do_not_lower_the_effort() {
    // A stream like the benchmark's: every fifth frame a hard one (50 ms at full effort,
    // 20 ms reduced), the others 10 ms. The hard frames cost a dropped frame each, but no
    // frame is decoded below full effort, so no hard code is given up.
    let mut pacer = Pacer::new(FRAME_BUDGET_30FPS);
    let (mut dropped, mut efforts) = (0, Vec::new());
    for i in 0..100u64 {
        let now = arrival(i);
        let Some(effort) = pacer.arrive(now) else {
            dropped += 1;
            continue;
        };
        let ms = match (i % 5 == 0, effort) {
            (true, Effort::Full) => 50,
            (true, _) => 20,
            (false, _) => 10,
        };
        pacer.finish(effort, now, now + Duration::from_millis(ms));
        efforts.push(effort);
    }
    assert!(efforts.iter().all(|e| *e == Effort::Full), "{efforts:?}");
    assert_eq!(dropped, 20);
}

/// A clock the test moves by hand; the fake decoder moves it by the frame's cost.
#[derive(Default)]
struct ManualClock(AtomicU64);

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_micros(self.0.load(Ordering::SeqCst))
    }
}

#[test]
fn the_frame_loop_follows_its_pacer_on_a_simulated_stream() {
    // The real loop and worker thread, with an injected clock and a decoder whose cost is
    // simulated: 60 cluttered frames at 30 fps.
    let clock = Arc::new(ManualClock::default());
    let chosen = Arc::new(Mutex::new(Vec::new()));
    let (decoder_clock, decoder_chosen) = (Arc::clone(&clock), Arc::clone(&chosen));
    let decoder: Decoder = Box::new(move |_frame, effort| {
        decoder_chosen.lock().unwrap().push(effort);
        let spent = cost(true, effort).as_micros() as u64;
        decoder_clock.0.fetch_add(spent, Ordering::SeqCst);
        Ok(Scan::Nothing)
    });
    let fl = FrameLoop::with_parts(FRAME_BUDGET_30FPS, clock.clone(), decoder).unwrap();
    let luma = vec![128u8; 64 * 64];
    let frame = Frame::tight(64, 64, &luma);
    let mut skipped = 0;
    for i in 0..60 {
        clock
            .0
            .store(arrival(i).as_micros() as u64, Ordering::SeqCst);
        match fl.offer(&frame).unwrap() {
            Offered::Accepted => {
                assert_eq!(
                    fl.wait(Duration::from_secs(60)).unwrap().unwrap(),
                    Scan::Nothing
                );
            }
            Offered::Skipped => skipped += 1,
        }
    }
    let chosen = chosen.lock().unwrap().clone();
    assert_eq!(fl.counts(), (60, skipped));
    assert_eq!(chosen.len() as u64 + skipped, 60);
    assert_eq!(&chosen[..3], &[Effort::Full, Effort::Full, Effort::Reduced]);
    let full = chosen.iter().filter(|e| **e == Effort::Full).count() as u64;
    assert_eq!(skipped, 2 * full, "{chosen:?}");
    assert!(skipped <= 12, "{skipped} of 60 dropped");
}
