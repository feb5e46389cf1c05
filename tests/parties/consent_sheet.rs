//! The consent code as the desk hands it out: the PNG and the printed A4 sheet both carry the
//! code's URL, drawn by spur-qr, and spur-qr's decoder reads it back from each (the sheet after
//! rasterising the PDF's module rectangles, as a printer would).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use spur_authority::code::{make, CodeRequest};
use spur_protocol::fields::PhoneNumber;
use spur_protocol::time::Day;

/// The filled rectangles (`x y w h re`) of the PDF's one uncompressed content stream.
fn rectangles(pdf: &[u8]) -> Vec<[f32; 4]> {
    let text = String::from_utf8_lossy(pdf);
    text.lines()
        .filter_map(|l| l.strip_suffix(" re"))
        .map(|l| {
            let v: Vec<f32> = l.split(' ').map(|n| n.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect()
}

/// The page (`width` × `height` points) rasterised at one pixel per point: a pixel is black when
/// its centre lies in a rectangle. PDF's y axis points up, a picture's down.
fn rasterise(rects: &[[f32; 4]], width: usize, height: usize) -> Vec<u8> {
    let mut luma = vec![255u8; width * height];
    for [x, y, w, h] in rects {
        for py in 0..height {
            let cy = height as f32 - (py as f32 + 0.5);
            if cy < *y || cy >= y + h {
                continue;
            }
            for px in 0..width {
                let cx = px as f32 + 0.5;
                if cx >= *x && cx < x + w {
                    luma[py * width + px] = 0;
                }
            }
        }
    }
    luma
}

#[test]
fn the_png_and_the_printed_sheet_both_decode_to_the_consent_url() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 7);
    let user = t.register("+4916000000777", "80331", None);
    let phone = PhoneNumber::parse(&t.users[user].phone).unwrap();
    let now = at(3, 10, 0);
    let made = make(
        t.desks.get(&MUNICH).unwrap(),
        &mut t.rng,
        "spur.example",
        &CodeRequest {
            case_id: "M-2026-0777",
            first_day: Day(FIRST_DAY),
            days: 3,
            now,
            expires: now.plus(60 * 48),
        },
        &phone,
    )
    .unwrap();

    // The PNG: spur-qr's decoder reads the URL, and it is a consent code.
    let scan = spur_qr::decode_picture(&made.png).unwrap();
    assert_eq!(scan.text(), Some(made.url.as_str()));
    assert!(matches!(
        spur_protocol::qr::Payload::parse(&made.url).unwrap().code,
        spur_protocol::qr::Code::Consent(_)
    ));

    // The sheet: an A4 PDF with the texts and one rectangle per dark module of spur-qr's code.
    let pdf = &made.pdf;
    let text = String::from_utf8_lossy(pdf);
    assert!(pdf.starts_with(b"%PDF-") && text.trim_end().ends_with("%%EOF"));
    let media = text
        .split("/MediaBox [")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap();
    let dims: Vec<f32> = media.split(' ').map(|v| v.parse().unwrap()).collect();
    assert_eq!(dims.len(), 4);
    assert!(
        (dims[2] - 595.28).abs() < 0.01 && (dims[3] - 841.89).abs() < 0.01,
        "A4: {media}"
    );
    assert!(text.contains("(spur: consent to contact tracing) Tj"));
    assert!(text.contains("(Case M-2026-0777) Tj"));
    assert!(text.contains("(Releases your check-ins of 2026-11-01 to 2026-11-03 (3 days)) Tj"));
    let m = spur_qr::encode(&made.url).unwrap();
    let dark = (0..m.total_size())
        .flat_map(|y| (0..m.total_size()).map(move |x| (x, y)))
        .filter(|(x, y)| m.is_dark_with_quiet_zone(*x, *y))
        .count();
    let rects = rectangles(pdf);
    assert_eq!(rects.len(), dark, "one rectangle per dark module");

    // Printed, it scans: the rasterised page decodes to the same URL.
    let (w, h) = (596, 842);
    let luma = rasterise(&rects, w, h);
    let read = spur_qr::read_frame(&spur_qr::Frame::tight(w, h, &luma)).unwrap();
    assert_eq!(read.as_deref(), Some(made.url.as_str()));
}
