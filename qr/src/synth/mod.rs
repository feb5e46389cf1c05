//! The seeded synthetic corpus shared by the decode tests and `spur bench decode`: camera-like
//! frames per category (nominal, rotation, perspective, blur, …), with the text each one holds.

mod canvas;
mod clutter;
mod geometry;
mod payload;
mod rng;

pub use payload::{foreign_text, longest_place_text, place_url, spur_text};
pub use rng::Rng;

use crate::encode::{encode_with, EncodeOptions};
use canvas::{jpeg_roundtrip, Canvas};
use geometry::projected_square;
use std::f64::consts::PI;

/// What a frame shows and how it is degraded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// A spur code, near upright, sharp, well lit.
    Nominal,
    /// Turned by any angle in the image plane.
    Rotation,
    /// Tilted up to about 50° out of the image plane.
    Perspective,
    /// Out of focus (Gaussian blur up to about half a module).
    Blur,
    /// Strong sensor noise.
    Noise,
    /// Dark and light modules only 12–40 grey levels apart.
    LowContrast,
    /// A shadow edge or a strong light gradient across the code.
    UnevenLight,
    /// A saturated reflection over part of the code.
    Glare,
    /// Heavy JPEG compression (quality 15–45).
    Jpeg,
    /// Small in the frame: 1.8–2.8 pixels per module.
    Small,
    /// No code at all (cluttered scenes).
    NoCode,
    /// A readable code that is not spur's (menu link, Wi-Fi, vCard, text).
    Foreign,
    /// No code, heavy clutter: print, barcodes, stripes, circles, checkerboards and fake QR
    /// symbols with real finder and timing patterns (what a camera sees most of the time).
    Clutter,
    /// A spur code among the same heavy clutter.
    ClutterCode,
    /// Small (1.8–2.8 pixels per module) and turned by any angle.
    SmallRotated,
}

impl Category {
    /// Every category, in table order.
    pub const ALL: [Category; 15] = [
        Category::Nominal,
        Category::Rotation,
        Category::Perspective,
        Category::Blur,
        Category::Noise,
        Category::LowContrast,
        Category::UnevenLight,
        Category::Glare,
        Category::Jpeg,
        Category::Small,
        Category::NoCode,
        Category::Foreign,
        Category::Clutter,
        Category::ClutterCode,
        Category::SmallRotated,
    ];

    /// Short name used in tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Category::Nominal => "nominal",
            Category::Rotation => "rotation",
            Category::Perspective => "perspective",
            Category::Blur => "blur",
            Category::Noise => "noise",
            Category::LowContrast => "low_contrast",
            Category::UnevenLight => "uneven_light",
            Category::Glare => "glare",
            Category::Jpeg => "jpeg",
            Category::Small => "small",
            Category::NoCode => "no_code",
            Category::Foreign => "foreign",
            Category::Clutter => "clutter",
            Category::ClutterCode => "clutter_code",
            Category::SmallRotated => "small_rotated",
        }
    }

    /// Whether frames of this category hold a code.
    pub fn has_code(self) -> bool {
        !matches!(self, Category::NoCode | Category::Clutter)
    }

    /// Whether the scene is heavily cluttered.
    pub fn cluttered(self) -> bool {
        matches!(self, Category::Clutter | Category::ClutterCode)
    }

    /// The category with this [`Category::name`].
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One generated frame and the text it holds.
pub struct Sample {
    /// Category of the frame.
    pub category: Category,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// 8-bit luma, rows without padding.
    pub luma: Vec<u8>,
    /// The text of the code in the frame, if there is one.
    pub expected: Option<String>,
    /// QR version of the code in the frame, if there is one.
    pub version: Option<u8>,
}

/// Draws frame `index` of `category` at `width`×`height`, deterministic in `seed`; spur codes
/// are drawn with `options`.
pub fn generate(
    category: Category,
    width: usize,
    height: usize,
    seed: u64,
    index: u64,
    options: EncodeOptions,
) -> Sample {
    let cat_no = Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or(0) as u64;
    let mut rng = Rng::new(
        seed ^ (cat_no << 48) ^ ((width as u64) << 32) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let canvas = scene(category, width, height, &mut rng);
    let text = match category {
        _ if !category.has_code() => None,
        Category::Foreign => Some(foreign_text(&mut rng)),
        _ => Some(spur_text(&mut rng)),
    };
    render(category, width, height, canvas, rng, text, options)
}

/// Draws a camera frame of `category` holding `text` (a code the caller made, e.g. in
/// `spur demo`), deterministic in `seed`, with spur's encoding options.
pub fn frame_for(text: &str, category: Category, width: usize, height: usize, seed: u64) -> Sample {
    let mut rng = Rng::new(seed ^ 0x5EED_F0F0_1234_5678);
    let canvas = scene(category, width, height, &mut rng);
    render(
        category,
        width,
        height,
        canvas,
        rng,
        Some(text.to_owned()),
        EncodeOptions::SPUR,
    )
}

/// The background of a frame: a lit wall or desk, and heavy clutter in the cluttered
/// categories (drawn after the background, so the other categories' frames are unchanged).
fn scene(category: Category, width: usize, height: usize, rng: &mut Rng) -> Canvas {
    let mut canvas = Canvas::background(width, height, rng);
    if category.cluttered() {
        clutter::clutter(&mut canvas, rng);
    }
    canvas
}

/// Draws `text` (if any) into `canvas` and degrades the frame according to `category`.
fn render(
    category: Category,
    width: usize,
    height: usize,
    mut canvas: Canvas,
    mut rng: Rng,
    text: Option<String>,
    options: EncodeOptions,
) -> Sample {
    let mut version = None;
    if let Some(t) = &text {
        let opts = if category == Category::Foreign {
            EncodeOptions {
                ecc: crate::encode::Ecc::ALL[rng.below(4)],
                quiet_zone: 4,
            }
        } else {
            options
        };
        match encode_with(t, opts) {
            Ok(matrix) => {
                version = Some(matrix.version());
                draw(&mut canvas, &matrix, category, &mut rng);
            }
            Err(_) => return empty(category, width, height),
        }
    }
    // Sensor noise on every frame; the noise category gets much more.
    let sigma = if category == Category::Noise {
        rng.range(14.0, 30.0)
    } else {
        rng.range(1.0, 3.0)
    };
    canvas.noise(sigma, &mut rng);
    let mut luma = canvas.to_luma();
    if category == Category::Jpeg {
        let quality = rng.range(15.0, 45.0) as u8;
        match jpeg_roundtrip(width, height, &luma, quality) {
            Some(l) if l.len() == luma.len() => luma = l,
            _ => return empty(category, width, height),
        }
    }
    Sample {
        category,
        width,
        height,
        luma,
        expected: text,
        version,
    }
}

fn empty(category: Category, width: usize, height: usize) -> Sample {
    Sample {
        category,
        width,
        height,
        luma: vec![128; width * height],
        expected: None,
        version: None,
    }
}

/// Places and degrades the code according to the category.
fn draw(canvas: &mut Canvas, matrix: &crate::encode::QrMatrix, category: Category, rng: &mut Rng) {
    let (w, h) = (canvas.width as f64, canvas.height as f64);
    // Module size in pixels: scaled with the frame height, except for small codes.
    let scale = h / 720.0;
    // The code's size in the frame is drawn for a version-7 code with a 4-module quiet zone
    // (53 modules); a larger version or quiet zone at the same size gets smaller modules,
    // as a printed code of a given size would.
    let reference_module = match category {
        Category::Small | Category::SmallRotated => rng.range(1.8, 2.8),
        _ => rng.range(3.5, 7.0) * scale,
    };
    let side = 53.0 * reference_module;
    let module = side / matrix.total_size() as f64;
    let angle = match category {
        Category::Rotation | Category::Perspective | Category::SmallRotated => {
            rng.range(0.0, 2.0 * PI)
        }
        _ => rng.range(-8.0, 8.0).to_radians(),
    };
    let (yaw, pitch) = if category == Category::Perspective {
        let a = rng.range(25.0, 50.0).to_radians() * if rng.chance(0.5) { 1.0 } else { -1.0 };
        let b = rng.range(0.0, 30.0).to_radians() * if rng.chance(0.5) { 1.0 } else { -1.0 };
        if rng.chance(0.5) {
            (a, b)
        } else {
            (b, a)
        }
    } else {
        (rng.range(-0.1, 0.1), rng.range(-0.1, 0.1))
    };
    let reach = side * 0.75;
    let cx = rng.range(reach.min(w / 2.0), (w - reach).max(w / 2.0));
    let cy = rng.range(reach.min(h / 2.0), (h - reach).max(h / 2.0));
    let quad = projected_square(cx, cy, side, angle, yaw, pitch, w);
    let (dark, light) = match category {
        Category::LowContrast => {
            let mid = rng.range(70.0, 180.0);
            let gap = rng.range(12.0, 40.0);
            (mid - gap / 2.0, mid + gap / 2.0)
        }
        _ => (rng.range(10.0, 60.0), rng.range(180.0, 245.0)),
    };
    let rect = canvas.draw_code(matrix, quad, dark as f32, light as f32);
    match category {
        Category::Blur => {
            let sigma = module * rng.range(0.25, 0.5);
            canvas.blur(sigma, rect);
        }
        Category::UnevenLight => {
            let (sin, cos) = rng.range(0.0, 2.0 * PI).sin_cos();
            let low = rng.range(0.2, 0.4);
            if rng.chance(0.5) {
                // A hard shadow edge through the code.
                let off = rng.range(-0.3, 0.3) * side;
                canvas.light(|x, y| {
                    let d = (x - cx) * cos + (y - cy) * sin - off;
                    if d < 0.0 {
                        low
                    } else {
                        1.0
                    }
                });
            } else {
                // A steep gradient across the code.
                canvas.light(|x, y| {
                    let d = ((x - cx) * cos + (y - cy) * sin) / side + 0.5;
                    low + (1.0 - low) * d.clamp(0.0, 1.0)
                });
            }
        }
        Category::Glare => {
            let r = side * rng.range(0.08, 0.16);
            let gx = cx + rng.range(-0.3, 0.3) * side;
            let gy = cy + rng.range(-0.3, 0.3) * side;
            canvas.glare(gx, gy, r * rng.range(1.0, 1.8), r, rng.range(150.0, 255.0));
        }
        _ => {}
    }
}
