#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Development probe: which passes of the cascade run on each frame of a category, with the
//! finder candidates and sets each one saw and its time (detector part only).
//!
//! `cargo run --release -p spur-qr --example trace -- CATEGORY HEIGHT FRAMES [SEED]`

use spur_qr::cascade::{read_luma_traced, SPUR_PASSES};
use spur_qr::synth::{generate, Category};
use spur_qr::EncodeOptions;
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let category = Category::from_name(&a[1]).expect("a category name");
    let h: usize = a[2].parse().unwrap();
    let frames: u64 = a[3].parse().unwrap();
    let seed: u64 = a.get(4).and_then(|s| s.parse().ok()).unwrap_or(2020);
    let w = h * 16 / 9;
    for i in 0..frames {
        let s = generate(category, w, h, seed, i, EncodeOptions::SPUR);
        let mut trace = Vec::new();
        let t = Instant::now();
        let text = read_luma_traced(&s.luma, w, h, SPUR_PASSES, &mut trace);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let crops = trace.iter().filter(|r| r.crop.is_some()).count();
        let ok = match (&text, &s.expected) {
            (Some(a), Some(b)) if a == b => "ok",
            (None, None) => "-",
            (None, Some(_)) => "MISS",
            _ => "WRONG",
        };
        let passes: Vec<String> = trace
            .iter()
            .map(|r| format!("{:?}:f{}s{}/{}us", r.pass, r.finders, r.sets, r.micros))
            .chain(std::iter::empty())
            .collect();
        println!(
            "{i:3} {ok:5} {ms:7.2} ms crops {crops} {}",
            passes.join(" ")
        );
    }
}
