//! Finding and reading QR symbols in a binarised frame (rxing's port of zxing-cpp's detector).

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, GenerateFinderPatternSets, SampleQR};

/// Looks for QR symbols in `bits` and returns the text of the first one whose error correction
/// succeeds. `try_harder` scans every row instead of skipping by the smallest module size.
pub(crate) fn read(bits: &BitMatrix, try_harder: bool) -> Option<String> {
    let mut patterns = FindFinderPatterns(bits, try_harder, 0);
    if patterns.len() < 3 {
        return None;
    }
    for set in GenerateFinderPatternSets(&mut patterns) {
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
