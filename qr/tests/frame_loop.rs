#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The frame loop decodes in the background and skips frames offered while it is busy.

use spur_qr::frame_loop::Offered;
use spur_qr::synth::{generate, Category};
use spur_qr::{EncodeOptions, Frame, FrameLoop, Scan};
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
