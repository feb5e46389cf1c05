//! The decoding cascade: cheap passes first, costlier ones only while nothing was found.

use crate::binarize::local_threshold;
use crate::detect::read;

/// One attempt at a frame: how it is scaled and binarised, and how hard the detector looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    /// Downscaling factor (1 = full resolution, 2 = half each way by 2×2 averaging).
    pub downscale: u8,
    /// Grey range below which an 8×8 block counts as flat (ZXing uses 24).
    pub min_range: u8,
    /// Scan every row for finder patterns.
    pub try_harder: bool,
    /// Run only when an earlier pass saw at least this many finder-pattern candidates.
    pub needs_patterns: usize,
}

/// spur's cascade, chosen by `spur bench decode` (see `docs/decoding.md`).
pub const SPUR_PASSES: &[Pass] = &[
    Pass { downscale: 1, min_range: 24, try_harder: false, needs_patterns: 0 },
];

/// Runs `passes` on tight `w`×`h` luma until one decodes; the text of the first symbol found.
pub fn read_luma(luma: &[u8], w: usize, h: usize, passes: &[Pass]) -> Option<String> {
    let mut half: Option<(Vec<u8>, usize, usize)> = None;
    let mut seen = 0usize;
    for pass in passes {
        if seen < pass.needs_patterns {
            continue;
        }
        let (img, iw, ih) = if pass.downscale >= 2 {
            if half.is_none() {
                half = Some(downscale2(luma, w, h));
            }
            match &half {
                Some((l, hw, hh)) => (l.as_slice(), *hw, *hh),
                None => continue,
            }
        } else {
            (luma, w, h)
        };
        let Some(bits) = local_threshold(img, iw, ih, pass.min_range) else { continue };
        let found = read(&bits, pass.try_harder);
        seen = seen.max(found.finder_patterns);
        if found.text.is_some() {
            return found.text;
        }
    }
    None
}

/// Halves the frame each way by averaging 2×2 pixels.
fn downscale2(luma: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (hw, hh) = (w / 2, h / 2);
    let mut out = Vec::with_capacity(hw * hh);
    for y in 0..hh {
        let r0 = luma.get(2 * y * w..2 * y * w + w).unwrap_or_default();
        let r1 = luma.get((2 * y + 1) * w..(2 * y + 1) * w + w).unwrap_or_default();
        for (a, b) in r0.chunks_exact(2).zip(r1.chunks_exact(2)).take(hw) {
            let s: u16 = a.iter().chain(b).map(|v| u16::from(*v)).sum();
            out.push((s / 4) as u8);
        }
    }
    (out, hw, hh)
}
