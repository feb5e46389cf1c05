//! The facade's drawing and camera methods: codes as SVG, PNG and print-ready PDF, and reading
//! codes from camera frames and pictures (`crate::scan`).

use super::types::{CardLayout, ScannedImage};
use super::{Spur, SpurError};
use crate::pdf::Layout;
use crate::scan::Seen;
use crate::texts::Msg;

#[uniffi::export]
impl Spur {
    /// The code of `url` as an SVG document (`module_px` pixels per module by default).
    pub fn code_svg(&self, url: String, module_px: u32) -> Result<String, SpurError> {
        crate::render::svg(&url, module_px).map_err(|e| self.err(e))
    }

    /// The code of `url` as a PNG picture, `module_px` pixels per module (1 to 64).
    pub fn code_png(&self, url: String, module_px: u32) -> Result<Vec<u8>, SpurError> {
        crate::render::png(&url, module_px).map_err(|e| self.err(e))
    }

    /// A print-ready PDF of the code with a title and short instructions in the user's language:
    /// one A6 card, or an A4 sheet of four cards to cut.
    pub fn code_pdf(&self, url: String, layout: CardLayout) -> Result<Vec<u8>, SpurError> {
        let text = self.app.card_text(&url).map_err(|e| self.err(e))?;
        let m = crate::render::matrix(&url).map_err(|e| self.err(e))?;
        let layout = match layout {
            CardLayout::A6 => Layout::A6,
            CardLayout::A4Sheet => Layout::A4Sheet,
        };
        crate::pdf::card_pdf(&m, &text, layout).map_err(|e| self.err(e))
    }

    /// Reads a live camera frame: 8-bit luma (Y plane), rows `stride` bytes apart, turned by
    /// `rotation_degrees` (0, 90, 180, 270). Pass a found spur text to `scan`. The frames of one
    /// scanning session go through one frame loop with a per-frame time budget: the answer is
    /// this frame's when it is decoded within a 30 fps frame interval, else an earlier frame's
    /// (frames offered while one is still being decoded are dropped). Call `scan_stop` when
    /// the camera stops.
    pub fn scan_frame(
        &self,
        width: u32,
        height: u32,
        stride: u32,
        rotation_degrees: i32,
        luma: Vec<u8>,
    ) -> Result<ScannedImage, SpurError> {
        self.scanner
            .frame(width, height, stride, rotation_degrees, &luma)
            .map(|s| self.seen(s))
            .map_err(|e| self.err(e))
    }

    /// Ends the scanning session that `scan_frame` started (the camera stopped); the next
    /// frame starts a new one.
    pub fn scan_stop(&self) {
        self.scanner.stop();
    }

    /// Reads a PNG or JPEG picture (e.g. a photo of a printed card).
    pub fn scan_picture(&self, bytes: Vec<u8>) -> Result<ScannedImage, SpurError> {
        crate::scan::picture(&bytes)
            .map(|s| self.seen(s))
            .map_err(|e| self.err(e))
    }
}

impl Spur {
    fn seen(&self, s: Seen) -> ScannedImage {
        match s {
            Seen::Spur(text) => ScannedImage::Spur { text },
            Seen::Other => ScannedImage::OtherCode {
                message: self.app.say(&Msg::new("scan-other-code")),
            },
            Seen::Nothing => ScannedImage::Nothing,
        }
    }
}
