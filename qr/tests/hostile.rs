#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Garbage and hostile input: every call returns an error or `Scan::Nothing`, never panics.

use spur_qr::synth::Rng;
use spur_qr::{decode_frame, decode_picture, DecodeError, Frame, FrameError, Rotation, Scan};

#[test]
fn zero_size_frames_are_refused() {
    for (w, h) in [(0, 0), (0, 10), (10, 0)] {
        let r = decode_frame(&Frame::tight(w, h, &[]));
        assert!(
            matches!(r, Err(DecodeError::Frame(FrameError::Empty { .. }))),
            "{w}×{h}: {r:?}"
        );
    }
}

#[test]
fn huge_claimed_dimensions_are_refused_without_allocating() {
    let small = [0u8; 16];
    for (w, h) in [
        (usize::MAX, 1),
        (1, usize::MAX),
        (100_000, 100_000),
        (16_384, 16_384),
    ] {
        let r = decode_frame(&Frame::tight(w, h, &small));
        assert!(
            matches!(r, Err(DecodeError::Frame(FrameError::TooLarge { .. }))),
            "{w}×{h}: {r:?}"
        );
    }
}

#[test]
fn stride_smaller_than_width_is_refused() {
    let buf = vec![0u8; 100 * 100];
    let f = Frame {
        width: 100,
        height: 100,
        stride: 99,
        luma: &buf,
        rotation: Rotation::Deg0,
    };
    assert!(matches!(
        decode_frame(&f),
        Err(DecodeError::Frame(FrameError::StrideTooSmall { .. }))
    ));
}

#[test]
fn short_buffers_are_refused() {
    let buf = vec![0u8; 100 * 99];
    let r = decode_frame(&Frame::tight(100, 100, &buf));
    assert!(matches!(
        r,
        Err(DecodeError::Frame(FrameError::TooShort { .. }))
    ));
    // With padding: the last row needs only `width` bytes, not `stride`.
    let buf = vec![255u8; 128 * 99 + 100];
    let f = Frame {
        width: 100,
        height: 100,
        stride: 128,
        luma: &buf,
        rotation: Rotation::Deg90,
    };
    assert_eq!(decode_frame(&f).unwrap(), Scan::Nothing);
}

#[test]
fn tiny_flat_and_random_frames_give_nothing() {
    let mut rng = Rng::new(5);
    for (w, h) in [(1, 1), (7, 3), (39, 39), (40, 40), (41, 97), (320, 240)] {
        for fill in [0u8, 128, 255] {
            let buf = vec![fill; w * h];
            assert_eq!(
                decode_frame(&Frame::tight(w, h, &buf)).unwrap(),
                Scan::Nothing
            );
        }
        let buf: Vec<u8> = (0..w * h).map(|_| rng.next_u64() as u8).collect();
        assert_eq!(
            decode_frame(&Frame::tight(w, h, &buf)).unwrap(),
            Scan::Nothing
        );
        // Checkerboards and stripes: periodic patterns a detector might take for modules.
        let buf: Vec<u8> = (0..w * h)
            .map(|i| {
                if ((i % w) / 3 + (i / w) / 3) % 2 == 0 {
                    0
                } else {
                    255
                }
            })
            .collect();
        assert_eq!(
            decode_frame(&Frame::tight(w, h, &buf)).unwrap(),
            Scan::Nothing
        );
    }
}

#[test]
fn random_bytes_are_not_pictures() {
    let mut rng = Rng::new(9);
    for len in [0usize, 1, 8, 100, 5000] {
        let buf: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        assert!(decode_picture(&buf).is_err(), "{len} random bytes");
    }
}

#[test]
fn truncated_and_corrupted_png_and_jpeg_are_refused_or_empty() {
    let m = spur_qr::encode("HTTPS://SPUR.EXAMPLE/C#ABCDEFGH").unwrap();
    let png = spur_qr::render::to_png(&m, 4).unwrap();
    let (side, luma) = spur_qr::render::to_luma(&m, 4).unwrap();
    let mut jpeg = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80),
        &luma,
        side as u32,
        side as u32,
        image::ExtendedColorType::L8,
    )
    .unwrap();
    let mut rng = Rng::new(3);
    for file in [png, jpeg] {
        for cut in [1, 8, 16, 33, file.len() / 2, file.len() - 1] {
            let r = decode_picture(&file[..cut]);
            assert!(r.is_err() || r == Ok(Scan::Nothing) || r.as_ref().unwrap().text().is_some());
        }
        for _ in 0..20 {
            let mut bad = file.clone();
            for _ in 0..4 {
                let i = 8 + rng.below(bad.len() - 8);
                bad[i] ^= 1 << rng.below(8);
            }
            let _ = decode_picture(&bad);
        }
    }
}

#[test]
fn picture_claiming_huge_dimensions_is_refused() {
    // A PNG header that claims 100000×100000 pixels, followed by nothing.
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 0, 0, 0, 0]);
    png.extend_from_slice(&[0, 0, 0, 0]);
    assert!(decode_picture(&png).is_err());
}
