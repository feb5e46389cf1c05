//! The decode API: camera frames and encoded pictures to a [`Scan`], never panicking.

use crate::cascade::{read_luma, Effort};
use crate::classify::{classify, Scan};
use crate::frame::{Frame, FrameError};
use crate::picture::{load_luma, PictureError};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a frame or picture could not be looked at.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The frame's dimensions do not match its buffer.
    #[error("bad camera frame: {0}")]
    Frame(#[from] FrameError),
    /// The picture could not be read.
    #[error("cannot read the picture: {0}")]
    Picture(#[from] PictureError),
    /// The QR decoder panicked on this input; the panic was caught and the input refused.
    #[error("the QR decoder failed on this image (internal error caught)")]
    DecoderPanicked,
}

/// Decodes one camera frame: the first QR code found, classified.
pub fn decode_frame(frame: &Frame<'_>) -> Result<Scan, DecodeError> {
    decode_frame_with(frame, Effort::Full)
}

/// [`decode_frame`] with only the passes of `effort` (the frame loop's cheaper modes).
pub fn decode_frame_with(frame: &Frame<'_>, effort: Effort) -> Result<Scan, DecodeError> {
    Ok(match read_frame_with(frame, effort)? {
        Some(text) => classify(text),
        None => Scan::Nothing,
    })
}

/// Decodes an encoded picture (PNG or JPEG: a photo or screenshot).
pub fn decode_picture(bytes: &[u8]) -> Result<Scan, DecodeError> {
    let (w, h, luma) = load_luma(bytes)?;
    decode_frame(&Frame::tight(w, h, &luma))
}

/// The raw text of the first QR code in the frame, without classification.
pub fn read_frame(frame: &Frame<'_>) -> Result<Option<String>, DecodeError> {
    read_frame_with(frame, Effort::Full)
}

/// [`read_frame`] with only the passes of `effort`.
pub fn read_frame_with(frame: &Frame<'_>, effort: Effort) -> Result<Option<String>, DecodeError> {
    let luma = frame.to_tight()?;
    let (w, h) = (frame.width, frame.height);
    catch_unwind(AssertUnwindSafe(|| read_luma(&luma, w, h, effort.passes())))
        .map_err(|_| DecodeError::DecoderPanicked)
}
