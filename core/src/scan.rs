//! Reading codes from the camera and from pictures, through `spur-qr`'s decoder, kept apart
//! from the rest of the core: a frame or picture in, a scanned text (or nothing) out. What the
//! text means is decided by `checkin.rs` (`App::preview`), the same path as a text from the
//! system camera's link.

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

/// Decodes one camera frame: 8-bit luma (the Y plane), `width` × `height`, rows `stride` bytes
/// apart, turned by `rotation_degrees` (0, 90, 180, 270).
pub fn frame(
    width: u32,
    height: u32,
    stride: u32,
    rotation_degrees: i32,
    luma: &[u8],
) -> Result<Seen> {
    let rotation = Rotation::from_degrees(rotation_degrees).ok_or_else(bad_image)?;
    let frame = Frame {
        width: width as usize,
        height: height as usize,
        stride: stride as usize,
        rotation,
        luma,
    };
    spur_qr::decode_frame(&frame)
        .map(seen)
        .map_err(|_| bad_image())
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
}
