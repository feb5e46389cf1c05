//! Local-threshold binarisation (ZXing's "hybrid" scheme with a tunable contrast floor).
//!
//! The frame is cut into 8×8 blocks; each block's black point is its mean when its grey range
//! exceeds `min_range`, otherwise it is inherited from the neighbours (a flat block is taken as
//! background). Each pixel is compared with the mean black point of the 5×5 blocks around its
//! block. A lower `min_range` reads low-contrast codes but makes flat areas noisy, so the
//! statistics also give the grey range of the flattest blocks (the sensor noise).

use rxing::common::{BitArray, BitFieldBaseType, BitMatrix, BIT_FIELD_BASE_BITS};

const BLOCK: usize = 8;
/// Pixels per word of a bit matrix row.
const WORD: usize = BIT_FIELD_BASE_BITS;

/// Sum, minimum and maximum of every 8×8 block of a frame.
pub(crate) struct BlockStats<'a> {
    luma: &'a [u8],
    w: usize,
    h: usize,
    bw: usize,
    bh: usize,
    sum: Vec<u16>,
    min: Vec<u8>,
    max: Vec<u8>,
}

impl<'a> BlockStats<'a> {
    /// Block statistics of `w`×`h` luma; `None` for frames under 40×40 pixels.
    pub(crate) fn new(luma: &'a [u8], w: usize, h: usize) -> Option<BlockStats<'a>> {
        if w < BLOCK * 5 || h < BLOCK * 5 || luma.len() < w * h {
            return None;
        }
        let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
        let mut sum = vec![0u16; bw * bh];
        let mut min = vec![255u8; bw * bh];
        let mut max = vec![0u8; bw * bh];
        // Per block row: the column-wise sum, minimum and maximum over its eight pixel rows
        // first (element-wise over whole rows, which vectorises), then eight columns per block.
        let mut col_sum = vec![0u16; w];
        let mut col_min = vec![0u8; w];
        let mut col_max = vec![0u8; w];
        for (by, ((sums, mins), maxs)) in sum
            .chunks_exact_mut(bw)
            .zip(min.chunks_exact_mut(bw))
            .zip(max.chunks_exact_mut(bw))
            .enumerate()
        {
            // The last block row and column overlap the previous ones to stay inside the frame.
            let y0 = (by * BLOCK).min(h - BLOCK);
            col_sum.fill(0);
            col_min.fill(255);
            col_max.fill(0);
            for y in y0..y0 + BLOCK {
                let row = luma.get(y * w..y * w + w).unwrap_or_default();
                for (((p, s), lo), hi) in row
                    .iter()
                    .zip(col_sum.iter_mut())
                    .zip(col_min.iter_mut())
                    .zip(col_max.iter_mut())
                {
                    *s += u16::from(*p);
                    *lo = (*lo).min(*p);
                    *hi = (*hi).max(*p);
                }
            }
            for (bx, ((s, lo), hi)) in sums
                .iter_mut()
                .zip(mins.iter_mut())
                .zip(maxs.iter_mut())
                .enumerate()
            {
                let x0 = (bx * BLOCK).min(w - BLOCK);
                let cols = x0..x0 + BLOCK;
                *s = col_sum.get(cols.clone()).unwrap_or_default().iter().sum();
                *lo = col_min
                    .get(cols.clone())
                    .unwrap_or_default()
                    .iter()
                    .copied()
                    .fold(255, u8::min);
                *hi = col_max
                    .get(cols)
                    .unwrap_or_default()
                    .iter()
                    .copied()
                    .fold(0, u8::max);
            }
        }
        Some(BlockStats {
            luma,
            w,
            h,
            bw,
            bh,
            sum,
            min,
            max,
        })
    }

    /// Grey range that `quantile` of the blocks stay below (0.25: about the sensor noise,
    /// since most of a camera frame is flat).
    pub(crate) fn range_quantile(&self, quantile: f64) -> u8 {
        let ranges = self
            .min
            .iter()
            .zip(&self.max)
            .map(|(lo, hi)| hi.saturating_sub(*lo));
        quantile_of(ranges, self.min.len(), quantile)
    }

    /// Binarises with block midpoints: a block whose grey range exceeds `floor` gets the
    /// midpoint of its range as threshold; the thresholds are averaged over the 5×5 blocks
    /// around each block, counting only blocks that had one; blocks with none in reach take
    /// the previous block's. Unlike the classic scheme, a flat block inside a code inherits
    /// the code's threshold instead of turning light, so contrast far below ZXing's floor of
    /// 24 grey levels still reads, while flat background (range under the floor) stays clean.
    pub(crate) fn binarize_midpoint(&self, floor: u8) -> Option<BitMatrix> {
        let (bw, bh) = (self.bw, self.bh);
        let known: Vec<u16> = self
            .min
            .iter()
            .zip(&self.max)
            .map(|(lo, hi)| {
                if hi - lo > floor {
                    (u16::from(*lo) + u16::from(*hi)) / 2
                } else {
                    0
                }
            })
            .collect();
        let counts: Vec<u16> = known.iter().map(|v| u16::from(*v > 0)).collect();
        let sums = sum5x5(&known, bw, bh);
        let counts = sum5x5(&counts, bw, bh);
        let mut last = 0u8;
        let threshold: Vec<u8> = sums
            .iter()
            .zip(&counts)
            .map(|(sum, n)| {
                if let Some(avg) = sum.checked_div(*n) {
                    last = avg as u8;
                }
                last
            })
            .collect();
        self.apply(&threshold)
    }

    /// Binarises the frame (dark pixels become set bits) with the given contrast floor.
    pub(crate) fn binarize(&self, min_range: u8) -> Option<BitMatrix> {
        let (bw, bh) = (self.bw, self.bh);
        let black = self.black_points(u16::from(min_range));
        // Threshold of each block: the mean black point of the 5×5 blocks around it.
        let black: Vec<u16> = black.iter().map(|v| u16::from(*v)).collect();
        let threshold: Vec<u8> = sum5x5(&black, bw, bh)
            .iter()
            .map(|s| (s / 25) as u8)
            .collect();
        self.apply(&threshold)
    }

    /// Sets the bits of pixels at or below their block's threshold.
    fn apply(&self, threshold: &[u8]) -> Option<BitMatrix> {
        let (w, h, bw) = (self.w, self.h, self.bw);
        let mut bits = BitMatrix::new(u32::try_from(w).ok()?, u32::try_from(h).ok()?).ok()?;
        let mut row_bits = BitArray::with_size(w);
        // The thresholds of one block row spread out to one per pixel, padded to whole words,
        // so that the inner loop is a plain byte comparison the compiler can vectorise (this
        // loop is most of a pass's time on a frame without a code).
        let padded = w.div_ceil(WORD) * WORD;
        let mut pixel_threshold = vec![0u8; padded];
        let mut last_row = vec![0u8; padded];
        for (by, rows) in (0..h).step_by(BLOCK).enumerate() {
            let thr = threshold.get(by * bw..by * bw + bw).unwrap_or_default();
            for (t, px) in thr.iter().zip(pixel_threshold.chunks_mut(BLOCK)) {
                px.fill(*t);
            }
            for y in rows..(rows + BLOCK).min(h) {
                let row = self.luma.get(y * w..y * w + w).unwrap_or_default();
                // The last partial word compares against a zero-padded copy of the row.
                let full = row.len() / WORD * WORD;
                let (head, tail) = row.split_at(full);
                if let Some(pad) = last_row.get_mut(..tail.len()) {
                    pad.copy_from_slice(tail);
                }
                let words = head.chunks_exact(WORD).chain(
                    last_row
                        .chunks_exact(WORD)
                        .take(usize::from(!tail.is_empty())),
                );
                for (word_no, (px, th)) in words.zip(pixel_threshold.chunks_exact(WORD)).enumerate()
                {
                    let x0 = word_no * WORD;
                    // Bits past the frame's right edge stay clear.
                    let keep = match w - x0 {
                        n if n >= WORD => BitFieldBaseType::MAX,
                        n => (1 << n) - 1,
                    };
                    row_bits.setBulk(x0, pack(px, th) & keep);
                }
                bits.setRow(y as u32, &row_bits);
            }
        }
        Some(bits)
    }

    /// Black point of every block.
    fn black_points(&self, min_range: u16) -> Vec<u8> {
        let bw = self.bw;
        let mut black = vec![0u8; bw * self.bh];
        for by in 0..self.bh {
            for bx in 0..bw {
                let i = by * bw + bx;
                let (sum, lo, hi) = (
                    self.sum.get(i).copied().unwrap_or(0),
                    self.min.get(i).copied().unwrap_or(0),
                    self.max.get(i).copied().unwrap_or(0),
                );
                let mut average = sum >> 6;
                if u16::from(hi - lo) <= min_range {
                    // A flat block: assume background (lighter than its darkest pixel), unless
                    // the neighbours' black point says the block lies inside dark ink.
                    average = u16::from(lo) / 2;
                    if by > 0 && bx > 0 {
                        let at = |j: usize| u16::from(black.get(j).copied().unwrap_or(0));
                        let neighbours = (at(i - bw) + 2 * at(i - 1) + at(i - bw - 1)) / 4;
                        if u16::from(lo) < neighbours {
                            average = neighbours;
                        }
                    }
                }
                if let Some(b) = black.get_mut(i) {
                    *b = average.min(255) as u8;
                }
            }
        }
        black
    }
}

/// Sum of the 5×5 blocks around each block (the window moves inward at the frame's edges,
/// so every sum has 25 terms), computed as a row pass and a column pass. Needs `bw`, `bh` ≥ 5.
fn sum5x5(values: &[u16], bw: usize, bh: usize) -> Vec<u32> {
    let window = |i: usize, n: usize| i.clamp(2, n - 3) - 2;
    let mut rows = vec![0u32; bw * bh];
    for (src, dst) in values.chunks_exact(bw).zip(rows.chunks_exact_mut(bw)) {
        for (bx, d) in dst.iter_mut().enumerate() {
            let left = window(bx, bw);
            *d = src
                .get(left..left + 5)
                .unwrap_or_default()
                .iter()
                .map(|v| u32::from(*v))
                .sum();
        }
    }
    let mut out = vec![0u32; bw * bh];
    for (by, dst) in out.chunks_exact_mut(bw).enumerate() {
        let top = window(by, bh);
        for src in rows.chunks_exact(bw).skip(top).take(5) {
            for (d, v) in dst.iter_mut().zip(src) {
                *d += v;
            }
        }
    }
    out
}

/// The value that `quantile` of `n` grey values stay below.
fn quantile_of(values: impl Iterator<Item = u8>, n: usize, quantile: f64) -> u8 {
    let mut hist = [0usize; 256];
    for v in values {
        if let Some(c) = hist.get_mut(usize::from(v)) {
            *c += 1;
        }
    }
    let target = (n as f64 * quantile) as usize;
    let mut seen = 0;
    for (value, count) in hist.iter().enumerate() {
        seen += count;
        if seen > target {
            return value as u8;
        }
    }
    255
}

/// One word of a bit matrix row: bit `i` is set when pixel `i` is at or below its threshold.
/// Both slices are one word long. The comparisons go to a byte array (vectorised) and each
/// eight 0/1 bytes become eight bits with one multiplication: bit `i` of byte `i` lands in the
/// top byte at position `i`, and no two partial products overlap, so nothing carries.
fn pack(pixels: &[u8], thresholds: &[u8]) -> BitFieldBaseType {
    let mut dark = [0u8; WORD];
    for ((d, p), t) in dark.iter_mut().zip(pixels).zip(thresholds) {
        *d = u8::from(p <= t);
    }
    let mut word: BitFieldBaseType = 0;
    for (k, bytes) in dark.chunks_exact(8).enumerate() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(bytes);
        let bits = u64::from_le_bytes(eight).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        word |= (bits as BitFieldBaseType) << (8 * k);
    }
    word
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    //! The word-at-a-time binariser against a per-pixel reference of the same rules.

    use super::*;

    /// Per-pixel reference: block statistics, 5×5 averages and comparisons written plainly.
    fn reference(luma: &[u8], w: usize, h: usize, midpoint: Option<u8>) -> Vec<bool> {
        let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
        let (mut sum, mut lo, mut hi) = (
            vec![0u16; bw * bh],
            vec![255u8; bw * bh],
            vec![0u8; bw * bh],
        );
        for by in 0..bh {
            for bx in 0..bw {
                let (y0, x0) = ((by * BLOCK).min(h - BLOCK), (bx * BLOCK).min(w - BLOCK));
                for y in y0..y0 + BLOCK {
                    for x in x0..x0 + BLOCK {
                        let p = luma[y * w + x];
                        sum[by * bw + bx] += u16::from(p);
                        lo[by * bw + bx] = lo[by * bw + bx].min(p);
                        hi[by * bw + bx] = hi[by * bw + bx].max(p);
                    }
                }
            }
        }
        let stats = BlockStats::new(luma, w, h).unwrap();
        assert_eq!(
            (stats.sum.clone(), stats.min.clone(), stats.max.clone()),
            (sum, lo.clone(), hi.clone())
        );
        let mut threshold = vec![0u8; bw * bh];
        let mut last = 0u8;
        let black = stats.black_points(24);
        for by in 0..bh {
            for bx in 0..bw {
                let (top, left) = (by.clamp(2, bh - 3) - 2, bx.clamp(2, bw - 3) - 2);
                let (mut s, mut n) = (0u32, 0u32);
                for yy in top..top + 5 {
                    for xx in left..left + 5 {
                        let i = yy * bw + xx;
                        match midpoint {
                            None => {
                                s += u32::from(black[i]);
                                n += 1;
                            }
                            Some(floor) if hi[i] - lo[i] > floor => {
                                s += (u32::from(lo[i]) + u32::from(hi[i])) / 2;
                                n += 1;
                            }
                            Some(_) => {}
                        }
                    }
                }
                if let Some(avg) = s.checked_div(n) {
                    last = avg as u8;
                }
                threshold[by * bw + bx] = last;
            }
        }
        (0..w * h)
            .map(|i| luma[i] <= threshold[(i / w / BLOCK) * bw + (i % w) / BLOCK])
            .collect()
    }

    fn frame(w: usize, h: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..w * h)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Blocky content with noise, so that flat and busy blocks both occur.
                let base = ((i % w) / 24 + (i / w) / 24) % 3 * 70;
                (base as u64 + x % 30) as u8
            })
            .collect()
    }

    fn same(bits: &BitMatrix, want: &[bool], w: usize, h: usize) {
        for y in 0..h {
            for x in 0..w {
                assert_eq!(
                    bits.get(x as u32, y as u32),
                    want[y * w + x],
                    "pixel {x},{y} of {w}×{h}"
                );
            }
        }
        // Nothing set past the right edge (the padding of the last word).
        let row_words = bits.getRowSize();
        assert_eq!(row_words, w.div_ceil(WORD));
        for y in 0..h {
            let row = bits.getRow(y as u32);
            let set = (0..row.get_size()).filter(|x| row.get(*x)).count();
            assert_eq!(set, want[y * w..y * w + w].iter().filter(|b| **b).count());
        }
    }

    #[test]
    fn matches_the_per_pixel_reference() {
        for (w, h) in [(40, 40), (101, 77), (128, 64), (1280, 720), (333, 250)] {
            let luma = frame(w, h, (w * h) as u64);
            let stats = BlockStats::new(&luma, w, h).unwrap();
            same(
                &stats.binarize(24).unwrap(),
                &reference(&luma, w, h, None),
                w,
                h,
            );
            for floor in [6, 20] {
                let bits = stats.binarize_midpoint(floor).unwrap();
                same(&bits, &reference(&luma, w, h, Some(floor)), w, h);
            }
        }
    }

    #[test]
    fn pack_sets_one_bit_per_dark_pixel() {
        let px: Vec<u8> = (0..WORD).map(|i| (i * 37 % 256) as u8).collect();
        let th = vec![100u8; WORD];
        let word = pack(&px, &th);
        for (i, p) in px.iter().enumerate() {
            assert_eq!(word >> i & 1 == 1, *p <= 100, "bit {i}");
        }
    }
}
