//! CSV that spreadsheet software opens without running anything, for every CSV spur writes (the
//! desk's contact lists, the vault's statistics): every cell is quoted, quotes are doubled, and a
//! cell whose first visible character would make Excel, LibreOffice or Google Sheets read it as a
//! formula gets a leading `'`.
//!
//! "First visible" matters: spreadsheets drop leading spaces and invisible characters before they
//! look, so ` =1+1`, `\u{A0}=1+1`, `\u{3000}=1+1`, `\u{2028}=1+1`, `\u{200B}=1+1` and
//! `\u{FEFF}=1+1` are all formulas there. The neutraliser skips every leading white-space
//! (Unicode `White_Space`: space, no-break space, U+3000, U+2028, …) and every character the
//! protocol's text rule calls invisible (zero-width, BOM, bidi controls, other format characters)
//! and then looks for a trigger: `=`, `+`, `-`, `@`, tab, carriage return, line feed, or their
//! full-width and small forms (`＝＋－＠`, `﹦﹢﹣﹫`) and the minus sign `−`.

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

/// One cell, neutralised and quoted.
pub fn cell(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 3);
    v.push('"');
    if is_formula(value) {
        v.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            v.push('"');
        }
        v.push(c);
    }
    v.push('"');
    v
}

/// One CSV line (CRLF-terminated, as RFC 4180 asks).
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
