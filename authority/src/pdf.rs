//! The desk's printed sheets: the consent sheet (an A4 page with a title, a few lines of text and
//! the consent code centred below them) and the contact list for printing (A4 pages of the list's
//! lines). Only the layout lives here; the pages are spur-qr's one PDF writer
//! ([`spur_qr::sheet`]: Helvetica text, the code as vector module rectangles).

use spur_qr::sheet::{finish_pages, wrap, Page, A4};
use spur_qr::QrMatrix;

/// Left and right margin in points.
const MARGIN: f32 = 60.0;

/// Builds the consent sheet: title, lines of text (wrapped to the page), and the code (400 points
/// wide, quiet zone included) centred below them.
pub fn page(title: &str, lines: &[String], code: &QrMatrix) -> Vec<u8> {
    let mut page = Page::new(A4);
    let (w, h) = (page.width(), page.height());
    let mut y = h - 80.0;
    page.text(MARGIN, y, 22.0, title);
    for l in lines {
        for part in wrap(l, w - 2.0 * MARGIN, 12.0) {
            y -= 18.0;
            page.text(MARGIN, y, 12.0, &part);
        }
    }
    let side = 400.0;
    page.code(code, (w - side) / 2.0, y - 40.0 - side, side);
    page.finish()
}

/// The contact list for printing: `lines` (the first one the title, in bold size) on as many A4
/// pages as they need, long lines wrapped, each page numbered `n / total` at its foot.
pub fn list(lines: &[String]) -> Vec<u8> {
    let (w, h) = A4;
    let size = 9.5;
    let step = 13.0;
    let mut wrapped: Vec<(f32, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let s = if i == 0 { 14.0 } else { size };
        let parts = wrap(l, w - 2.0 * MARGIN, s);
        if parts.is_empty() {
            wrapped.push((s, String::new()));
        }
        wrapped.extend(parts.into_iter().map(|p| (s, p)));
    }
    let per_page = ((h - 2.0 * MARGIN) / step).max(1.0) as usize;
    let chunks: Vec<&[(f32, String)]> = wrapped.chunks(per_page).collect();
    let total = chunks.len().max(1);
    let mut pages = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let mut page = Page::new(A4);
        let mut y = h - MARGIN;
        for (s, text) in chunk.iter() {
            page.text(MARGIN, y, *s, text);
            y -= step;
        }
        page.text(
            w - MARGIN - 30.0,
            MARGIN / 2.0,
            8.0,
            &format!("{} / {total}", n + 1),
        );
        pages.push(page);
    }
    if pages.is_empty() {
        pages.push(Page::new(A4));
    }
    finish_pages(pages)
}
