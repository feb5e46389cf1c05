#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Writes one frame of the seeded corpus as a PNG, to look at what a category draws.
//!
//! `cargo run --release -p spur-qr --example show -- CATEGORY HEIGHT SEED INDEX OUT.png`

use spur_qr::synth::{generate, Category};
use spur_qr::EncodeOptions;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let category = Category::from_name(&a[1]).expect("a category name");
    let h: usize = a[2].parse().unwrap();
    let w = h * 16 / 9;
    let s = generate(
        category,
        w,
        h,
        a[3].parse().unwrap(),
        a[4].parse().unwrap(),
        EncodeOptions::SPUR,
    );
    image::GrayImage::from_raw(w as u32, h as u32, s.luma)
        .unwrap()
        .save(&a[5])
        .unwrap();
    println!("expected: {:?}", s.expected);
}
