//! The decoding cascade: cheap full-frame passes first, and rescue passes only where those
//! saw evidence of a code that they could not complete — on crops around that evidence, never
//! on the whole frame, so clutter that looks like finder patterns cannot buy full-frame passes.

use crate::binarize::BlockStats;
use crate::detect::{read, Finder, Sight};
use crate::mask::{keep_changed, MIN_CHANGED};
use rxing::common::BitMatrix;
// The browser (wasm32) has no `std` clock; web-time is the same type over `performance.now()`.
#[cfg(not(target_arch = "wasm32"))]
use std::time::Instant;
#[cfg(target_arch = "wasm32")]
use web_time::Instant;

/// ZXing's contrast floor: blocks with a smaller grey range count as flat.
const STANDARD_RANGE: u8 = 24;

/// Sets of three finder patterns tried per pass, most plausible first. A real code's set is
/// among the first few; cluttered frames (fake symbols, rings, checkerboards) made up to 220
/// sets per pass, each sampled and error-corrected, which was most of their cost.
pub const MAX_SETS: usize = 16;

/// Sets tried per crop in a rescue pass: a crop holds one code's finders and little else.
pub const MAX_RESCUE_SETS: usize = 4;

/// How far around a finder pattern that belongs to no sampled symbol the rescue passes look,
/// in finder widths (a finder is 7 modules wide; 9 widths is 63 modules, enough for a
/// version-10 code turned by any angle around its finder).
const REACH: f32 = 9.0;

/// The half-resolution rescue passes look at crops of together at most this share of the
/// frame's area (a quarter of it in pixels after halving), the thorough scan at most half of
/// it; the smallest crops go first (small codes), the rest is dropped.
const RESCUE_AREA: f32 = 1.0;

/// Finder patterns at most this wide (3.5 pixels per module) are what the thorough scan is for:
/// wider ones are never stepped over by the default row skip.
const SMALL_FINDER: f32 = 24.5;

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
    /// Twice the resolution (bilinear), ZXing's contrast floor, the detector looking at every
    /// third row: codes of 2–3 pixels per module, whose finder centres the binariser's 8×8
    /// blocks and the row scan barely resolve at their own scale.
    Magnified,
}

impl Pass {
    /// Whether the pass is a rescue pass: it runs only on crops around evidence that the
    /// full-frame passes before it left (see [`read_luma`]), never on a frame without any.
    pub fn needs_evidence(self) -> bool {
        matches!(
            self,
            Pass::Half | Pass::HalfLowContrast | Pass::Thorough | Pass::Magnified
        )
    }

    /// Whether the pass looks only around small finder patterns and scans every third row.
    fn small(self) -> bool {
        matches!(self, Pass::Thorough | Pass::Magnified)
    }

    fn half(self) -> bool {
        matches!(self, Pass::Half | Pass::HalfLowContrast)
    }
}

/// spur's cascade, chosen by `spur bench decode` (see `docs/decoding.md`).
pub const SPUR_PASSES: &[Pass] = &[
    Pass::Standard,
    Pass::LowContrast,
    Pass::Half,
    Pass::HalfLowContrast,
    Pass::Thorough,
    Pass::Magnified,
];

/// How much a frame may cost: the frame loop lowers it for the next frames when one runs
/// over its time budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Effort {
    /// The standard pass only (about a third of a full cascade on an empty frame).
    Minimal,
    /// The two full-frame passes, no rescue passes.
    Reduced,
    /// Every pass of [`SPUR_PASSES`].
    #[default]
    Full,
}

impl Effort {
    /// The passes this effort runs.
    pub fn passes(self) -> &'static [Pass] {
        match self {
            Effort::Minimal => &[Pass::Standard],
            Effort::Reduced => &[Pass::Standard, Pass::LowContrast],
            Effort::Full => SPUR_PASSES,
        }
    }

    /// One step cheaper (`Minimal` stays).
    pub fn lower(self) -> Effort {
        match self {
            Effort::Full => Effort::Reduced,
            _ => Effort::Minimal,
        }
    }

    /// One step dearer (`Full` stays).
    pub fn raise(self) -> Effort {
        match self {
            Effort::Minimal => Effort::Reduced,
            _ => Effort::Full,
        }
    }
}

/// A pixel rectangle of the frame: x0, y0 inclusive, x1, y1 exclusive.
pub type Crop = (usize, usize, usize, usize);

/// What one pass did, on the whole frame or on one crop: for tuning, tests and the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassRun {
    /// The pass.
    pub pass: Pass,
    /// The crop it looked at (`None`: the whole frame).
    pub crop: Option<Crop>,
    /// Finder-pattern candidates it found.
    pub finders: usize,
    /// Sets of three candidates it tried (at most [`MAX_SETS`], or [`MAX_RESCUE_SETS`] on a
    /// crop).
    pub sets: usize,
    /// Of those, the sets that sampled to a module grid (a symbol seen whole).
    pub sampled: usize,
    /// Microseconds it took (binarisation and detection).
    pub micros: u64,
}

/// Runs `passes` on tight `w`×`h` luma until one decodes; the text of the first symbol found.
///
/// Passes that [`Pass::needs_evidence`] run only on crops around each finder pattern that the
/// full-frame passes saw but that belonged to no sampled symbol (its partners were missed:
/// small, noisy or blurred codes); the thorough scan only around the small ones. A symbol
/// that sampled whole buys no rescue (every fake symbol in clutter does), and once any symbol
/// sampled whole in the full-frame passes no rescue pass runs at all: the frame is a scene
/// with symbols in it, not a code too small or blurred to be seen whole. The crops are
/// merged where they overlap and limited in total area, smallest first.
pub fn read_luma(luma: &[u8], w: usize, h: usize, passes: &[Pass]) -> Option<String> {
    read_luma_traced(luma, w, h, passes, &mut Vec::new())
}

/// [`read_luma`], recording every pass that ran in `trace`.
pub fn read_luma_traced(
    luma: &[u8],
    w: usize,
    h: usize,
    passes: &[Pass],
    trace: &mut Vec<PassRun>,
) -> Option<String> {
    let full = BlockStats::new(luma, w, h)?;
    let mut finders: Vec<Finder> = Vec::new();
    let mut crops: Option<(Vec<Crop>, Vec<Crop>)> = None;
    // Module grids that failed to decode, shared by all passes: a fake symbol sampled to the
    // same grid again costs no second error correction.
    let mut failed = Vec::new();
    // The first full-frame pass's bits: a later full-frame pass searches only the tiles where
    // its own bits differ (elsewhere it would find the same finder patterns again).
    let mut first: Option<BitMatrix> = None;
    let mut sampled = 0usize;
    for pass in passes {
        if !pass.needs_evidence() {
            let started = Instant::now();
            let Some(mut bits) = binarize(&full, *pass) else {
                continue;
            };
            if let Some(seen) = &first {
                if keep_changed(&mut bits, seen, MIN_CHANGED) == 0.0 {
                    let nothing = Sight {
                        text: None,
                        finders: Vec::new(),
                        sets: 0,
                        sets_sampled: 0,
                    };
                    trace.push(run(*pass, None, &nothing, started));
                    continue;
                }
            }
            let sight = read(&bits, false, MAX_SETS, &mut failed);
            if first.is_none() {
                first = Some(bits);
            }
            trace.push(run(*pass, None, &sight, started));
            if sight.text.is_some() {
                return sight.text;
            }
            sampled += sight.sets_sampled;
            merge(&mut finders, sight.finders);
            continue;
        }
        if sampled > 0 {
            // A symbol was seen whole (real or fake, it failed error correction): the frame
            // is a scene with symbols in it, where the rescue passes read nothing on seed 2020
            // and clutter spent most of its time in them.
            break;
        }
        let (wide, small) = crops.get_or_insert_with(|| rescue_crops(&finders, w, h));
        let list = if pass.small() { &*small } else { &*wide };
        for crop in list {
            let started = Instant::now();
            let Some(sight) = look_crop(luma, w, *crop, *pass, &mut failed) else {
                continue;
            };
            trace.push(run(*pass, Some(*crop), &sight, started));
            if sight.text.is_some() {
                return sight.text;
            }
        }
    }
    None
}

fn run(pass: Pass, crop: Option<Crop>, sight: &Sight, started: Instant) -> PassRun {
    PassRun {
        pass,
        crop,
        finders: sight.finders.len(),
        sets: sight.sets,
        sampled: sight.sets_sampled,
        micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    }
}

/// The pass's binarisation of the frame or crop.
fn binarize(stats: &BlockStats<'_>, pass: Pass) -> Option<BitMatrix> {
    match pass {
        Pass::Standard | Pass::Half | Pass::Thorough | Pass::Magnified => {
            stats.binarize(STANDARD_RANGE)
        }
        Pass::LowContrast | Pass::HalfLowContrast => {
            stats.binarize_midpoint(low_contrast_floor(stats))
        }
    }
}

/// Binarises with the pass's threshold and looks for symbols.
fn look(stats: &BlockStats<'_>, pass: Pass, failed: &mut Vec<BitMatrix>) -> Option<Sight> {
    let bits = binarize(stats, pass)?;
    let cap = if pass.needs_evidence() {
        MAX_RESCUE_SETS
    } else {
        MAX_SETS
    };
    Some(read(&bits, pass.small(), cap, failed))
}

/// Runs a rescue pass on one crop of the frame (halved first for the half-resolution passes).
fn look_crop(
    luma: &[u8],
    w: usize,
    crop: Crop,
    pass: Pass,
    failed: &mut Vec<BitMatrix>,
) -> Option<Sight> {
    let (x0, y0, x1, y1) = crop;
    let (cw, ch) = (x1.checked_sub(x0)?, y1.checked_sub(y0)?);
    let mut pixels = Vec::with_capacity(cw * ch);
    for y in y0..y1 {
        pixels.extend_from_slice(luma.get(y * w + x0..y * w + x1)?);
    }
    let (pixels, cw, ch) = if pass.half() {
        downscale2(&pixels, cw, ch)
    } else if pass == Pass::Magnified {
        upscale2(&pixels, cw, ch)
    } else {
        (pixels, cw, ch)
    };
    let stats = BlockStats::new(&pixels, cw, ch)?;
    look(&stats, pass, failed)
}

/// Adds `new` finders to `seen`, one entry per ring; a ring is sampled if any pass sampled it.
fn merge(seen: &mut Vec<Finder>, new: Vec<Finder>) {
    for f in new {
        match seen.iter_mut().find(|s| s.same_as(&f)) {
            Some(s) => s.sampled |= f.sampled,
            None => seen.push(f),
        }
    }
}

/// The crops for the rescue passes: (all of them, the ones around small finders), merged where
/// they overlap, smallest first, together at most [`RESCUE_AREA`] of the frame.
fn rescue_crops(finders: &[Finder], w: usize, h: usize) -> (Vec<Crop>, Vec<Crop>) {
    let around = |f: &Finder| -> Crop {
        let r = f.size * REACH;
        let fx = |v: f32| (v.max(0.0) as usize).min(w);
        let fy = |v: f32| (v.max(0.0) as usize).min(h);
        (fx(f.x - r), fy(f.y - r), fx(f.x + r), fy(f.y + r))
    };
    let orphans = finders.iter().filter(|f| !f.sampled);
    let small: Vec<Crop> = orphans
        .clone()
        .filter(|f| f.size <= SMALL_FINDER)
        .map(around)
        .collect();
    let wide: Vec<Crop> = orphans.map(around).collect();
    let budget = (w * h) as f32 * RESCUE_AREA;
    (
        limit(union(wide), budget),
        limit(union(small), budget / 2.0),
    )
}

/// Merges overlapping crops into their bounding boxes until none overlap.
fn union(mut crops: Vec<Crop>) -> Vec<Crop> {
    let overlap = |a: &Crop, b: &Crop| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let mut i = 0;
    while i < crops.len() {
        let mut merged = false;
        let mut j = i + 1;
        while j < crops.len() {
            if let (Some(a), Some(b)) = (crops.get(i).copied(), crops.get(j).copied()) {
                if overlap(&a, &b) {
                    if let Some(c) = crops.get_mut(i) {
                        *c = (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3));
                    }
                    crops.swap_remove(j);
                    merged = true;
                    continue;
                }
            }
            j += 1;
        }
        if !merged {
            i += 1;
        }
    }
    crops
}

/// The smallest crops whose areas add up to at most `budget` pixels.
fn limit(mut crops: Vec<Crop>, budget: f32) -> Vec<Crop> {
    let area = |c: &Crop| (c.2.saturating_sub(c.0) * c.3.saturating_sub(c.1)) as f32;
    crops.sort_by(|a, b| area(a).total_cmp(&area(b)));
    let mut spent = 0.0;
    crops
        .into_iter()
        .take_while(|c| {
            spent += area(c);
            spent <= budget
        })
        .collect()
}

/// A contrast floor twice the grey range of the flattest quarter of the blocks (the sensor
/// noise: most of a camera frame is flat), at least 6 grey levels.
fn low_contrast_floor(stats: &BlockStats<'_>) -> u8 {
    stats.range_quantile(0.25).saturating_mul(2).max(6)
}

/// Doubles the crop each way, interpolating bilinearly (each new pixel the mean of its one,
/// two or four nearest original pixels).
fn upscale2(luma: &[u8], w: usize, h: usize) -> (Vec<u8>, usize, usize) {
    let (ow, oh) = (w * 2, h * 2);
    let mut out = vec![0u8; ow * oh];
    let at = |x: usize, y: usize| u16::from(luma.get(y * w + x).copied().unwrap_or(0));
    for (oy, row) in out.chunks_exact_mut(ow.max(1)).enumerate().take(oh) {
        let (y0, y1) = (oy / 2, (oy.div_ceil(2)).min(h.saturating_sub(1)));
        for (ox, px) in row.iter_mut().enumerate() {
            let (x0, x1) = (ox / 2, (ox.div_ceil(2)).min(w.saturating_sub(1)));
            let sum = at(x0, y0) + at(x1, y0) + at(x0, y1) + at(x1, y1);
            *px = (sum / 4) as u8;
        }
    }
    (out, ow, oh)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upscale2_keeps_the_pixels_and_interpolates_between_them() {
        let (px, w, h) = upscale2(&[0, 100, 100, 200], 2, 2);
        assert_eq!((w, h), (4, 4));
        // Even positions are the original pixels, odd ones the mean of their neighbours; the
        // last row and column repeat the edge.
        assert_eq!(
            px,
            vec![
                0, 50, 100, 100, //
                50, 100, 150, 150, //
                100, 150, 200, 200, //
                100, 150, 200, 200,
            ]
        );
    }
}
