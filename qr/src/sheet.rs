//! spur's one PDF writer: a single printed page of text lines and QR codes, on `pdf-writer`.
//!
//! The codes are drawn as filled module rectangles, so they stay sharp at any printer resolution;
//! the text is set in the PDF base font Helvetica (WinAnsi encoding), so no font file is
//! embedded. The app's cards (`spur_core::pdf`) and the desk's consent sheet
//! (`spur_authority::pdf`) are layouts on this page.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use crate::encode::QrMatrix;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
/// A4 in points (210 × 297 mm).
pub const A4: (f32, f32) = (210.0 * MM, 297.0 * MM);
/// A6 in points (105 × 148 mm).
pub const A6: (f32, f32) = (105.0 * MM, 148.0 * MM);

/// The page's one font resource (Helvetica).
const FONT: Name<'static> = Name(b"F1");

/// One page being drawn; [`Page::finish`] turns it into the PDF file. Coordinates are points
/// from the lower-left corner, as in PDF.
pub struct Page {
    width: f32,
    height: f32,
    content: Content,
}

impl Page {
    /// An empty page `width` × `height` points (e.g. [`A4`]).
    pub fn new((width, height): (f32, f32)) -> Self {
        Self {
            width,
            height,
            content: Content::new(),
        }
    }

    /// Page width in points.
    pub fn width(&self) -> f32 {
        self.width
    }

    /// Page height in points.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// One line of text in Helvetica at `size` points, its baseline starting at (x, y).
    /// Characters outside WinAnsi are printed as `?` (see [`win_ansi`]).
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        let c = &mut self.content;
        c.begin_text();
        c.set_font(FONT, size);
        c.next_line(x, y);
        c.show(Str(&win_ansi(text)));
        c.end_text();
    }

    /// The code with its quiet zone as a `side` × `side` square whose lower-left corner is at
    /// (x, y): one filled black rectangle per dark module.
    pub fn code(&mut self, m: &QrMatrix, x: f32, y: f32, side: f32) {
        let n = m.total_size();
        let module = side / n.max(1) as f32;
        let c = &mut self.content;
        c.set_fill_gray(0.0);
        for row in 0..n {
            for col in 0..n {
                if m.is_dark_with_quiet_zone(col, row) {
                    // Rows count down from the top of the code, PDF's y counts up.
                    let bottom = y + side - (row as f32 + 1.0) * module;
                    c.rect(x + col as f32 * module, bottom, module, module);
                }
            }
        }
        c.fill_nonzero();
    }

    /// A straight line from `from` to `to`, `width` points wide, in grey `gray` (0 black,
    /// 1 white): cut lines.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), gray: f32, width: f32) {
        let c = &mut self.content;
        c.set_stroke_gray(gray);
        c.set_line_width(width);
        c.move_to(from.0, from.1).line_to(to.0, to.1).stroke();
    }

    /// The PDF file: catalog, page tree, the page, Helvetica and the content stream.
    pub fn finish(self) -> Vec<u8> {
        finish_pages(vec![self])
    }
}

/// A PDF file of several pages (a printed list), each with its own size, sharing Helvetica.
pub fn finish_pages(pages: Vec<Page>) -> Vec<u8> {
    let (catalog, tree, font) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let n = i32::try_from(i)
                .unwrap_or(i32::MAX / 2 - 2)
                .saturating_mul(2);
            (Ref::new(4 + n), Ref::new(5 + n))
        })
        .collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(p, _)| *p))
        .count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    for (page, (id, content_id)) in pages.into_iter().zip(&ids) {
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, page.width, page.height));
        p.parent(tree);
        p.contents(*content_id);
        p.resources().fonts().pair(FONT, font);
        p.finish();
        pdf.stream(*content_id, page.content.finish().as_slice());
    }
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.finish()
}

/// Text in the PDF's WinAnsi encoding (Latin-1 plus typographic quotes and dashes); anything
/// else becomes `?`.
pub fn win_ansi(s: &str) -> Vec<u8> {
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

/// Greedy word wrap of `text` into lines of at most `width` points at `size` points, by an
/// average Helvetica glyph width of half the font size.
pub fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_win_ansi_with_question_marks_for_the_rest() {
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

    #[test]
    fn a_page_has_its_size_font_text_and_one_rectangle_per_dark_module() {
        let m = crate::encode("HTTPS://SPUR.TEST/C#AEAQCAIBAEAQ").unwrap();
        let dark = (0..m.total_size())
            .flat_map(|y| (0..m.total_size()).map(move |x| (x, y)))
            .filter(|(x, y)| m.is_dark_with_quiet_zone(*x, *y))
            .count();
        let mut page = Page::new(A6);
        page.code(&m, 10.0, 100.0, 200.0);
        page.text(10.0, 50.0, 8.0, "Cafe (paren)");
        page.text(10.0, 40.0, 8.0, "Café ½ €");
        page.line((0.0, 1.0), (2.0, 3.0), 0.8, 0.3);
        let pdf = page.finish();
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-") && text.trim_end().ends_with("%%EOF"));
        assert!(
            text.contains("/MediaBox [0 0 297.63782 419.52756]"),
            "{text}"
        );
        assert!(text.contains("/BaseFont /Helvetica"));
        assert!(text.contains("/Encoding /WinAnsiEncoding"));
        assert_eq!(text.matches(" re\n").count(), dark);
        assert!(text.contains("(Cafe (paren))"), "ASCII as a literal string");
        assert!(
            text.contains("<436166E920BD2080>"),
            "the rest as WinAnsi bytes in hex"
        );
    }
}
