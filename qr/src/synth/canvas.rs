//! A grey canvas in floating point with the drawing and degradation steps of the corpus.

use super::geometry::Homography;
use super::rng::Rng;
use crate::encode::QrMatrix;

/// A grey image, 0.0 = black, 255.0 = white.
pub struct Canvas {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Row-major pixels.
    pub pixels: Vec<f32>,
}

/// A pixel rectangle: x0, y0 inclusive, x1, y1 exclusive.
pub type Rect = (usize, usize, usize, usize);

impl Canvas {
    /// A cluttered background: a lit wall or desk with a gradient, posters and print-like marks.
    pub fn background(width: usize, height: usize, rng: &mut Rng) -> Canvas {
        let base = rng.range(70.0, 190.0) as f32;
        let gx = rng.range(-60.0, 60.0) as f32 / width as f32;
        let gy = rng.range(-60.0, 60.0) as f32 / height as f32;
        let mut pixels = vec![0f32; width * height];
        for (i, p) in pixels.iter_mut().enumerate() {
            let (x, y) = ((i % width) as f32, (i / width) as f32);
            *p = base + gx * x + gy * y;
        }
        let mut canvas = Canvas {
            width,
            height,
            pixels,
        };
        // Posters and furniture: large flat rectangles.
        for _ in 0..rng.below(6) + 2 {
            let w = rng.range(0.05, 0.4) * width as f64;
            let h = rng.range(0.05, 0.4) * height as f64;
            let x = rng.range(0.0, width as f64 - w);
            let y = rng.range(0.0, height as f64 - h);
            let v = rng.range(20.0, 240.0) as f32;
            canvas.fill(
                x as usize,
                y as usize,
                (x + w) as usize,
                (y + h) as usize,
                v,
            );
        }
        // Print: rows of small dark marks like words on a sign.
        for _ in 0..rng.below(4) {
            let x0 = rng.range(0.0, 0.7) * width as f64;
            let y0 = rng.range(0.0, 0.8) * height as f64;
            let glyph = rng.range(3.0, 14.0);
            let v = rng.range(0.0, 80.0) as f32;
            for line in 0..rng.below(6) + 1 {
                let y = y0 + line as f64 * glyph * 1.8;
                let mut x = x0;
                for _ in 0..rng.below(40) + 5 {
                    let w = glyph * rng.range(0.3, 1.0);
                    if rng.chance(0.8) {
                        canvas.fill(
                            x as usize,
                            y as usize,
                            (x + w) as usize,
                            (y + glyph) as usize,
                            v,
                        );
                    }
                    x += w + glyph * 0.3;
                }
            }
        }
        // Tiles or blinds: a periodic pattern that a sloppy detector might take for modules.
        if rng.chance(0.5) {
            let cell = rng.range(4.0, 20.0);
            let x0 = rng.range(0.0, 0.6) * width as f64;
            let y0 = rng.range(0.0, 0.6) * height as f64;
            let (w, h) = (
                rng.range(0.1, 0.4) * width as f64,
                rng.range(0.1, 0.4) * height as f64,
            );
            let (a, b) = (rng.range(0.0, 120.0) as f32, rng.range(130.0, 255.0) as f32);
            let mut y = y0;
            while y < y0 + h {
                let mut x = x0;
                while x < x0 + w {
                    let odd = (((x - x0) / cell) as usize + ((y - y0) / cell) as usize) % 2 == 1;
                    let v = if odd { a } else { b };
                    canvas.fill(
                        x as usize,
                        y as usize,
                        (x + cell) as usize,
                        (y + cell) as usize,
                        v,
                    );
                    x += cell;
                }
                y += cell;
            }
        }
        canvas
    }

    /// Fills a rectangle (clipped to the canvas) with one value.
    pub fn fill(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, v: f32) {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        for y in y0.min(y1)..y1 {
            let row = y * self.width;
            if let Some(s) = self.pixels.get_mut(row + x0.min(x1)..row + x1) {
                s.fill(v);
            }
        }
    }

    /// Draws `matrix` (quiet zone included, as light paper) into the quadrilateral `quad`
    /// (corners of the outer quiet-zone edge, clockwise from top-left), with 4×4 supersampling.
    /// Returns the bounding rectangle it touched.
    pub fn draw_code(
        &mut self,
        matrix: &QrMatrix,
        quad: [(f64, f64); 4],
        dark: f32,
        light: f32,
    ) -> Rect {
        self.draw_grid(
            matrix.total_size(),
            &|x, y| matrix.is_dark_with_quiet_zone(x, y),
            quad,
            dark,
            light,
        )
    }

    /// Draws an `n`×`n` grid of modules (`is_dark(x, y)`) into the quadrilateral `quad`, with
    /// 4×4 supersampling. Returns the bounding rectangle it touched.
    pub fn draw_grid(
        &mut self,
        n: usize,
        is_dark: &dyn Fn(usize, usize) -> bool,
        quad: [(f64, f64); 4],
        dark: f32,
        light: f32,
    ) -> Rect {
        let n = n as f64;
        let inv = Homography::square_to_quad(quad).inverse();
        let rect = self.bounds(&quad, 1.0);
        let (x0, y0, x1, y1) = rect;
        const S: usize = 4;
        for y in y0..y1 {
            for x in x0..x1 {
                let mut inside = 0usize;
                let mut dark_hits = 0usize;
                for sy in 0..S {
                    for sx in 0..S {
                        let px = x as f64 + (sx as f64 + 0.5) / S as f64;
                        let py = y as f64 + (sy as f64 + 0.5) / S as f64;
                        let (u, v) = inv.apply(px, py);
                        if (0.0..1.0).contains(&u) && (0.0..1.0).contains(&v) {
                            inside += 1;
                            if is_dark((u * n) as usize, (v * n) as usize) {
                                dark_hits += 1;
                            }
                        }
                    }
                }
                if inside == 0 {
                    continue;
                }
                let cover = inside as f32 / (S * S) as f32;
                let paper = light + (dark - light) * dark_hits as f32 / inside as f32;
                if let Some(p) = self.pixels.get_mut(y * self.width + x) {
                    *p = *p * (1.0 - cover) + paper * cover;
                }
            }
        }
        rect
    }

    /// Paints the pixels of `rect` for which `shade(x, y)` gives a grey value (pixel centres).
    pub fn paint(&mut self, rect: Rect, shade: impl Fn(f64, f64) -> Option<f32>) {
        let (x0, y0, x1, y1) = rect;
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        for y in y0.min(y1)..y1 {
            for x in x0.min(x1)..x1 {
                if let Some(v) = shade(x as f64 + 0.5, y as f64 + 0.5) {
                    if let Some(p) = self.pixels.get_mut(y * self.width + x) {
                        *p = v;
                    }
                }
            }
        }
    }

    /// Bounding rectangle of a quadrilateral plus `margin` pixels, clipped to the canvas.
    pub fn bounds(&self, quad: &[(f64, f64); 4], margin: f64) -> Rect {
        let clip = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let xs = quad.iter().map(|p| p.0);
        let ys = quad.iter().map(|p| p.1);
        let (xmin, xmax) = xs.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (ymin, ymax) = ys.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        (
            clip(xmin - margin, self.width),
            clip(ymin - margin, self.height),
            clip(xmax + margin + 1.0, self.width),
            clip(ymax + margin + 1.0, self.height),
        )
    }

    /// Multiplies every pixel by a light field `f(x, y)`.
    pub fn light(&mut self, f: impl Fn(f64, f64) -> f64) {
        let w = self.width;
        for (i, p) in self.pixels.iter_mut().enumerate() {
            *p *= f((i % w) as f64, (i / w) as f64) as f32;
        }
    }

    /// Adds a soft bright spot (a reflection) of the given radius and strength.
    pub fn glare(&mut self, cx: f64, cy: f64, rx: f64, ry: f64, strength: f64) {
        let quad = [
            (cx - rx * 2.0, cy - ry * 2.0),
            (cx + rx * 2.0, cy + ry * 2.0),
            (cx, cy),
            (cx, cy),
        ];
        let (x0, y0, x1, y1) = self.bounds(&quad, 0.0);
        for y in y0..y1 {
            for x in x0..x1 {
                let d = ((x as f64 - cx) / rx).powi(2) + ((y as f64 - cy) / ry).powi(2);
                // Flat saturated core, smooth falloff.
                let a = if d < 1.0 {
                    1.0
                } else {
                    (-(d - 1.0) * 2.0).exp()
                };
                if let Some(p) = self.pixels.get_mut(y * self.width + x) {
                    *p += (strength * a) as f32;
                }
            }
        }
    }

    /// Gaussian blur of standard deviation `sigma` inside `rect` (separable, clamped edges).
    pub fn blur(&mut self, sigma: f64, rect: Rect) {
        let r = (sigma * 3.0).ceil() as isize;
        let kernel: Vec<f32> = (-r..=r)
            .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
            .collect();
        let sum: f32 = kernel.iter().sum();
        let kernel: Vec<f32> = kernel.iter().map(|k| k / sum).collect();
        let (x0, y0, x1, y1) = rect;
        let (w, h) = (self.width as isize, self.height as isize);
        let src = self.pixels.clone();
        let at = |buf: &[f32], x: isize, y: isize| {
            buf.get((y.clamp(0, h - 1) * w + x.clamp(0, w - 1)) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let mut tmp = src.clone();
        for y in y0..y1 {
            for x in x0..x1 {
                let v: f32 = kernel
                    .iter()
                    .zip(-r..=r)
                    .map(|(k, d)| k * at(&src, x as isize + d, y as isize))
                    .sum();
                if let Some(p) = tmp.get_mut(y * self.width + x) {
                    *p = v;
                }
            }
        }
        for y in y0..y1 {
            for x in x0..x1 {
                let v: f32 = kernel
                    .iter()
                    .zip(-r..=r)
                    .map(|(k, d)| k * at(&tmp, x as isize, y as isize + d))
                    .sum();
                if let Some(p) = self.pixels.get_mut(y * self.width + x) {
                    *p = v;
                }
            }
        }
    }

    /// Adds Gaussian sensor noise of standard deviation `sigma` to every pixel.
    pub fn noise(&mut self, sigma: f64, rng: &mut Rng) {
        for p in &mut self.pixels {
            *p += (rng.normal() * sigma) as f32;
        }
    }

    /// The canvas as 8-bit luma, clamped and rounded.
    pub fn to_luma(&self) -> Vec<u8> {
        self.pixels
            .iter()
            .map(|p| p.round().clamp(0.0, 255.0) as u8)
            .collect()
    }
}

/// Encodes luma as JPEG at `quality` and decodes it again (block artefacts, ringing).
pub fn jpeg_roundtrip(width: usize, height: usize, luma: &[u8], quality: u8) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality);
    image::ImageEncoder::write_image(
        enc,
        luma,
        width as u32,
        height as u32,
        image::ExtendedColorType::L8,
    )
    .ok()?;
    let img = image::load_from_memory_with_format(&buf, image::ImageFormat::Jpeg).ok()?;
    Some(img.to_luma8().into_raw())
}
