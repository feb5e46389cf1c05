//! A one-page printable PDF (A4) with a QR code drawn as vector squares and a few lines of text
//! in the standard Helvetica font: small, self-contained, no PDF library needed.

use crate::qr_image::Modules;

/// Escapes text for a PDF string; characters outside Latin-1 become `?` (Helvetica's
/// WinAnsi encoding).
fn pdf_text(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'(');
    for c in s.chars() {
        let b = match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                c as u8
            }
            c if (' '..='~').contains(&c) => c as u8,
            c if ('\u{a0}'..='\u{ff}').contains(&c) => c as u32 as u8,
            _ => b'?',
        };
        out.push(b);
    }
    out.push(b')');
    out
}

/// Builds the PDF: title, lines of text, and the code centred below them.
pub fn page(title: &str, lines: &[String], code: &Modules) -> Vec<u8> {
    let (w, h) = (595.0f64, 842.0f64);
    let mut content: Vec<u8> = Vec::new();
    let mut y = h - 80.0;
    content.extend_from_slice(b"BT /F1 22 Tf 60 ");
    content.extend_from_slice(format!("{y:.1}").as_bytes());
    content.extend_from_slice(b" Td ");
    content.extend_from_slice(&pdf_text(title));
    content.extend_from_slice(b" Tj ET\n");
    for l in lines {
        y -= 22.0;
        content.extend_from_slice(format!("BT /F1 12 Tf 60 {y:.1} Td ").as_bytes());
        content.extend_from_slice(&pdf_text(l));
        content.extend_from_slice(b" Tj ET\n");
    }
    let side = 400.0f64;
    let m = side / code.size.max(1) as f64;
    let x0 = (w - side) / 2.0;
    let y0 = y - 40.0 - side;
    content.extend_from_slice(b"0 g\n");
    for (i, d) in code.dark.iter().enumerate() {
        if *d {
            let (mx, my) = ((i % code.size) as f64, (i / code.size) as f64);
            let x = x0 + mx * m;
            let yy = y0 + side - (my + 1.0) * m;
            content.extend_from_slice(format!("{x:.2} {yy:.2} {m:.3} {m:.3} re\n").as_bytes());
        }
    }
    content.extend_from_slice(b"f\n");

    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        {
            let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            s.extend_from_slice(&content);
            s.extend_from_slice(b"\nendstream");
            s
        },
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_has_a_correct_cross_reference_table() {
        let m = crate::qr_image::modules("HTTPS://SPUR.EXAMPLE/A#ABC").unwrap();
        let pdf = page("Consent (Café)", &["Case X-1".into()], &m);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let find = |needle: &[u8]| {
            pdf.windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let after = find(b"startxref\n") + 10;
        let end = after + pdf[after..].iter().position(|&b| b == b'\n').unwrap();
        let start: usize = std::str::from_utf8(&pdf[after..end])
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        // Every xref offset points at the start of its object.
        let table = std::str::from_utf8(&pdf[start..after]).unwrap();
        for (i, line) in table.lines().skip(3).take(5).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(
                pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
    }
}
