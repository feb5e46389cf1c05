//! Finding and reading QR symbols in a binarised frame (rxing's port of zxing-cpp's detector).

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{
    FindFinderPatterns, FinderPatterns, GenerateFinderPatternSets, SampleQR,
};

/// What the detector saw in one binarised frame.
pub(crate) struct Sight {
    /// The text of the first symbol whose error correction succeeded.
    pub(crate) text: Option<String>,
    /// How many finder-pattern candidates (1:1:3:1:1 rings) were found: evidence of a code
    /// even when none could be read.
    pub(crate) finders: usize,
}

/// Looks for QR symbols in `bits`. `thorough` scans every third row instead of skipping by
/// the largest supported module count (8 rows at 1080p, which can step over the 5–8-pixel
/// centre of a small code's finder pattern).
pub(crate) fn read(bits: &BitMatrix, thorough: bool) -> Sight {
    let mut patterns = FindFinderPatterns(bits, thorough, 0);
    let finders = patterns.len();
    Sight {
        text: read_patterns(bits, &mut patterns),
        finders,
    }
}

/// Tries every plausible set of three finder patterns until one decodes.
fn read_patterns(bits: &BitMatrix, patterns: &mut FinderPatterns) -> Option<String> {
    if patterns.len() < 3 {
        return None;
    }
    for set in GenerateFinderPatternSets(patterns) {
        let Ok(detected) = SampleQR(bits, &set) else {
            continue;
        };
        let Ok(result) = Decode(detected.getBits()) else {
            continue;
        };
        if result.isValid() {
            return Some(result.text());
        }
    }
    None
}
