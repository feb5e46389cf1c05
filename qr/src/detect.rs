//! Finding and reading QR symbols in a binarised frame (rxing's port of zxing-cpp's detector).

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets, SampleQR};

/// Finder patterns seen and the text of the first symbol that decoded with a valid checksum.
pub(crate) struct Found {
    /// Number of finder-pattern candidates.
    pub finder_patterns: usize,
    /// Text of the first symbol that decoded.
    pub text: Option<String>,
}

/// Looks for QR symbols in `bits` and decodes the first one whose error correction succeeds.
/// `try_harder` scans every row instead of skipping by the smallest module size.
pub(crate) fn read(bits: &BitMatrix, try_harder: bool) -> Found {
    let mut patterns = FindFinderPatterns(bits, try_harder, 0);
    let finder_patterns = patterns.len();
    if finder_patterns < 3 {
        return Found { finder_patterns, text: None };
    }
    for set in GenerateFinderPatternSets(&mut patterns) {
        let Ok(detected) = SampleQR(bits, &set) else { continue };
        let Ok(result) = Decode(detected.getBits()) else { continue };
        if result.isValid() {
            return Found { finder_patterns, text: Some(result.text()) };
        }
    }
    Found { finder_patterns, text: None }
}
