//! Finding and reading QR symbols in a binarised frame (rxing's port of zxing-cpp's detector).

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{
    FindFinderPatterns, FinderPatterns, GenerateFinderPatternSets, SampleQR,
};

/// A finder-pattern candidate (a 1:1:3:1:1 ring), in the coordinates of the binarised image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Finder {
    /// Centre.
    pub(crate) x: f32,
    /// Centre.
    pub(crate) y: f32,
    /// Width of the ring in pixels (about seven modules).
    pub(crate) size: f32,
    /// Whether it belonged to a set of three that sampled to a symbol grid (which then failed
    /// to decode): a symbol there was seen whole, so it needs no rescue pass to be found.
    pub(crate) sampled: bool,
}

impl Finder {
    /// Whether `other` is the same ring seen again (its centre within half a ring).
    pub(crate) fn same_as(&self, other: &Finder) -> bool {
        let d = self.size.max(other.size) / 2.0;
        (self.x - other.x).abs() <= d && (self.y - other.y).abs() <= d
    }
}

/// What the detector saw in one binarised frame.
pub(crate) struct Sight {
    /// The text of the first symbol whose error correction succeeded.
    pub(crate) text: Option<String>,
    /// Finder-pattern candidates: evidence of a code even when none could be read.
    pub(crate) finders: Vec<Finder>,
    /// How many sets of three candidates were tried.
    pub(crate) sets: usize,
    /// How many of them sampled to a module grid (a symbol seen whole, real or fake).
    pub(crate) sets_sampled: usize,
}

/// Looks for QR symbols in `bits`, trying at most `max_sets` sets of three finder patterns
/// (most plausible first). `thorough` scans every third row instead of skipping by the
/// largest supported module count (8 rows at 1080p, which can step over the 5–8-pixel centre
/// of a small code's finder pattern).
///
/// `failed` holds the module grids that earlier passes sampled and could not decode: decoding
/// is a function of the grid alone, so an identical grid (the same fake symbol binarised the
/// same way by the next pass) is not error-corrected again; this pass's failures are added.
pub(crate) fn read(
    bits: &BitMatrix,
    thorough: bool,
    max_sets: usize,
    failed: &mut Vec<BitMatrix>,
) -> Sight {
    let mut patterns = FindFinderPatterns(bits, thorough, 0);
    let mut finders: Vec<Finder> = patterns
        .iter()
        .map(|p| Finder {
            x: p.p.x,
            y: p.p.y,
            size: p.size as f32,
            sampled: false,
        })
        .collect();
    let (text, sets, sets_sampled) =
        read_patterns(bits, &mut patterns, &mut finders, failed, max_sets);
    Sight {
        text,
        finders,
        sets,
        sets_sampled,
    }
}

/// Tries the plausible sets of three finder patterns until one decodes, marking the finders
/// of sets that sampled; the text, how many sets were tried and how many of them sampled.
fn read_patterns(
    bits: &BitMatrix,
    patterns: &mut FinderPatterns,
    finders: &mut [Finder],
    failed: &mut Vec<BitMatrix>,
    max_sets: usize,
) -> (Option<String>, usize, usize) {
    if patterns.len() < 3 {
        return (None, 0, 0);
    }
    let (mut tried, mut sampled) = (0, 0);
    for set in GenerateFinderPatternSets(patterns) {
        if tried >= max_sets {
            break;
        }
        tried += 1;
        let Ok(detected) = SampleQR(bits, &set) else {
            continue;
        };
        sampled += 1;
        for p in [set.bl, set.tl, set.tr] {
            for f in finders.iter_mut() {
                if f.x == p.p.x && f.y == p.p.y {
                    f.sampled = true;
                }
            }
        }
        let grid = detected.getBits();
        if !failed.contains(grid) {
            if let Ok(result) = Decode(grid) {
                if result.isValid() {
                    return (Some(result.text()), tried, sampled);
                }
            }
            failed.push(grid.clone());
        }
    }
    (None, tried, sampled)
}
