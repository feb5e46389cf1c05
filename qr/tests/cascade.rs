#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The rescue passes of the cascade: each one reads a seeded 1080p frame of the benchmark
//! corpus that the passes before it miss, none of them runs without evidence of a code, and on
//! cluttered frames they run only on crops around that evidence.

use spur_qr::cascade::{read_luma, Pass, SPUR_PASSES};
use spur_qr::synth::{generate, Category};
use spur_qr::EncodeOptions;

/// Frame `index` of `category` at 1080p from the benchmark's seed, read with `passes`.
fn read(category: Category, index: u64, passes: &[Pass]) -> (Option<String>, Option<String>) {
    let s = generate(category, 1920, 1080, 2020, index, EncodeOptions::SPUR);
    (read_luma(&s.luma, s.width, s.height, passes), s.expected)
}

/// A small-code frame only the thorough pass reads, and a glare frame only the half-resolution
/// midpoint pass reads. Which frames these are depends on the codes' bits: after the sample
/// codes' ids were bound to their data (the protocol's commitment), frames 1 were read by
/// earlier passes; 31 and 67 need their pass with either the old or the new ids.
const SMALL_FRAME: u64 = 31;
const GLARE_FRAME: u64 = 67;

#[test]
fn thorough_pass_reads_a_small_code_the_others_miss() {
    let without = [
        Pass::Standard,
        Pass::LowContrast,
        Pass::Half,
        Pass::HalfLowContrast,
    ];
    let (got, want) = read(Category::Small, SMALL_FRAME, &without);
    assert_eq!(got, None, "the frame no longer needs the thorough pass");
    let (got, want2) = read(Category::Small, SMALL_FRAME, SPUR_PASSES);
    assert_eq!(want, want2);
    assert_eq!(got, want);
}

#[test]
fn magnified_pass_reads_a_small_rotated_code_the_others_miss() {
    // Frame 9 of the 720p `small_rotated` category (about 2 px per module, turned): every
    // earlier pass misses it, the crop doubled reads it.
    let s = generate(
        Category::SmallRotated,
        1280,
        720,
        2020,
        9,
        EncodeOptions::SPUR,
    );
    let without = &SPUR_PASSES[..SPUR_PASSES.len() - 1];
    assert_eq!(SPUR_PASSES.last(), Some(&Pass::Magnified));
    assert_eq!(
        read_luma(&s.luma, s.width, s.height, without),
        None,
        "the frame no longer needs the magnified pass"
    );
    assert!(s.expected.is_some());
    assert_eq!(
        read_luma(&s.luma, s.width, s.height, SPUR_PASSES),
        s.expected
    );
}

#[test]
fn half_low_contrast_pass_reads_a_glare_frame_the_others_miss() {
    let without = [Pass::Standard, Pass::LowContrast, Pass::Half];
    let (got, want) = read(Category::Glare, GLARE_FRAME, &without);
    assert_eq!(
        got, None,
        "the frame no longer needs the half-resolution midpoint pass"
    );
    let with = [
        Pass::Standard,
        Pass::LowContrast,
        Pass::Half,
        Pass::HalfLowContrast,
    ];
    assert_eq!(read(Category::Glare, GLARE_FRAME, &with).0, want);
}

#[test]
fn rescue_passes_alone_do_not_run_without_evidence() {
    // With only passes that need evidence there is never any: even a clean code stays unread.
    let rescue: Vec<Pass> = SPUR_PASSES
        .iter()
        .copied()
        .filter(|p| p.needs_evidence())
        .collect();
    assert!(!rescue.is_empty());
    let (got, want) = read(Category::Nominal, 0, &rescue);
    assert!(want.is_some());
    assert_eq!(got, None);
    // The same code is read once a pass without that condition comes first.
    let mut all = vec![Pass::Standard];
    all.extend(rescue);
    assert_eq!(read(Category::Nominal, 0, &all).0, want);
}

#[test]
fn clutter_buys_rescue_passes_only_on_crops() {
    use spur_qr::cascade::{read_luma_traced, MAX_SETS};
    // Cluttered scenes without a code (fake symbols with real finder patterns, rings,
    // checkerboards): the rescue passes run only where no symbol sampled, only on crops, the thorough scan on at most
    // half the frame, and no pass tries more than MAX_SETS finder sets.
    let (mut rescued_on_crops, mut sampled_frames) = (0, 0);
    for index in 0..4 {
        let s = generate(
            Category::Clutter,
            1280,
            720,
            2020,
            index,
            EncodeOptions::SPUR,
        );
        let mut trace = Vec::new();
        assert_eq!(
            read_luma_traced(&s.luma, s.width, s.height, SPUR_PASSES, &mut trace),
            None
        );
        let area = |c: (usize, usize, usize, usize)| (c.2 - c.0) * (c.3 - c.1);
        for run in &trace {
            assert!(run.sets <= MAX_SETS, "{run:?}");
            assert_eq!(run.crop.is_some(), run.pass.needs_evidence(), "{run:?}");
        }
        let thorough: usize = trace
            .iter()
            .filter(|r| r.pass == Pass::Thorough)
            .filter_map(|r| r.crop.map(area))
            .sum();
        assert!(thorough * 2 <= s.width * s.height, "{thorough} px");
        // A frame where a full-frame pass sampled a symbol (a fake one) buys no rescue at all.
        let sampled: usize = trace
            .iter()
            .filter(|r| r.crop.is_none())
            .map(|r| r.sampled)
            .sum();
        let crops = trace.iter().filter(|r| r.crop.is_some()).count();
        if sampled > 0 {
            assert_eq!(crops, 0, "{trace:?}");
            sampled_frames += 1;
        }
        rescued_on_crops += crops;
    }
    // The clutter does look like evidence: the crops are not vacuous, and the rule against
    // sampled symbols is not either.
    assert!(rescued_on_crops > 0);
    assert!(sampled_frames > 0);
}

#[test]
fn codes_among_clutter_are_read() {
    for index in 0..4 {
        let (got, want) = read(Category::ClutterCode, index, SPUR_PASSES);
        assert!(want.is_some());
        assert_eq!(got, want, "frame {index}");
    }
}
