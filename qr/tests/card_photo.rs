#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A *simulated* phone photo of a printed personal-code card (not a real photograph: no camera
//! or printer was available). The card was made by `spur app personal-code` against real
//! servers, its print PDF rendered by poppler's `pdftoppm`, and the photo simulated by
//! `examples/card_photo.rs` (perspective, tinted textured paper, uneven light and a shadow,
//! blur, sensor noise, JPEG at 1920×1080); `fixtures/make-card-photo.sh` regenerates it.

use spur_protocol::qr::Code;
use spur_qr::{decode_picture, Scan};

const PHOTO: &[u8] = include_bytes!("fixtures/card-photo-simulated.jpg");

#[test]
fn simulated_photo_of_a_printed_card_reads_as_a_personal_code() {
    assert!(
        PHOTO.len() < 500_000,
        "fixture grew to {} bytes",
        PHOTO.len()
    );
    let img = image::load_from_memory(PHOTO).unwrap();
    assert_eq!((img.width(), img.height()), (1920, 1080));
    match decode_picture(PHOTO).unwrap() {
        Scan::Spur { payload, text } => {
            assert!(
                matches!(payload.code, Code::Personal(_)),
                "not a personal code: {text}"
            );
        }
        other => panic!("the card was not read as a spur code: {other:?}"),
    }
}
