#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decode rate per category on a small seeded set of generated 720p frames (thresholds can fail).

use spur_qr::synth::{generate, Category};
use spur_qr::{decode_frame, EncodeOptions, Frame, Scan};

const FRAMES: u64 = 4;

/// Decodes FRAMES frames of `category` and returns (correct, wrong).
fn run(category: Category) -> (u64, u64) {
    let (mut correct, mut wrong) = (0, 0);
    for i in 0..FRAMES {
        let s = generate(category, 1280, 720, 7, i, EncodeOptions::SPUR);
        let scan = decode_frame(&Frame::tight(s.width, s.height, &s.luma)).unwrap();
        match (scan.text(), s.expected.as_deref()) {
            (Some(got), Some(want)) if got == want => correct += 1,
            (Some(_), _) => wrong += 1,
            (None, _) => {}
        }
        if category == Category::Foreign {
            assert!(
                !matches!(scan, Scan::Spur { .. }),
                "a foreign code was taken for spur's"
            );
        }
    }
    (correct, wrong)
}

fn check(category: Category, at_least: u64) {
    let (correct, wrong) = run(category);
    assert_eq!(wrong, 0, "{}: false decodes", category.name());
    assert!(
        correct >= at_least,
        "{}: {correct}/{FRAMES} decoded, want ≥ {at_least}",
        category.name()
    );
}

#[test]
fn nominal() {
    check(Category::Nominal, FRAMES);
}
