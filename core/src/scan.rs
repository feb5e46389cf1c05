//! Reading codes from the camera and from pictures, through `spur-qr`'s decoder, kept apart
//! from the rest of the core: a frame or picture in, a scanned text (or nothing) out. What the
//! text means is decided by `checkin.rs` (`App::preview`), the same path as a text from the
//! system camera's link. A live camera goes through a [`Scanner`]: one `spur_qr::FrameLoop`
//! per scanning session, so a slow frame makes the next ones cheaper instead of piling up.

use std::sync::{Mutex, PoisonError};

use spur_qr::frame_loop::{FrameLoop, Offered, FRAME_BUDGET_30FPS};
use spur_qr::{Frame, Rotation, Scan};

use crate::error::{Error, ErrorKind, Result};
use crate::texts::Msg;

/// What the camera or a picture showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A spur code's text (pass it to preview / check-in / consent).
    Spur(String),
    /// A QR code that is not a spur code.
    Other,
    /// No readable code.
    Nothing,
}

fn seen(scan: Scan) -> Seen {
    match scan {
        Scan::Spur { text, .. } => Seen::Spur(text),
        // A spur-shaped but malformed code still goes to preview, which names what is wrong.
        Scan::NotSpur {
            text,
            reason: spur_qr::NotSpur::Malformed(_),
        } => Seen::Spur(text),
        Scan::NotSpur { .. } => Seen::Other,
        Scan::Nothing => Seen::Nothing,
    }
}

fn bad_image() -> Error {
    Error::new(ErrorKind::InvalidInput, Msg::new("error-bad-image"))
}

/// A camera frame: 8-bit luma (the Y plane), `width` × `height`, rows `stride` bytes apart,
/// turned by `rotation_degrees` (0, 90, 180, 270).
fn camera_frame(
    width: u32,
    height: u32,
    stride: u32,
    rotation_degrees: i32,
    luma: &[u8],
) -> Result<Frame<'_>> {
    let rotation = Rotation::from_degrees(rotation_degrees).ok_or_else(bad_image)?;
    Ok(Frame {
        width: width as usize,
        height: height as usize,
        stride: stride as usize,
        rotation,
        luma,
    })
}

/// A live scanning session: the frames of one camera go to one `FrameLoop` (a worker thread
/// with a per-frame time budget), made on the first frame and ended by [`Scanner::stop`].
#[derive(Default)]
pub struct Scanner {
    session: Mutex<Option<FrameLoop>>,
}

impl Scanner {
    /// Offers one camera frame (as [`frame`]) to the session's loop. The answer is this frame's
    /// when it is decoded within one 30 fps frame interval; otherwise the frame goes on being
    /// decoded (later frames offered meanwhile are dropped, and after a frame over the budget
    /// the next ones get cheaper passes) and its result comes with a later call. A spur code
    /// among the results that finished wins over another code.
    pub fn frame(
        &self,
        width: u32,
        height: u32,
        stride: u32,
        rotation_degrees: i32,
        luma: &[u8],
    ) -> Result<Seen> {
        let frame = camera_frame(width, height, stride, rotation_degrees, luma)?;
        let mut session = self.session.lock().unwrap_or_else(PoisonError::into_inner);
        // A thread that cannot start leaves the frame to be decoded here, all passes. The
        // browser has no threads (and the loop's clock would panic there): always here.
        if session.is_none() && cfg!(not(target_arch = "wasm32")) {
            *session = FrameLoop::new().ok();
        }
        let Some(live) = session.as_ref() else {
            return spur_qr::decode_frame(&frame)
                .map(seen)
                .map_err(|_| bad_image());
        };
        let offered = live.offer(&frame).map_err(|_| bad_image())?;
        let mut best = Seen::Nothing;
        if offered == Offered::Accepted {
            if let Some(result) = live.wait(FRAME_BUDGET_30FPS) {
                best = better(best, result);
            }
        }
        while let Some(result) = live.poll() {
            best = better(best, result);
        }
        Ok(best)
    }

    /// Ends the session (the camera stopped): the worker thread finishes its frame and exits.
    pub fn stop(&self) {
        let ended = self
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(ended);
    }
}

/// The more useful of two results: a spur code, then another code, then nothing. A frame the
/// decoder failed on (a caught panic) counts as nothing; the next frame comes.
fn better(so_far: Seen, result: std::result::Result<Scan, spur_qr::DecodeError>) -> Seen {
    let new = result.map(seen).unwrap_or(Seen::Nothing);
    match (&so_far, &new) {
        (Seen::Spur(_), _) | (Seen::Other, Seen::Nothing) => so_far,
        _ => new,
    }
}

/// Decodes a PNG or JPEG picture (e.g. a photo of a printed card).
pub fn picture(bytes: &[u8]) -> Result<Seen> {
    spur_qr::decode_picture(bytes)
        .map(seen)
        .map_err(|_| bad_image())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One frame on its own, all passes.
    fn frame(width: u32, height: u32, stride: u32, degrees: i32, luma: &[u8]) -> Result<Seen> {
        let frame = camera_frame(width, height, stride, degrees, luma)?;
        spur_qr::decode_frame(&frame)
            .map(seen)
            .map_err(|_| bad_image())
    }

    #[test]
    fn pictures_of_codes_are_read_and_garbage_is_refused() {
        let url = "HTTPS://SPUR.TEST/C#AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAE";
        let m = spur_qr::encode(url).unwrap();
        let png = spur_qr::render::to_png(&m, 5).unwrap();
        // Not a valid payload (flags byte), so malformed, but still handed on as a spur text.
        assert_eq!(picture(&png).unwrap(), Seen::Spur(url.into()));
        let other =
            spur_qr::render::to_png(&spur_qr::encode("https://example.com").unwrap(), 5).unwrap();
        assert_eq!(picture(&other).unwrap(), Seen::Other);
        assert!(picture(b"not an image").is_err());
        let (side, luma) = spur_qr::render::to_luma(&m, 4).unwrap();
        let s = side as u32;
        assert_eq!(frame(s, s, s, 0, &luma).unwrap(), Seen::Spur(url.into()));
        assert!(frame(s, s, s, 45, &luma).is_err());
        assert!(frame(s + 1, s, s, 0, &luma).is_err());
    }

    #[test]
    fn a_scanning_session_reads_through_its_frame_loop() {
        let url = "HTTPS://SPUR.TEST/C#AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAE";
        let (side, luma) = spur_qr::render::to_luma(&spur_qr::encode(url).unwrap(), 4).unwrap();
        let s = side as u32;
        let scanner = Scanner::default();
        let blank = vec![255u8; luma.len()];
        assert_eq!(scanner.frame(s, s, s, 0, &blank).unwrap(), Seen::Nothing);
        // The code's frame is read by this call or, had it run over a frame interval, a later one.
        let mut seen = scanner.frame(s, s, s, 0, &luma).unwrap();
        for _ in 0..50 {
            if seen != Seen::Nothing {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            seen = scanner.frame(s, s, s, 0, &blank).unwrap();
        }
        assert_eq!(seen, Seen::Spur(url.into()));
        assert!(scanner.frame(s + 1, s, s, 0, &luma).is_err());
        assert!(scanner.frame(s, s, s, 45, &luma).is_err());
        scanner.stop();
        assert!(scanner.session.lock().unwrap().is_none());
    }
}
