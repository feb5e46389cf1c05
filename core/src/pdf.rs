//! The print-ready card for people without a smartphone: an A6 card, or an A4 sheet of four A6
//! cards to cut, each with the code drawn as filled module rectangles (sharp at any printer
//! resolution), a title and short instructions. Pure Rust (`pdf-writer`), the PDF base font
//! Helvetica, so no font file is embedded.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use spur_qr::QrMatrix;

use crate::error::Result;

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// A6 in points (105 × 148 mm).
const A6: (f32, f32) = (105.0 * MM, 148.0 * MM);
/// A4 in points (210 × 297 mm).
const A4: (f32, f32) = (210.0 * MM, 297.0 * MM);

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

/// Text in the PDF's WinAnsi encoding (Latin-1 plus typographic quotes and dashes); anything
/// else becomes `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '€' => 0x80,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap by an average Helvetica glyph width of half the font size.
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let max = ((width / (size * 0.5)) as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws one card with its lower-left corner at (x, y).
fn card(c: &mut Content, m: &QrMatrix, text: &CardText, x: f32, y: f32) {
    let (w, h) = A6;
    let margin = 8.0 * MM;
    // The code: 70 mm wide, quiet zone included, centred near the top.
    let side = 70.0 * MM;
    let n = m.total_size() as f32;
    let module = side / n;
    let (qx, qy) = (x + (w - side) / 2.0, y + h - margin - 12.0 - side);
    c.set_fill_gray(0.0);
    for row in 0..m.total_size() {
        for col in 0..m.total_size() {
            if m.is_dark_with_quiet_zone(col, row) {
                let top = qy + side - (row as f32 + 1.0) * module;
                c.rect(qx + col as f32 * module, top, module, module);
            }
        }
    }
    c.fill_nonzero();
    let font = Name(b"F1");
    c.begin_text();
    c.set_font(font, 14.0);
    c.next_line(x + margin, y + h - margin - 8.0);
    c.show(Str(&win_ansi(&text.title)));
    c.end_text();
    let size = 8.0;
    let mut line_y = qy - 14.0;
    for para in &text.lines {
        for l in wrap(para, w - 2.0 * margin, size) {
            c.begin_text();
            c.set_font(font, size);
            c.next_line(x + margin, line_y);
            c.show(Str(&win_ansi(&l)));
            c.end_text();
            line_y -= size * 1.3;
        }
        line_y -= size * 0.6;
    }
}

/// The PDF file of a code in `layout`.
pub fn card_pdf(m: &QrMatrix, text: &CardText, layout: Layout) -> Result<Vec<u8>> {
    let (page_w, page_h) = match layout {
        Layout::A6 => A6,
        Layout::A4Sheet => A4,
    };
    let (catalog, tree, page, font, content_id) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, page_w, page_h));
    p.parent(tree);
    p.contents(content_id);
    p.resources().fonts().pair(Name(b"F1"), font);
    p.finish();
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let mut c = Content::new();
    match layout {
        Layout::A6 => card(&mut c, m, text, 0.0, 0.0),
        Layout::A4Sheet => {
            for (x, y) in [(0.0, A6.1), (A6.0, A6.1), (0.0, 0.0), (A6.0, 0.0)] {
                card(&mut c, m, text, x, y);
            }
            // Cut lines in light grey.
            c.set_stroke_gray(0.8);
            c.set_line_width(0.3);
            c.move_to(A6.0, 0.0).line_to(A6.0, page_h).stroke();
            c.move_to(0.0, A6.1).line_to(page_w, A6.1).stroke();
        }
    }
    let content = c.finish();
    pdf.stream(content_id, content.as_slice());
    Ok(pdf.finish())
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
        assert_eq!(
            win_ansi("Zeige – „ä“ 😀"),
            b"Zeige \x96 \x84\xe4\x93 ?".to_vec()
        );
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let t = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(t, 60.0, 8.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), t);
    }
}
