//! The decoding cascade: cheap passes first, costlier ones only while nothing was read, and
//! the rescue passes only when an earlier pass saw evidence of a code.

use crate::binarize::BlockStats;
use crate::detect::read;

/// ZXing's contrast floor: blocks with a smaller grey range count as flat.
const STANDARD_RANGE: u8 = 24;

/// One attempt at a frame: how it is scaled and binarised, and how hard the detector looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// Full resolution, ZXing's contrast floor.
    Standard,
    /// Half resolution (2×2 averaging: less noise and blur per pixel), ZXing's contrast floor.
    Half,
    /// Full resolution, block-midpoint thresholds with a contrast floor set by the frame's
    /// sensor noise (reads low-contrast codes and codes under uneven light).
    LowContrast,
    /// Half resolution, block-midpoint thresholds.
    HalfLowContrast,
    /// Full resolution, ZXing's contrast floor, the detector looking at every third row
    /// (small codes in large frames).
    Thorough,
}

impl Pass {
    /// Whether the pass runs only after an earlier pass found a finder pattern. On frames
    /// without a code the first two passes find none (0 of 40 seeded no-code frames at 720p
    /// and 1080p had one in the standard pass, 1 of 40 in the low-contrast pass), while every
    /// frame with a code that a later pass read had at least one: so the later passes cost
    /// nothing on empty frames, which are most of what a camera delivers.
    pub fn needs_evidence(self) -> bool {
        matches!(self, Pass::Half | Pass::HalfLowContrast | Pass::Thorough)
    }
}

/// spur's cascade, chosen by `spur bench decode` (see `docs/decoding.md`).
pub const SPUR_PASSES: &[Pass] = &[
    Pass::Standard,
    Pass::LowContrast,
    Pass::Half,
    Pass::HalfLowContrast,
    Pass::Thorough,
];

/// Runs `passes` on tight `w`×`h` luma until one decodes; the text of the first symbol found.
/// Passes that [`Pass::needs_evidence`] are skipped until a finder pattern has been seen.
pub fn read_luma(luma: &[u8], w: usize, h: usize, passes: &[Pass]) -> Option<String> {
    let full = BlockStats::new(luma, w, h)?;
    let mut half_luma: Option<(Vec<u8>, usize, usize)> = None;
    let mut finders = 0;
    for pass in passes {
        if pass.needs_evidence() && finders == 0 {
            continue;
        }
        let half = matches!(pass, Pass::Half | Pass::HalfLowContrast);
        if half && half_luma.is_none() {
            half_luma = Some(downscale2(luma, w, h));
        }
        let half_stats = match (&half_luma, half) {
            (Some((l, hw, hh)), true) => BlockStats::new(l, *hw, *hh),
            _ => None,
        };
        let stats = if half {
            match &half_stats {
                Some(s) => s,
                None => continue,
            }
        } else {
            &full
        };
        let bits = match pass {
            Pass::Standard | Pass::Half | Pass::Thorough => stats.binarize(STANDARD_RANGE),
            Pass::LowContrast | Pass::HalfLowContrast => {
                stats.binarize_midpoint(low_contrast_floor(stats))
            }
        };
        let Some(bits) = bits else { continue };
        let sight = read(&bits, *pass == Pass::Thorough);
        if sight.text.is_some() {
            return sight.text;
        }
        finders += sight.finders;
    }
    None
}

/// A contrast floor twice the grey range of the flattest quarter of the blocks (the sensor
/// noise: most of a camera frame is flat), at least 6 grey levels.
fn low_contrast_floor(stats: &BlockStats<'_>) -> u8 {
    stats.range_quantile(0.25).saturating_mul(2).max(6)
}

/// Halves the frame each way by averaging 2×2 pixels.
fn downscale2(luma: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (hw, hh) = (w / 2, h / 2);
    let mut out = vec![0u8; hw * hh];
    // Two rows added element-wise first (vectorises), then pairs of columns.
    let mut pair = vec![0u16; w];
    for (y, dst) in out.chunks_exact_mut(hw.max(1)).enumerate().take(hh) {
        let r0 = luma.get(2 * y * w..2 * y * w + w).unwrap_or_default();
        let r1 = luma
            .get((2 * y + 1) * w..(2 * y + 1) * w + w)
            .unwrap_or_default();
        for ((s, a), b) in pair.iter_mut().zip(r0).zip(r1) {
            *s = u16::from(*a) + u16::from(*b);
        }
        for (d, s) in dst.iter_mut().zip(pair.chunks_exact(2)) {
            *d = (s.iter().sum::<u16>() / 4) as u8;
        }
    }
    (out, hw, hh)
}
