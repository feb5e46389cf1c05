#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Decodes binary PGM files (as `spur bench decode --dir` writes them) and prints each text.
//!
//! `cargo run --release -p spur-qr --example pgm -- FILE...`

use spur_qr::{read_frame, Frame};

fn main() {
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).unwrap();
        // Header: "P5\n<w> <h>\n255\n".
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            let start = at;
            while !data[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(String::from_utf8_lossy(&data[start..at]).to_string());
            at += 1;
        }
        let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        let frame = Frame::tight(w, h, &data[at..at + w * h]);
        let mut best = f64::MAX;
        let mut text = None;
        for _ in 0..2 {
            let t = std::time::Instant::now();
            text = read_frame(&frame).unwrap();
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        println!("{path}\t{best:.3}\t{text:?}");
    }
}
