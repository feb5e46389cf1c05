//! Where a second binarisation of the same frame is worth a finder search: the tiles where its
//! bits differ from the first one's. Where the bits are the same, the detector would find the
//! same finder patterns again; on cluttered frames that repeated search was most of the cost.

use rxing::common::{BitArray, BitMatrix, BIT_FIELD_BASE_BITS};

/// Side of a tile in pixels: one word of a bit-matrix row wide, as many rows high.
const TILE: usize = BIT_FIELD_BASE_BITS;

/// Pixels of a tile that must differ for the tile to count as changed (1/256 of it): a few
/// edge pixels flipping between two thresholds do not, a code's modules do. Chosen on seed
/// 2020: at 1/64 four 1080p glare frames, one noise and one clutter_code frame were lost; at
/// 1/256 none (the low-contrast pass still searches about 74% of a cluttered frame's tiles).
pub(crate) const MIN_CHANGED: u32 = (TILE * TILE / 256) as u32;

/// Clears the bits of `new` outside the tiles where it differs from `old` in at least
/// `min_changed` pixels, and outside the tiles next to those (a finder pattern on the edge of
/// a changed area keeps its surroundings). The share of the frame's tiles kept, 0.0 to 1.0;
/// 0.0 means that `new` holds nothing the detector has not seen in `old`.
pub(crate) fn keep_changed(new: &mut BitMatrix, old: &BitMatrix, min_changed: u32) -> f32 {
    let (w, h) = (new.getWidth() as usize, new.getHeight() as usize);
    if old.getWidth() as usize != w || old.getHeight() as usize != h {
        return 1.0;
    }
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let mut changed = vec![0u32; tw * th];
    for y in 0..h {
        let (a, b) = (new.getRow(y as u32), old.getRow(y as u32));
        let row = changed
            .get_mut(y / TILE * tw..y / TILE * tw + tw)
            .unwrap_or_default();
        for ((n, o), c) in a.getBitArray().iter().zip(b.getBitArray()).zip(row) {
            *c += (n ^ o).count_ones();
        }
    }
    let hot: Vec<bool> = changed.iter().map(|c| *c >= min_changed).collect();
    let at = |x: usize, y: usize| hot.get(y * tw + x).copied().unwrap_or(false);
    let keep: Vec<bool> = (0..tw * th)
        .map(|i| {
            let (x, y) = (i % tw, i / tw);
            (x.saturating_sub(1)..=(x + 1).min(tw - 1))
                .any(|xx| (y.saturating_sub(1)..=(y + 1).min(th - 1)).any(|yy| at(xx, yy)))
        })
        .collect();
    let kept = keep.iter().filter(|k| **k).count();
    if kept == keep.len() {
        return 1.0;
    }
    if kept == 0 {
        return 0.0;
    }
    for y in 0..h {
        let flags = keep
            .get(y / TILE * tw..y / TILE * tw + tw)
            .unwrap_or_default();
        if flags.iter().all(|k| *k) {
            continue;
        }
        let row = new.getRow(y as u32);
        let mut out = BitArray::with_size(w);
        for (i, (word, k)) in row.getBitArray().iter().zip(flags).enumerate() {
            if *k {
                out.setBulk(i * TILE, *word);
            }
        }
        new.setRow(y as u32, &out);
    }
    kept as f32 / keep.len().max(1) as f32
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_changed_tiles_and_their_neighbours_are_kept() {
        let (w, h) = (TILE * 6, TILE * 4);
        let mut old = BitMatrix::new(w as u32, h as u32).unwrap();
        // The same pattern everywhere in both...
        for y in (0..h).step_by(3) {
            for x in (0..w).step_by(5) {
                old.set(x as u32, y as u32);
            }
        }
        let mut new = old.clone();
        // ...and a changed patch in tile (4, 2).
        for y in 2 * TILE + 4..2 * TILE + 30 {
            for x in 4 * TILE + 4..4 * TILE + 30 {
                new.set(x as u32, y as u32);
            }
        }
        let kept = keep_changed(&mut new, &old, MIN_CHANGED);
        assert!((kept - 9.0 / 24.0).abs() < 1e-6, "{kept}");
        // Far from the patch the bits are cleared, next to it they stay.
        assert!(!new.get(0, 0));
        assert!(old.get(0, 0));
        let (x, y) = ((3 * TILE).div_ceil(5) * 5, TILE.div_ceil(3) * 3);
        assert!(old.get(x as u32, y as u32) && new.get(x as u32, y as u32));
        assert!(new.get((4 * TILE + 10) as u32, (2 * TILE + 10) as u32));
        // Identical matrices: nothing new to look at.
        let mut same = old.clone();
        assert_eq!(keep_changed(&mut same, &old, MIN_CHANGED), 0.0);
    }
}
