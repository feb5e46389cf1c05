#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Encoding spur's codes: sizes the protocol promises, segment modes, rendering.

use spur_qr::synth::{longest_place_text, Rng};
use spur_qr::{encode, encode_with, render, Ecc, EncodeOptions};

#[test]
fn longest_place_code_fits_version_7_at_ecc_m() {
    let url = longest_place_text(&mut Rng::new(1), true).unwrap();
    assert!(url.contains("/P#"), "{url}");
    let m = encode(&url).unwrap();
    assert_eq!(m.ecc(), Ecc::M);
    assert!(
        m.version() <= 7,
        "{} chars need version {}",
        url.len(),
        m.version()
    );
}

#[test]
fn alphanumeric_segments_make_the_code_smaller_than_byte_mode() {
    // The same length in lower case needs byte mode throughout; spur's upper-case URL is
    // mostly alphanumeric, so it needs a smaller version.
    let url = longest_place_text(&mut Rng::new(2), true).unwrap();
    let lower = url.to_lowercase();
    let a = encode(&url).unwrap().version();
    let b = encode(&lower).unwrap().version();
    assert!(a < b, "upper {a}, lower {b}");
}

#[test]
fn higher_ecc_needs_a_larger_version_and_quiet_zone_is_kept() {
    let url = longest_place_text(&mut Rng::new(3), true).unwrap();
    let v: Vec<u8> = Ecc::ALL
        .iter()
        .map(|ecc| {
            encode_with(
                &url,
                EncodeOptions {
                    ecc: *ecc,
                    quiet_zone: 2,
                },
            )
            .unwrap()
            .version()
        })
        .collect();
    assert!(v.windows(2).all(|w| w[0] <= w[1]) && v[0] < v[3], "{v:?}");
    let m = encode_with(
        &url,
        EncodeOptions {
            ecc: Ecc::M,
            quiet_zone: 2,
        },
    )
    .unwrap();
    assert_eq!(m.total_size(), m.size() + 4);
    assert!(!m.is_dark_with_quiet_zone(0, 0) && !m.is_dark_with_quiet_zone(1, 1));
    assert!(m.is_dark_with_quiet_zone(2, 2), "finder pattern corner");
}

#[test]
fn svg_and_png_render_the_matrix() {
    let m = encode("HTTPS://SPUR.EXAMPLE/C#ABC").unwrap();
    let svg = render::to_svg(&m, 4);
    let n = m.total_size();
    assert!(
        svg.starts_with("<svg") && svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")),
        "{svg}"
    );
    assert!(svg.contains("h1v1h-1z") || svg.contains("v1h-"));
    let png = render::to_png(&m, 2).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    assert_eq!(img.width() as usize, m.total_size() * 2);
    assert_eq!(img.get_pixel(0, 0).0, [255]);
    assert_eq!(img.get_pixel(8, 8).0, [0]);
    assert!(render::to_png(&m, 10_000).is_err());
}

#[test]
fn too_long_text_is_an_error() {
    let long = "A".repeat(8000);
    assert!(encode(&long).is_err());
}
