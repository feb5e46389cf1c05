//! Local-threshold binarisation (ZXing's "hybrid" scheme with a tunable contrast floor).
//!
//! The frame is cut into 8×8 blocks; each block's black point is its mean when its grey range
//! exceeds `min_range`, otherwise it is inherited from the neighbours (a flat block is taken as
//! background). Each pixel is compared with the mean black point of the 5×5 blocks around its
//! block. A lower `min_range` reads low-contrast codes but makes flat areas noisy, so the
//! statistics also give the grey range of the flattest blocks (the sensor noise).

use rxing::common::{BitArray, BitFieldBaseType, BitMatrix, BIT_FIELD_BASE_BITS};

const BLOCK: usize = 8;

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
        for by in 0..bh {
            // The last block row and column overlap the previous ones to stay inside the frame.
            let y0 = (by * BLOCK).min(h - BLOCK);
            for y in y0..y0 + BLOCK {
                let row = luma.get(y * w..y * w + w).unwrap_or_default();
                for bx in 0..bw {
                    let x0 = (bx * BLOCK).min(w - BLOCK);
                    let px = row.get(x0..x0 + BLOCK).unwrap_or_default();
                    let i = by * bw + bx;
                    let (mut s, mut lo, mut hi) = (0u16, 255u8, 0u8);
                    for p in px {
                        s += u16::from(*p);
                        lo = lo.min(*p);
                        hi = hi.max(*p);
                    }
                    if let (Some(a), Some(b), Some(c)) =
                        (sum.get_mut(i), min.get_mut(i), max.get_mut(i))
                    {
                        *a += s;
                        *b = (*b).min(lo);
                        *c = (*c).max(hi);
                    }
                }
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
        let mut threshold = vec![0u8; bw * bh];
        let mut last = 0u8;
        for by in 0..bh {
            let top = by.clamp(2, bh - 3) - 2;
            for bx in 0..bw {
                let left = bx.clamp(2, bw - 3) - 2;
                let (mut sum, mut n) = (0u32, 0u32);
                for yy in top..top + 5 {
                    for v in known
                        .get(yy * bw + left..yy * bw + left + 5)
                        .unwrap_or_default()
                    {
                        if *v > 0 {
                            sum += u32::from(*v);
                            n += 1;
                        }
                    }
                }
                if let Some(avg) = sum.checked_div(n) {
                    last = avg as u8;
                }
                if let Some(t) = threshold.get_mut(by * bw + bx) {
                    *t = last;
                }
            }
        }
        self.apply(&threshold)
    }

    /// Binarises the frame (dark pixels become set bits) with the given contrast floor.
    pub(crate) fn binarize(&self, min_range: u8) -> Option<BitMatrix> {
        let (bw, bh) = (self.bw, self.bh);
        let black = self.black_points(u16::from(min_range));
        // Threshold of each block: the mean black point of the 5×5 blocks around it.
        let mut threshold = vec![0u8; bw * bh];
        for by in 0..bh {
            let top = by.clamp(2, bh - 3) - 2;
            for bx in 0..bw {
                let left = bx.clamp(2, bw - 3) - 2;
                let mut sum = 0u32;
                for yy in top..top + 5 {
                    for v in black
                        .get(yy * bw + left..yy * bw + left + 5)
                        .unwrap_or_default()
                    {
                        sum += u32::from(*v);
                    }
                }
                if let Some(t) = threshold.get_mut(by * bw + bx) {
                    *t = (sum / 25) as u8;
                }
            }
        }
        self.apply(&threshold)
    }

    /// Sets the bits of pixels at or below their block's threshold.
    fn apply(&self, threshold: &[u8]) -> Option<BitMatrix> {
        let (w, h, bw, bh) = (self.w, self.h, self.bw, self.bh);
        let mut bits = BitMatrix::new(u32::try_from(w).ok()?, u32::try_from(h).ok()?).ok()?;
        let mut row_bits = BitArray::with_size(w);
        for y in 0..h {
            let by = (y / BLOCK).min(bh - 1);
            let row = self.luma.get(y * w..y * w + w).unwrap_or_default();
            let thr = threshold.get(by * bw..by * bw + bw).unwrap_or_default();
            for (word_no, chunk) in row.chunks(BIT_FIELD_BASE_BITS).enumerate() {
                let mut word: BitFieldBaseType = 0;
                let x0 = word_no * BIT_FIELD_BASE_BITS;
                for (i, p) in chunk.iter().enumerate() {
                    let t = thr
                        .get(((x0 + i) / BLOCK).min(bw - 1))
                        .copied()
                        .unwrap_or(0);
                    word |= BitFieldBaseType::from(*p <= t) << i;
                }
                row_bits.setBulk(x0, word);
            }
            bits.setRow(y as u32, &row_bits);
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
