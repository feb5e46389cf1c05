//! Encoded pictures (PNG, JPEG) to 8-bit luma, with limits against hostile files.

use crate::frame::{MAX_PIXELS, MAX_SIDE};
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest picture file accepted, in bytes.
pub const MAX_PICTURE_BYTES: usize = 64 * 1024 * 1024;

/// Why a picture was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Not a PNG or JPEG file.
    #[error("not a PNG or JPEG picture")]
    UnknownFormat,
    /// Larger than the limits (file size, pixels or memory).
    #[error("the picture is too large")]
    TooLarge,
    /// The file is damaged or truncated.
    #[error("the picture is damaged: {0}")]
    Damaged(String),
}

/// Decodes PNG or JPEG bytes to (width, height, luma).
pub fn load_luma(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), PictureError> {
    if bytes.len() > MAX_PICTURE_BYTES {
        return Err(PictureError::TooLarge);
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        _ => return Err(PictureError::UnknownFormat),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE as u32);
    limits.max_image_height = Some(MAX_SIDE as u32);
    limits.max_alloc = Some((MAX_PIXELS as u64) * 4);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        other => PictureError::Damaged(other.to_string()),
    })?;
    let luma = img.to_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    if w == 0 || h == 0 || w.saturating_mul(h) > MAX_PIXELS {
        return Err(PictureError::TooLarge);
    }
    Ok((w, h, luma.into_raw()))
}
