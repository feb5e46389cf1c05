//! CSV that spreadsheet software opens without running anything: every cell is quoted, quotes are
//! doubled, and a cell that would start with `=`, `+`, `-`, `@`, tab or carriage return — which
//! Excel, LibreOffice and Google Sheets read as a formula — gets a leading `'`.

/// Characters that make a spreadsheet treat a cell as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell, neutralised and quoted.
pub fn cell(value: &str) -> String {
    let mut v = String::with_capacity(value.len() + 3);
    v.push('"');
    if value.starts_with(FORMULA_STARTS) {
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

    #[test]
    fn formula_starts_are_neutralised_and_quotes_doubled() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"click\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""
        );
        for bad in ["=1+1", "+49 151", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let c = cell(bad);
            assert!(c.starts_with("\"'"), "{bad:?} -> {c}");
        }
        assert_eq!(cell("Café Zur Post"), "\"Café Zur Post\"");
        assert_eq!(cell("a,b\nc"), "\"a,b\nc\"");
        assert_eq!(line(&["a", "=b"]), "\"a\",\"'=b\"\r\n");
    }
}
