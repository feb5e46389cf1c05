//! The one CSV writer for every CSV spur writes (the desk's contact lists, the vault's
//! statistics), on the `csv` crate, and safe to open in spreadsheet software: every cell is
//! quoted, quotes are doubled, lines end in CRLF (RFC 4180), and a cell whose first visible
//! character would make Excel, LibreOffice or Google Sheets read it as a formula gets a leading
//! `'`.
//!
//! "First visible" matters: spreadsheets drop leading spaces and invisible characters before they
//! look, so ` =1+1`, `\u{A0}=1+1`, `\u{3000}=1+1`, `\u{2028}=1+1`, `\u{200B}=1+1` and
//! `\u{FEFF}=1+1` are all formulas there. The neutraliser skips every leading white-space
//! (Unicode `White_Space`: space, no-break space, U+3000, U+2028, …) and every character the
//! protocol's text rule calls invisible (zero-width, BOM, bidi controls, other format characters)
//! and then looks for a trigger: `=`, `+`, `-`, `@`, tab, carriage return, line feed, or their
//! full-width and small forms (`＝＋－＠`, `﹦﹢﹣﹫`) and the minus sign `−`.

use crate::error::OfflineError;

/// Characters that make a spreadsheet treat a cell as a formula when they come first.
pub const FORMULA_TRIGGERS: [char; 16] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    '\u{FE66}', '\u{FE62}', '\u{FE63}', '\u{FE6B}', '\u{2212}',
];

/// Characters a spreadsheet skips before it looks for a formula: white space of any kind and
/// invisible or format characters.
fn skipped(c: char) -> bool {
    c.is_whitespace() || spur_protocol::fields::text_problem(c).is_some()
}

/// True when a spreadsheet could read `value` as a formula: its first character that is not
/// white space or invisible is a trigger (tab, CR and LF count as triggers wherever they lead).
pub fn is_formula(value: &str) -> bool {
    for c in value.chars() {
        if FORMULA_TRIGGERS.contains(&c) {
            return true;
        }
        if !skipped(c) {
            return false;
        }
    }
    false
}

/// A cell's text as the table holds it: with a leading `'` when a spreadsheet could read it as a
/// formula.
pub fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    if is_formula(value) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// A CSV table being written in memory: every cell quoted and neutralised, CRLF line ends.
pub struct CsvWriter {
    inner: ::csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            inner: ::csv::WriterBuilder::new()
                .quote_style(::csv::QuoteStyle::Always)
                .terminator(::csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        }
    }

    /// Appends one row (the header is a row like any other).
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), OfflineError> {
        self.inner
            .write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(|e| OfflineError::Csv(e.to_string()))
    }

    /// The finished table as text.
    pub fn finish(self) -> Result<String, OfflineError> {
        let bytes = self
            .inner
            .into_inner()
            .map_err(|e| OfflineError::Csv(e.to_string()))?;
        // Every cell came in as `&str`, so the table is UTF-8.
        String::from_utf8(bytes).map_err(|e| OfflineError::Csv(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One cell as the writer puts it on its line.
    fn cell(value: &str) -> String {
        let mut w = CsvWriter::new();
        w.row(&[value]).unwrap();
        let t = w.finish().unwrap();
        t.strip_suffix("\r\n").unwrap().to_owned()
    }

    fn line(cells: &[&str]) -> String {
        let mut w = CsvWriter::new();
        w.row(cells).unwrap();
        w.finish().unwrap()
    }

    /// Every leading character the issue names, before every trigger.
    const LEADS: [&str; 14] = [
        "",
        " ",
        "  ",
        "\u{A0}",
        "\u{3000}",
        "\u{2028}",
        "\u{2029}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{202E}",
        "\u{2066}",
        "\u{2060}",
        "\u{202F}",
        " \u{200B}\u{A0}\u{FEFF} ",
    ];

    #[test]
    fn a_trigger_after_any_leading_space_or_invisible_character_is_neutralised() {
        for lead in LEADS {
            for t in FORMULA_TRIGGERS {
                let value = format!("{lead}{t}HYPERLINK(\"http://x\")");
                let c = cell(&value);
                assert!(c.starts_with("\"'"), "{value:?} -> {c:?}");
                assert!(is_formula(&value), "{value:?}");
            }
        }
        for value in [
            "-1-1",
            "+49 151 23456789",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=1+1",
            "－1",
        ] {
            assert!(cell(value).starts_with("\"'"), "{value:?}");
        }
    }

    #[test]
    fn harmless_cells_stay_as_they_are() {
        for value in [
            "Café Zur Post",
            "80331",
            "DE",
            "2026-11-20",
            "<5",
            "2.5",
            "a=b",
            "x-1",
            " 80331",
            "\u{200B}Café",
            "",
            "   ",
        ] {
            assert!(!is_formula(value), "{value:?}");
            assert_eq!(cell(value), format!("\"{value}\""));
        }
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"click\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""
        );
        assert_eq!(cell("a,b\nc"), "\"a,b\nc\"");
        assert_eq!(line(&["a", "=b"]), "\"a\",\"'=b\"\r\n");
    }
}
