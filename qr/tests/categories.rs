#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decode rate per category on a small seeded set of generated 720p frames. The thresholds
//! sit just under what spur's decoder reaches on this set, so a regression fails the test.

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
        match category {
            Category::Foreign => {
                assert!(
                    !matches!(scan, Scan::Spur { .. }),
                    "a foreign code was taken for spur's"
                )
            }
            Category::NoCode => assert_eq!(scan, Scan::Nothing),
            _ if scan.text().is_some() => {
                assert!(
                    matches!(scan, Scan::Spur { .. }),
                    "spur code not classified: {scan:?}"
                )
            }
            _ => {}
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

#[test]
fn rotation() {
    check(Category::Rotation, FRAMES);
}

#[test]
fn perspective() {
    check(Category::Perspective, FRAMES);
}

#[test]
fn jpeg() {
    check(Category::Jpeg, FRAMES);
}

#[test]
fn uneven_light() {
    check(Category::UnevenLight, 3);
}

#[test]
fn blur() {
    check(Category::Blur, 3);
}

#[test]
fn noise() {
    check(Category::Noise, 3);
}

#[test]
fn low_contrast() {
    check(Category::LowContrast, 2);
}

#[test]
fn glare() {
    check(Category::Glare, 2);
}

#[test]
fn small() {
    check(Category::Small, 3);
}

#[test]
fn foreign_codes_are_read_and_refused() {
    check(Category::Foreign, FRAMES);
}

#[test]
fn no_code_no_false_decode() {
    let (correct, wrong) = run(Category::NoCode);
    assert_eq!((correct, wrong), (0, 0));
}
