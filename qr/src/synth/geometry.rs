//! Where a code lands in a frame: homographies from the code's square to a quadrilateral.

/// A 3×3 projective transform, row-major.
#[derive(Clone, Copy, Debug)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// Maps the unit square's corners (0,0), (1,0), (1,1), (0,1) to `q` (Heckbert's formula).
    pub fn square_to_quad(q: [(f64, f64); 4]) -> Homography {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = q;
        let dx3 = x0 - x1 + x2 - x3;
        let dy3 = y0 - y1 + y2 - y3;
        if dx3.abs() < 1e-12 && dy3.abs() < 1e-12 {
            return Homography([x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0.0, 0.0, 1.0]);
        }
        let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
        let den = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / den;
        let h = (dx1 * dy3 - dx3 * dy1) / den;
        Homography([
            x1 - x0 + g * x1,
            x3 - x0 + h * x3,
            x0,
            y1 - y0 + g * y1,
            y3 - y0 + h * y3,
            y0,
            g,
            h,
            1.0,
        ])
    }

    /// The inverse transform (adjugate; scale does not matter for a homography).
    pub fn inverse(&self) -> Homography {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        Homography([
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ])
    }

    /// Applies the transform to a point.
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let w = g * x + h * y + i;
        ((a * x + b * y + c) / w, (d * x + e * y + f) / w)
    }
}

/// Corners of a square of side `side` pixels centred at `(cx, cy)`, turned by `angle` radians
/// in the image plane and tilted by `yaw` and `pitch` radians out of it (pinhole camera with
/// focal length `focal` pixels), in the order top-left, top-right, bottom-right, bottom-left.
pub fn projected_square(
    cx: f64,
    cy: f64,
    side: f64,
    angle: f64,
    yaw: f64,
    pitch: f64,
    focal: f64,
) -> [(f64, f64); 4] {
    let h = side / 2.0;
    let corners = [(-h, -h), (h, -h), (h, h), (-h, h)];
    corners.map(|(x, y)| {
        // Tilt in 3-D: yaw about the vertical axis, then pitch about the horizontal one.
        let (x1, z1) = (x * yaw.cos(), x * yaw.sin());
        let (y2, z2) = (
            y * pitch.cos() - z1 * pitch.sin(),
            y * pitch.sin() + z1 * pitch.cos(),
        );
        let s = focal / (focal + z2);
        let (px, py) = (x1 * s, y2 * s);
        // Turn in the image plane.
        let (sin, cos) = angle.sin_cos();
        (cx + px * cos - py * sin, cy + px * sin + py * cos)
    })
}
