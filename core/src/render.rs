//! Drawing a code for the screen and for files: SVG and PNG through `spur-qr`'s encoder (ECC M,
//! 4-module quiet zone, chosen by its decoding benchmark), the PDF card in `pdf.rs`.

use spur_protocol::qr::Payload;
use spur_qr::QrMatrix;

use crate::error::{Error, Result};
use crate::texts::Msg;

/// Encodes a spur URL (checked to be one) as a QR matrix.
pub fn matrix(url: &str) -> Result<QrMatrix> {
    Payload::parse(url)?;
    spur_qr::encode(url).map_err(|_| Error::input(Msg::new("error-code-too-long")))
}

/// SVG document of the code, `module_px` pixels per module by default (scalable).
pub fn svg(url: &str, module_px: u32) -> Result<String> {
    Ok(spur_qr::render::to_svg(&matrix(url)?, module_px))
}

/// PNG picture of the code, `module_px` pixels per module (1 to 64).
pub fn png(url: &str, module_px: u32) -> Result<Vec<u8>> {
    let m = matrix(url)?;
    spur_qr::render::to_png(&m, module_px.clamp(1, 64)).map_err(|_| Error::internal("PNG"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_protocol::qr::{Code, PersonalCode};
    use spur_protocol::tag::{QrId, TagKey};

    pub(crate) fn url() -> String {
        let mut c = PersonalCode {
            id: QrId([3; 16]),
            key: TagKey::from_bytes([9; 16]),
            pin_protected: true,
        };
        let cm = c.commitment();
        c.id.0[..8].copy_from_slice(&cm.0);
        Payload {
            host: "spur.test".into(),
            code: Code::Personal(c),
        }
        .to_url()
        .unwrap()
    }

    #[test]
    fn rendered_codes_decode_back_to_the_url() {
        let u = url();
        let png = png(&u, 6).unwrap();
        let scan = spur_qr::decode_picture(&png).unwrap();
        assert_eq!(scan.text(), Some(u.as_str()));
        let s = svg(&u, 4).unwrap();
        assert!(s.starts_with("<svg") && s.contains("<path"));
        assert!(
            svg("https://example.com/", 4).is_err(),
            "only spur URLs are drawn"
        );
    }
}
