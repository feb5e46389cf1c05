//! Draws a QR code for a URL as a PNG picture and as a module grid for the PDF, with the
//! `qrcode` crate (medium error correction, 4-module quiet zone).

use crate::error::{DeskError, Result};
use qrcode::{Color, EcLevel, QrCode};

/// The dark/light modules of a code, quiet zone included.
pub struct Modules {
    /// Width and height in modules.
    pub size: usize,
    /// Row-major, true = dark.
    pub dark: Vec<bool>,
}

/// Quiet zone in modules.
pub const QUIET: usize = 4;

/// Encodes `text` (upper-case URLs use the compact alphanumeric mode).
pub fn modules(text: &str) -> Result<Modules> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| DeskError::Refused(format!("the QR code cannot hold this text: {e}")))?;
    let w = code.width();
    let colors = code.to_colors();
    let size = w + 2 * QUIET;
    let mut dark = vec![false; size * size];
    for y in 0..w {
        for x in 0..w {
            if colors.get(y * w + x) == Some(&Color::Dark) {
                if let Some(d) = dark.get_mut((y + QUIET) * size + x + QUIET) {
                    *d = true;
                }
            }
        }
    }
    Ok(Modules { size, dark })
}

/// A PNG of the modules, `px` pixels per module.
pub fn png(m: &Modules, px: u32) -> Result<Vec<u8>> {
    let px = px.max(1) as usize;
    let side = m.size * px;
    let mut buf = vec![255u8; side * side];
    for (i, d) in m.dark.iter().enumerate() {
        if *d {
            let (mx, my) = (i % m.size, i / m.size);
            for y in my * px..(my + 1) * px {
                if let Some(row) = buf.get_mut(y * side + mx * px..y * side + (mx + 1) * px) {
                    row.fill(0);
                }
            }
        }
    }
    let side32 = u32::try_from(side).map_err(|_| DeskError::Refused("picture too large".into()))?;
    let img = image::GrayImage::from_raw(side32, side32, buf)
        .ok_or_else(|| DeskError::Refused("picture buffer size".into()))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| DeskError::Refused(format!("PNG encoding failed: {e}")))?;
    Ok(out.into_inner())
}
