//! Fuzzes spur-qr's decoders: arbitrary bytes as a camera frame (dimensions from the first
//! bytes) and as an encoded picture. Any panic inside a decoder aborts the run and shows up
//! here, although the library itself catches it and refuses the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_qr::{decode_frame, decode_picture, DecodeError, Frame, Rotation};

fuzz_target!(|data: &[u8]| {
    if data.len() >= 6 {
        let width = usize::from(u16::from_le_bytes([data[0], data[1]]) % 512);
        let height = usize::from(u16::from_le_bytes([data[2], data[3]]) % 512);
        let stride = width + usize::from(data[4] % 8);
        let rotation = Rotation::from_degrees(i32::from(data[5] % 4) * 90).unwrap_or_default();
        let frame = Frame {
            width,
            height,
            stride,
            luma: &data[6..],
            rotation,
        };
        let r = decode_frame(&frame);
        assert!(
            !matches!(r, Err(DecodeError::DecoderPanicked)),
            "decoder panicked"
        );
    }
    let r = decode_picture(data);
    assert!(
        !matches!(r, Err(DecodeError::DecoderPanicked)),
        "decoder panicked"
    );
});
