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
    // German, the default of a desk, with the time in the desk's zone named.
    assert!(text.contains("(spur: Einwilligung zur Kontaktnachverfolgung) Tj"));
    assert!(text.contains("(Fall M-2026-0777) Tj"));
    assert!(
        text.contains("(Gibt Ihre Check-ins vom 01.11.2026 bis 03.11.2026 frei (3 Tage)) Tj"),
        "{text}"
    );
    // Lines with letters outside ASCII (ü) are written as hex strings in WinAnsi.
    let hex = |s: &str| -> String {
        spur_qr::sheet::win_ansi(s)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    };
    assert!(
        text.contains(&format!(
            "<{}> Tj",
            hex("Gültig bis 06.11.2026 11:00 MEZ; nur einmal verwendbar.")
        )),
        "{text}"
    );
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

#[test]
fn the_sheet_is_in_the_desk_language_with_plurals_for_one_and_several_days() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 8);
    let user = t.register("+4916000000778", "80331", None);
    let phone = PhoneNumber::parse(&t.users[user].phone).unwrap();
    let now = at(3, 10, 0);
    let sheet = |t: &mut Town, lang: &str, case_id: &str, days: u8| -> String {
        let desk = t.desks.get_mut(&MUNICH).unwrap();
        desk.settings = spur_authority::settings::Settings::new(lang, "Europe/Berlin").unwrap();
        let made = make(
            t.desks.get(&MUNICH).unwrap(),
            &mut t.rng,
            "spur.example",
            &CodeRequest {
                case_id,
                first_day: Day(FIRST_DAY),
                days,
                now,
                expires: now.plus(60 * 48),
            },
            &phone,
        )
        .unwrap();
        String::from_utf8_lossy(&made.pdf).into_owned()
    };
    let en1 = sheet(&mut t, "en", "M-1", 1);
    assert!(
        en1.contains("(Releases your check-ins of 2026-11-01 to 2026-11-01 (1 day)) Tj"),
        "{en1}"
    );
    assert!(en1.contains(" CET; it can be used once.) Tj"), "{en1}");
    let en2 = sheet(&mut t, "en", "M-2", 2);
    assert!(en2.contains("(2 days)) Tj"), "{en2}");
    let de1 = sheet(&mut t, "de", "M-3", 1);
    assert!(de1.contains("frei (1 Tag)) Tj"), "{de1}");
    let de2 = sheet(&mut t, "de", "M-4", 2);
    assert!(de2.contains("frei (2 Tage)) Tj"), "{de2}");
}
