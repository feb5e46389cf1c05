//! Local-threshold binarisation (ZXing's "hybrid" scheme with a tunable contrast floor).
//!
//! The frame is cut into 8×8 blocks; each block's black point is its mean when its grey range
//! exceeds `min_range`, otherwise it is inherited from the neighbours (a flat block is taken as
//! background). Each pixel is compared with the mean black point of the 5×5 blocks around its
//! block. A lower `min_range` reads low-contrast codes but makes flat areas noisy.

use rxing::common::BitMatrix;

const BLOCK: usize = 8;

/// Binarises `w`×`h` luma (dark pixels become set bits). `None` for frames under 40×40 pixels.
pub(crate) fn local_threshold(luma: &[u8], w: usize, h: usize, min_range: u8) -> Option<BitMatrix> {
    if w < BLOCK * 5 || h < BLOCK * 5 || luma.len() < w * h {
        return None;
    }
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let black = black_points(luma, w, h, bw, bh, u32::from(min_range));
    let mut bits = BitMatrix::new(u32::try_from(w).ok()?, u32::try_from(h).ok()?).ok()?;
    for by in 0..bh {
        let y0 = (by * BLOCK).min(h - BLOCK);
        let top = by.clamp(2, bh.saturating_sub(3).max(2));
        for bx in 0..bw {
            let x0 = (bx * BLOCK).min(w - BLOCK);
            let left = bx.clamp(2, bw.saturating_sub(3).max(2));
            let mut sum = 0u32;
            for yy in top.saturating_sub(2)..(top + 3).min(bh) {
                let row = black.get(yy * bw..(yy + 1) * bw).unwrap_or_default();
                for v in row.get(left.saturating_sub(2)..(left + 3).min(bw)).unwrap_or_default() {
                    sum += u32::from(*v);
                }
            }
            let threshold = sum / 25;
            for y in y0..y0 + BLOCK {
                let row = luma.get(y * w + x0..y * w + x0 + BLOCK).unwrap_or_default();
                for (dx, p) in row.iter().enumerate() {
                    if u32::from(*p) <= threshold {
                        bits.set((x0 + dx) as u32, y as u32);
                    }
                }
            }
        }
    }
    Some(bits)
}

/// Black point of every 8×8 block (the last row and column of blocks overlap the previous ones).
fn black_points(luma: &[u8], w: usize, h: usize, bw: usize, bh: usize, min_range: u32) -> Vec<u8> {
    let mut black = vec![0u8; bw * bh];
    for by in 0..bh {
        let y0 = (by * BLOCK).min(h - BLOCK);
        for bx in 0..bw {
            let x0 = (bx * BLOCK).min(w - BLOCK);
            let (mut sum, mut min, mut max) = (0u32, 255u8, 0u8);
            for y in y0..y0 + BLOCK {
                for p in luma.get(y * w + x0..y * w + x0 + BLOCK).unwrap_or_default() {
                    sum += u32::from(*p);
                    min = min.min(*p);
                    max = max.max(*p);
                }
            }
            let mut average = sum >> 6;
            if u32::from(max - min) <= min_range {
                // A flat block: assume background (lighter than the block's darkest pixel),
                // unless the neighbours' black point says the block lies inside dark ink.
                average = u32::from(min) / 2;
                if by > 0 && bx > 0 {
                    let at = |y: usize, x: usize| u32::from(black.get(y * bw + x).copied().unwrap_or(0));
                    let neighbours = (at(by - 1, bx) + 2 * at(by, bx - 1) + at(by - 1, bx - 1)) / 4;
                    if u32::from(min) < neighbours {
                        average = neighbours;
                    }
                }
            }
            if let Some(b) = black.get_mut(by * bw + bx) {
                *b = average.min(255) as u8;
            }
        }
    }
    black
}
