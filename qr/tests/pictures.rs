#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Pictures: spur codes rendered to PNG and JPEG decode to the payload; others are classified.

use spur_protocol::qr::{Code, Payload, PersonalCode};
use spur_protocol::tag::{QrCommitment, QrId, TagKey};
use spur_qr::synth::{place_url, Rng};
use spur_qr::{decode_picture, encode, render, NotSpur, Scan};

/// A PIN card's URL, its QR id bound to its data (commitment, then a stand-in for the MAC).
fn personal_url() -> String {
    let mut card = PersonalCode {
        id: QrId([7; 16]),
        key: TagKey::from_bytes([9; 16]),
        pin_protected: true,
    };
    let c = card.commitment();
    card.id.0[..QrCommitment::LEN].copy_from_slice(&c.0);
    let code = Code::Personal(card);
    Payload {
        host: "spur.example.org".into(),
        code,
    }
    .to_url()
    .unwrap()
}

fn jpeg_of(png: &[u8], quality: u8) -> Vec<u8> {
    let img = image::load_from_memory(png).unwrap().to_luma8();
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality),
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::L8,
    )
    .unwrap();
    out
}

#[test]
fn place_code_png_and_jpeg_decode_to_the_payload() {
    let url = place_url(&mut Rng::new(1), "spur.example.org", "Café Müller", "80331").unwrap();
    let png = render::to_png(&encode(&url).unwrap(), 6).unwrap();
    for bytes in [png.clone(), jpeg_of(&png, 60)] {
        match decode_picture(&bytes).unwrap() {
            Scan::Spur { text, payload } => {
                assert_eq!(text, url);
                assert_eq!(payload, Payload::parse(&url).unwrap());
                assert!(matches!(payload.code, Code::Place(ref p) if p.name == "Café Müller"));
            }
            other => panic!("expected a spur code, got {other:?}"),
        }
    }
}

#[test]
fn personal_card_png_decodes() {
    let url = personal_url();
    let png = render::to_png(&encode(&url).unwrap(), 3).unwrap();
    let scan = decode_picture(&png).unwrap();
    assert!(matches!(
        scan,
        Scan::Spur {
            payload: Payload {
                code: Code::Personal(_),
                ..
            },
            ..
        }
    ));
}

#[test]
fn foreign_and_malformed_codes_are_classified_with_a_message() {
    let png = render::to_png(&encode("https://example.com/menu").unwrap(), 4).unwrap();
    let scan = decode_picture(&png).unwrap();
    assert!(matches!(
        scan,
        Scan::NotSpur {
            reason: NotSpur::Foreign,
            ..
        }
    ));
    assert!(scan.message().contains("not a spur code"));

    let png = render::to_png(&encode("HTTPS://SPUR.EXAMPLE.ORG/C#AAAA").unwrap(), 4).unwrap();
    let scan = decode_picture(&png).unwrap();
    assert!(
        matches!(
            scan,
            Scan::NotSpur {
                reason: NotSpur::Malformed(_),
                ..
            }
        ),
        "{scan:?}"
    );
    assert!(scan.message().contains("cannot be used"));
}

#[test]
fn blank_picture_gives_nothing() {
    let png = render::to_png(&encode("x").unwrap(), 1).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let blank = image::GrayImage::from_pixel(img.width() * 4, img.height() * 4, image::Luma([255]));
    let mut out = Vec::new();
    blank
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(decode_picture(&out).unwrap(), Scan::Nothing);
}
