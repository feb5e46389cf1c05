#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Development probe: per category and resolution, which pass of the cascade read each frame
//! and what the passes cost on frames without a code (sum of microseconds per pass kind, p50
//! and p95 of the frame totals), for tuning the cascade's gates.
//!
//! `cargo run --release -p spur-qr --example passes -- FRAMES [SEED...]`

use spur_qr::cascade::{read_luma_traced, Pass, SPUR_PASSES};
use spur_qr::synth::{generate, Category};
use spur_qr::EncodeOptions;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let frames: u64 = a.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let seeds: Vec<u64> = a.iter().skip(2).filter_map(|s| s.parse().ok()).collect();
    let seeds = if seeds.is_empty() { vec![2020] } else { seeds };
    let only = std::env::var("PROBE_ONLY").ok();
    for (w, h) in [(1280usize, 720usize), (1920, 1080)] {
        for category in Category::ALL {
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|c| c == category.name()))
            {
                continue;
            }
            let mut by_pass: BTreeMap<String, u64> = BTreeMap::new();
            let mut cost: BTreeMap<String, u64> = BTreeMap::new();
            let mut totals = Vec::new();
            let mut missed = Vec::new();
            for &seed in &seeds {
                for i in 0..frames {
                    let s = generate(category, w, h, seed, i, EncodeOptions::SPUR);
                    let mut trace = Vec::new();
                    let mut best = f64::MAX;
                    let mut text = None;
                    for _ in 0..2 {
                        trace.clear();
                        let t = Instant::now();
                        text = read_luma_traced(&s.luma, w, h, SPUR_PASSES, &mut trace);
                        best = best.min(t.elapsed().as_secs_f64() * 1e3);
                    }
                    totals.push(best);
                    for r in &trace {
                        let k = format!(
                            "{:?}{}",
                            r.pass,
                            if r.crop.is_some() { "@crop" } else { "" }
                        );
                        *cost.entry(k).or_default() += r.micros;
                    }
                    match (&text, &s.expected) {
                        (Some(t), Some(e)) if t == e => {
                            let last = trace
                                .last()
                                .map(|r| format!("{:?}", r.pass))
                                .unwrap_or_default();
                            *by_pass.entry(last).or_default() += 1;
                        }
                        (None, None) => {}
                        (None, Some(_)) => missed.push(format!("{seed}/{i}")),
                        _ => missed.push(format!("WRONG {seed}/{i}")),
                    }
                }
            }
            totals.sort_by(f64::total_cmp);
            let q = |p: f64| totals[((totals.len() - 1) as f64 * p).round() as usize];
            let _ = Pass::Standard;
            println!(
                "{:<13} {h:>4} p50 {:6.2} p95 {:6.2} | read by {:?} | missed {:?} | us {:?}",
                category.name(),
                q(0.5),
                q(0.95),
                by_pass,
                missed,
                cost
            );
        }
    }
}
