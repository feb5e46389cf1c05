#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Development probe: spur's decoder alone on the seeded benchmark corpus, per category and
//! resolution (rate, false decodes, median and p95 ms). `spur bench decode` is the real
//! benchmark with the peers; this one needs only spur-qr, for tuning the cascade.
//!
//! `cargo run --release -p spur-qr --example probe -- FRAMES [SEED] [CACHE_DIR]`

use spur_qr::synth::{generate, Category};
use spur_qr::{read_frame, EncodeOptions, Frame};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let frames: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2020);
    let cache = args.get(3).map(std::path::PathBuf::from);
    let only = std::env::var("PROBE_ONLY").ok();
    let rounds: u32 = std::env::var("PROBE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!(
        "{:<13} {:>5} | {:>6} {:>5} {:>7} {:>7}",
        "category", "res", "rate", "false", "med ms", "p95 ms"
    );
    let mut all_code = [(0u64, 0u64); 2];
    for (ri, (w, h)) in [(1280usize, 720usize), (1920, 1080)]
        .into_iter()
        .enumerate()
    {
        for category in Category::ALL {
            if only.as_deref().is_some_and(|o| o != category.name()) {
                continue;
            }
            let (mut ok, mut wrong, mut n) = (0u64, 0u64, 0u64);
            let mut ms = Vec::new();
            let mut missed = Vec::new();
            for i in 0..frames {
                let (luma, expected) = load(&cache, category, w, h, seed, i);
                let frame = Frame::tight(w, h, &luma);
                let mut best = f64::MAX;
                let mut text = None;
                for _ in 0..rounds {
                    let t = Instant::now();
                    text = read_frame(&frame).unwrap();
                    best = best.min(t.elapsed().as_secs_f64() * 1e3);
                }
                ms.push(best);
                n += 1;
                match (&text, &expected) {
                    (Some(a), Some(b)) if a == b => ok += 1,
                    (None, _) => {
                        if expected.is_some() {
                            missed.push(i)
                        }
                    }
                    _ => wrong += 1,
                }
            }
            ms.sort_by(f64::total_cmp);
            let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
            let rate = if !category.has_code() {
                "-".to_string()
            } else {
                format!("{:.1}%", ok as f64 * 100.0 / n as f64)
            };
            if category.has_code() {
                all_code[ri].0 += ok;
                all_code[ri].1 += n;
            }
            println!(
                "{:<13} {:>5} | {:>6} {:>5} {:>7.2} {:>7.2}  missed {:?}",
                category.name(),
                h,
                rate,
                wrong,
                q(0.5),
                q(0.95),
                missed
            );
        }
    }
    for (ri, h) in [720, 1080].into_iter().enumerate() {
        let (ok, n) = all_code[ri];
        println!("all with code {h}: {ok}/{n}");
    }
}

fn load(
    cache: &Option<std::path::PathBuf>,
    c: Category,
    w: usize,
    h: usize,
    seed: u64,
    i: u64,
) -> (Vec<u8>, Option<String>) {
    let path = cache
        .as_ref()
        .map(|d| d.join(format!("{}_{}_{}_{}", c.name(), h, seed, i)));
    if let Some(p) = &path {
        if let (Ok(luma), Ok(t)) = (
            std::fs::read(p.with_extension("y")),
            std::fs::read_to_string(p.with_extension("txt")),
        ) {
            return (luma, (!t.is_empty()).then_some(t));
        }
    }
    let s = generate(c, w, h, seed, i, EncodeOptions::SPUR);
    if let Some(p) = &path {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p.with_extension("y"), &s.luma).unwrap();
        std::fs::write(
            p.with_extension("txt"),
            s.expected.clone().unwrap_or_default(),
        )
        .unwrap();
    }
    (s.luma, s.expected)
}
