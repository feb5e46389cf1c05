//! The print-ready card for people without a smartphone: an A6 card, or an A4 sheet of four A6
//! cards to cut, each with the code, a title and short instructions. Only the layout lives here;
//! the page (code as module rectangles, Helvetica text) is spur-qr's one PDF writer,
//! [`spur_qr::sheet`].

use spur_qr::sheet::{wrap, Page, A4, A6, MM};
use spur_qr::QrMatrix;

use crate::error::Result;

/// Print layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One A6 card.
    A6,
    /// Four A6 cards on an A4 sheet, with light cut lines.
    A4Sheet,
}

/// The words printed on a card (already in the user's language).
#[derive(Clone, Debug)]
pub struct CardText {
    /// Title line.
    pub title: String,
    /// Instructions paragraphs.
    pub lines: Vec<String>,
}

/// Draws one card with its lower-left corner at (x, y).
fn card(page: &mut Page, m: &QrMatrix, text: &CardText, x: f32, y: f32) {
    let (w, h) = A6;
    let margin = 8.0 * MM;
    // The code: 70 mm wide, quiet zone included, centred near the top.
    let side = 70.0 * MM;
    let (qx, qy) = (x + (w - side) / 2.0, y + h - margin - 12.0 - side);
    page.code(m, qx, qy, side);
    page.text(x + margin, y + h - margin - 8.0, 14.0, &text.title);
    let size = 8.0;
    let mut line_y = qy - 14.0;
    for para in &text.lines {
        for l in wrap(para, w - 2.0 * margin, size) {
            page.text(x + margin, line_y, size, &l);
            line_y -= size * 1.3;
        }
        line_y -= size * 0.6;
    }
}

/// The PDF file of a code in `layout`.
pub fn card_pdf(m: &QrMatrix, text: &CardText, layout: Layout) -> Result<Vec<u8>> {
    let mut page = match layout {
        Layout::A6 => Page::new(A6),
        Layout::A4Sheet => Page::new(A4),
    };
    match layout {
        Layout::A6 => card(&mut page, m, text, 0.0, 0.0),
        Layout::A4Sheet => {
            for (x, y) in [(0.0, A6.1), (A6.0, A6.1), (0.0, 0.0), (A6.0, 0.0)] {
                card(&mut page, m, text, x, y);
            }
            // Cut lines in light grey.
            let (w, h) = (page.width(), page.height());
            page.line((A6.0, 0.0), (A6.0, h), 0.8, 0.3);
            page.line((0.0, A6.1), (w, A6.1), 0.8, 0.3);
        }
    }
    Ok(page.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> CardText {
        CardText {
            title: "Meine spur-Karte".into(),
            lines: vec!["Zeige diese Karte – „bitte“ scannen.".into()],
        }
    }

    #[test]
    fn a6_card_and_a4_sheet_are_pdfs_with_the_code_drawn() {
        let m = spur_qr::encode(
            "HTTPS://SPUR.TEST/C#AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAE",
        )
        .unwrap();
        let dark = (0..m.total_size())
            .flat_map(|y| (0..m.total_size()).map(move |x| (x, y)))
            .filter(|(x, y)| m.is_dark_with_quiet_zone(*x, *y))
            .count();
        let a6 = card_pdf(&m, &text(), Layout::A6).unwrap();
        assert!(a6.starts_with(b"%PDF-") && a6.ends_with(b"%%EOF\n") || a6.ends_with(b"%%EOF"));
        let a6_text = String::from_utf8_lossy(&a6);
        let media = a6_text
            .split("/MediaBox [")
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap()
            .to_owned();
        let dims: Vec<f32> = media
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(
            (dims[2] - 297.64).abs() < 0.01 && (dims[3] - 419.53).abs() < 0.01,
            "A6: {media}"
        );
        assert_eq!(
            a6_text.matches(" re\n").count(),
            dark,
            "one rectangle per dark module"
        );
        let a4 = card_pdf(&m, &text(), Layout::A4Sheet).unwrap();
        let a4_text = String::from_utf8_lossy(&a4);
        assert_eq!(a4_text.matches(" re\n").count(), 4 * dark, "four cards");
        assert!(a4_text.contains("Meine spur-Karte"));
        assert!(a4_text.contains("/MediaBox [0 0 595.2"), "A4");
        // Non-ASCII text is written as a hex string of its WinAnsi bytes.
        let instructions = spur_qr::sheet::win_ansi("Zeige diese Karte – „bitte“ scannen.");
        assert_eq!(instructions[18], 0x96);
        let hex = format!("<{}>", data_encoding::HEXUPPER.encode(&instructions));
        assert_eq!(
            a4_text.matches(&hex).count(),
            4,
            "the instructions on every card"
        );
    }
}
