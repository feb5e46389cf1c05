#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_range_loop
)]
//! Simulates a phone photograph of a printed card: a raster of the card's print PDF (made by
//! a real PDF renderer, `pdftoppm`) is put on a desk in perspective, with paper tint and fibre
//! texture, uneven light and a soft shadow, lens blur, sensor noise, and saved as a JPEG at
//! phone video resolution. It is a simulation, not a photograph: there is no camera or printer
//! on the machine this was made on (see `docs/decoding.md`).
//!
//! `cargo run --release -p spur-qr --example card_photo -- CARD.png OUT.jpg [WIDTH HEIGHT SEED]`

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let card = image::open(&args[1]).expect("card raster").to_rgb8();
    let out = &args[2];
    let w: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1920);
    let h: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1080);
    let mut rng = Rng(args.get(5).and_then(|a| a.parse().ok()).unwrap_or(2026) | 1);
    let (cw, ch) = (card.width() as f64, card.height() as f64);

    // Where the card's corners land: about 80% of the frame height, turned by ~8°, and tilted
    // (the far edge shorter than the near one), as when a phone is held above a desk at an angle.
    let (cx, cy) = (w as f64 * 0.52, h as f64 * 0.5);
    let tall = h as f64 * 0.8;
    let wide = tall * cw / ch;
    let turn = 8f64.to_radians();
    let corners = [
        (-0.5, -0.5, 0.86),
        (0.5, -0.5, 0.86),
        (0.5, 0.5, 1.0),
        (-0.5, 0.5, 1.0),
    ]
    .map(|(u, v, s): (f64, f64, f64)| {
        let (x, y) = (u * wide * s, v * tall);
        (
            cx + x * turn.cos() - y * turn.sin(),
            cy + x * turn.sin() + y * turn.cos(),
        )
    });
    let to_card = homography(corners, [(0.0, 0.0), (cw, 0.0), (cw, ch), (0.0, ch)]);

    // The scene, linear light 0..1 per channel.
    let mut px = vec![[0f32; 3]; w * h];
    let desk = [0.42f32, 0.31, 0.22];
    for y in 0..h {
        for x in 0..w {
            // Wood-like desk: low-frequency streaks.
            let grain = 0.9 + 0.1 * ((y as f32 * 0.021 + (x as f32 * 0.003).sin() * 3.0).sin());
            let mut c = desk.map(|d| d * grain);
            // 3×3 samples per pixel from the card (the card raster is finer than the photo).
            let (mut acc, mut inside) = ([0f32; 3], 0u32);
            for sy in 0..3 {
                for sx in 0..3 {
                    let (fx, fy) = (
                        x as f64 + (sx as f64 + 0.5) / 3.0,
                        y as f64 + (sy as f64 + 0.5) / 3.0,
                    );
                    let (u, v) = apply(&to_card, fx, fy);
                    if u >= 0.0 && v >= 0.0 && u < cw - 1.0 && v < ch - 1.0 {
                        let p = card.get_pixel(u as u32, v as u32).0;
                        for k in 0..3 {
                            acc[k] += f32::from(p[k]) / 255.0;
                        }
                        inside += 1;
                    }
                }
            }
            if inside > 0 {
                // Paper: a warm tint and fibre texture; ink is not perfectly black either.
                let paper = [0.96f32, 0.93, 0.86];
                let fibre = 1.0 + 0.025 * (rng.normal() as f32);
                let a = inside as f32 / 9.0;
                for k in 0..3 {
                    let card_c = (acc[k] / inside as f32).mul_add(paper[k] - 0.08, 0.08) * fibre;
                    c[k] = c[k] * (1.0 - a) + card_c * a;
                }
            }
            // Uneven light: a lamp to the upper left, and a soft shadow of the phone lower right.
            let (nx, ny) = (x as f32 / w as f32, y as f32 / h as f32);
            let lamp = 1.05 - 0.45 * ((nx - 0.15).powi(2) + (ny - 0.1).powi(2)).sqrt();
            let d = (nx - 0.75) * 0.8 + (ny - 0.8) * 0.6;
            let shadow = 1.0 - 0.35 * (1.0 / (1.0 + (-d * 25.0).exp()));
            for v in &mut c {
                *v *= lamp * shadow;
            }
            px[y * w + x] = c;
        }
    }
    // Lens blur (slightly out of focus), then sensor noise and the camera's gamma.
    blur(&mut px, w, h, 1.3);
    let mut bytes = Vec::with_capacity(w * h * 3);
    for c in &px {
        let luma_noise = rng.normal() as f32 * 0.012;
        for v in c {
            let n = v + luma_noise + rng.normal() as f32 * 0.006;
            bytes.push((n.clamp(0.0, 1.0).powf(1.0 / 2.2) * 255.0).round() as u8);
        }
    }
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 72)
        .write_image(&bytes, w as u32, h as u32, ExtendedColorType::Rgb8)
        .unwrap();
    std::fs::write(out, &jpeg).unwrap();
    println!("{out}: {w}×{h}, {} bytes", jpeg.len());
}

/// A 3×3 projective map from 4 point pairs (the 8×8 system solved by elimination).
fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> [f64; 9] {
    let mut a = [[0f64; 9]; 8];
    for (i, ((x, y), (u, v))) in from.iter().zip(to).enumerate() {
        a[2 * i] = [*x, *y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, *x, *y, 1.0, -v * x, -v * y, v];
    }
    for c in 0..8 {
        let p = (c..8)
            .max_by(|i, j| a[*i][c].abs().total_cmp(&a[*j][c].abs()))
            .unwrap();
        a.swap(c, p);
        for r in 0..8 {
            if r != c {
                let f = a[r][c] / a[c][c];
                for k in c..9 {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    let mut m = [1f64; 9];
    for r in 0..8 {
        m[r] = a[r][8] / a[r][r];
    }
    m
}

fn apply(m: &[f64; 9], x: f64, y: f64) -> (f64, f64) {
    let d = m[6] * x + m[7] * y + m[8];
    (
        (m[0] * x + m[1] * y + m[2]) / d,
        (m[3] * x + m[4] * y + m[5]) / d,
    )
}

/// Separable Gaussian blur of every channel.
fn blur(px: &mut [[f32; 3]], w: usize, h: usize, sigma: f32) {
    let r = (sigma * 3.0).ceil() as isize;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    for (step, len, lines, stride) in [(1usize, w, h, w), (w, h, w, 1)] {
        let mut line = vec![[0f32; 3]; len];
        for l in 0..lines {
            let at = |i: usize| l * stride + i * step;
            for (i, out) in line.iter_mut().enumerate() {
                let mut acc = [0f32; 3];
                for (j, kv) in k.iter().enumerate() {
                    let s = (i as isize + j as isize - r).clamp(0, len as isize - 1) as usize;
                    for c in 0..3 {
                        acc[c] += px[at(s)][c] * kv;
                    }
                }
                *out = acc;
            }
            for (i, v) in line.iter().enumerate() {
                px[at(i)] = *v;
            }
        }
    }
}

/// xorshift64 with a Box–Muller normal.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (a, b) = (self.next().max(1e-12), self.next());
        (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
    }
}
