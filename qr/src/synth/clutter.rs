//! Heavy clutter for the cluttered categories: what a camera pointed at a notice board, a
//! shop counter or a desk sees that a QR detector may take for evidence of a code — print,
//! 1-D barcodes, stripes, concentric circles, checkerboards and fake QR symbols with real
//! finder and timing patterns but no decodable content.

use super::canvas::{Canvas, Rect};
use super::geometry::projected_square;
use super::rng::Rng;
use std::f64::consts::PI;

/// Draws 6–15 clutter items over the canvas; most frames get at least one fake QR symbol.
pub fn clutter(canvas: &mut Canvas, rng: &mut Rng) {
    let scale = canvas.height as f64 / 720.0;
    if rng.chance(0.7) {
        fake_qr(canvas, rng, scale);
    }
    for _ in 0..rng.below(10) + 6 {
        match rng.below(7) {
            0 => text(canvas, rng, scale),
            1 => bars(canvas, rng, scale),
            2 => stripes(canvas, rng, scale),
            3 => circles(canvas, rng, scale),
            4 => checkerboard(canvas, rng, scale),
            _ => fake_qr(canvas, rng, scale),
        }
    }
}

/// A random rectangle of at most `max_w`×`max_h` pixels inside the canvas.
fn place(canvas: &Canvas, rng: &mut Rng, max_w: f64, max_h: f64) -> Rect {
    let (cw, ch) = (canvas.width as f64, canvas.height as f64);
    let (w, h) = (
        rng.range(0.3, 1.0) * max_w.min(cw),
        rng.range(0.3, 1.0) * max_h.min(ch),
    );
    let (x, y) = (rng.range(0.0, cw - w), rng.range(0.0, ch - h));
    (x as usize, y as usize, (x + w) as usize, (y + h) as usize)
}

/// Ink and paper grey values with a contrast a camera would see.
fn inks(rng: &mut Rng) -> (f32, f32) {
    (rng.range(5.0, 90.0) as f32, rng.range(150.0, 250.0) as f32)
}

/// Lines of a bitmap font: each glyph a random 3×5 pattern of strokes.
fn text(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    let stroke = rng.range(1.0, 4.0) * scale;
    let (ink, paper) = inks(rng);
    let rect = place(canvas, rng, 600.0 * scale, 240.0 * scale);
    let glyphs: Vec<u16> = (0..64).map(|_| rng.next_u64() as u16 & 0x7fff).collect();
    let paper_under = rng.chance(0.5);
    canvas.paint(rect, |x, y| {
        let (gx, gy) = ((x - rect.0 as f64) / stroke, (y - rect.1 as f64) / stroke);
        // Cells of 4×7 strokes: 3×5 glyph, one stroke of letter and line spacing.
        let (col, row) = ((gx / 4.0) as usize, (gy / 7.0) as usize);
        let (cx, cy) = ((gx % 4.0) as usize, (gy % 7.0) as usize);
        let glyph = glyphs.get((col * 7 + row * 13) % 64).copied().unwrap_or(0);
        let on = cx < 3 && cy < 5 && glyph >> (cy * 3 + cx) & 1 == 1;
        match (on, paper_under) {
            (true, _) => Some(ink),
            (false, true) => Some(paper),
            (false, false) => None,
        }
    });
}

/// A 1-D barcode: bars of one to four units, slightly turned.
fn bars(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    let unit = rng.range(1.0, 4.0) * scale;
    let (ink, paper) = inks(rng);
    let rect = place(canvas, rng, 400.0 * scale, 160.0 * scale);
    let widths: Vec<f64> = (0..120).map(|_| (rng.below(4) + 1) as f64 * unit).collect();
    let (sin, cos) = rng.range(-0.2, 0.2).sin_cos();
    canvas.paint(rect, |x, y| {
        let u = (x - rect.0 as f64) * cos + (y - rect.1 as f64) * sin;
        let (mut at, mut dark) = (0.0, true);
        for w in &widths {
            at += w;
            if u < at {
                return Some(if dark { ink } else { paper });
            }
            dark = !dark;
        }
        Some(paper)
    });
}

/// Parallel stripes at any angle (blinds, a striped shirt, a railing).
fn stripes(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    let period = rng.range(3.0, 30.0) * scale;
    let duty = rng.range(0.25, 0.75);
    let (ink, paper) = inks(rng);
    let rect = place(canvas, rng, 500.0 * scale, 400.0 * scale);
    let (sin, cos) = rng.range(0.0, PI).sin_cos();
    canvas.paint(rect, |x, y| {
        let u = (x * cos + y * sin) / period;
        Some(if u - u.floor() < duty { ink } else { paper })
    });
}

/// Concentric rings and dots (targets, logos, buttons): a ring cut straight through its
/// centre has the 1:1:3:1:1 profile of a finder pattern.
fn circles(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    for _ in 0..rng.below(6) + 1 {
        let ring = rng.range(2.0, 12.0) * scale;
        let rings = rng.below(5) + 2;
        let (ink, paper) = inks(rng);
        let r = ring * rings as f64;
        let cx = rng.range(r, (canvas.width as f64 - r).max(r + 1.0));
        let cy = rng.range(r, (canvas.height as f64 - r).max(r + 1.0));
        // A filled centre three rings wide half of the time: a round finder look-alike.
        let core = if rng.chance(0.5) { 1.5 } else { 0.5 };
        let rect = (
            (cx - r).max(0.0) as usize,
            (cy - r).max(0.0) as usize,
            (cx + r) as usize + 1,
            (cy + r) as usize + 1,
        );
        canvas.paint(rect, |x, y| {
            let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() / ring;
            if d >= rings as f64 {
                return None;
            }
            if d < core {
                return Some(ink);
            }
            Some(if ((d - core) as usize).is_multiple_of(2) {
                paper
            } else {
                ink
            })
        });
    }
}

/// A checkerboard (tiles, a chess board, a calibration target), turned.
fn checkerboard(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    let cell = rng.range(2.0, 24.0) * scale;
    let (ink, paper) = inks(rng);
    let rect = place(canvas, rng, 400.0 * scale, 400.0 * scale);
    let (sin, cos) = rng.range(0.0, PI / 2.0).sin_cos();
    canvas.paint(rect, |x, y| {
        let (u, v) = ((x * cos + y * sin) / cell, (y * cos - x * sin) / cell);
        Some(if (u.floor() + v.floor()) as i64 % 2 == 0 {
            ink
        } else {
            paper
        })
    });
}

/// A QR-looking symbol that is not one: three real finder patterns, separators and timing
/// patterns, random modules everywhere else (format and version areas included), in a quiet
/// zone, at any angle with a little tilt. Error correction can never succeed on it.
fn fake_qr(canvas: &mut Canvas, rng: &mut Rng, scale: f64) {
    let n = 21 + 4 * rng.below(8);
    let quiet = rng.below(4) + 1;
    let total = n + 2 * quiet;
    let module = rng.range(1.8, 7.0) * scale;
    let side = module * total as f64;
    let (w, h) = (canvas.width as f64, canvas.height as f64);
    let reach = side * 0.75;
    let cx = rng.range(reach.min(w / 2.0), (w - reach).max(w / 2.0));
    let cy = rng.range(reach.min(h / 2.0), (h - reach).max(h / 2.0));
    let quad = projected_square(
        cx,
        cy,
        side,
        rng.range(0.0, 2.0 * PI),
        rng.range(-0.3, 0.3),
        rng.range(-0.3, 0.3),
        w,
    );
    let random: Vec<bool> = (0..n * n).map(|_| rng.chance(0.5)).collect();
    let (ink, paper) = inks(rng);
    let is_dark = |x: usize, y: usize| {
        let (Some(x), Some(y)) = (x.checked_sub(quiet), y.checked_sub(quiet)) else {
            return false;
        };
        if x >= n || y >= n {
            return false;
        }
        let finder = |fx: usize, fy: usize| {
            let (dx, dy) = (x.abs_diff(fx + 3), y.abs_diff(fy + 3));
            let d = dx.max(dy);
            (d <= 4).then_some(d != 2 && d != 4)
        };
        for (fx, fy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            if let Some(dark) = finder(fx, fy) {
                return dark;
            }
        }
        if x == 6 || y == 6 {
            return (x + y) % 2 == 0;
        }
        random.get(y * n + x).copied().unwrap_or(false)
    };
    canvas.draw_grid(total, &is_dark, quad, ink, paper);
}
