//! The desk's printed consent sheet: an A4 page with a title, a few lines of text and the consent
//! code centred below them. Only the layout lives here; the page is spur-qr's one PDF writer
//! ([`spur_qr::sheet`]: Helvetica text, the code as vector module rectangles).

use spur_qr::sheet::{Page, A4};
use spur_qr::QrMatrix;

/// Builds the PDF: title, lines of text, and the code (400 points wide, quiet zone included)
/// centred below them.
pub fn page(title: &str, lines: &[String], code: &QrMatrix) -> Vec<u8> {
    let mut page = Page::new(A4);
    let (w, h) = (page.width(), page.height());
    let mut y = h - 80.0;
    page.text(60.0, y, 22.0, title);
    for l in lines {
        y -= 22.0;
        page.text(60.0, y, 12.0, l);
    }
    let side = 400.0;
    page.code(code, (w - side) / 2.0, y - 40.0 - side, side);
    page.finish()
}
