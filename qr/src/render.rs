//! Rendering a [`QrMatrix`] to SVG text and to a PNG picture (dark modules on white).

use crate::encode::QrMatrix;

/// Why a matrix could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The requested picture would be too large (more than 16384 pixels per side).
    #[error("a picture of {0} pixels per side is too large")]
    TooLarge(usize),
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Largest side of a rendered picture, in pixels.
const MAX_SIDE: usize = 16_384;

/// SVG document of the code: one path of unit squares, quiet zone included, scalable without
/// blur (`shape-rendering="crispEdges"`); `module_px` sets the default displayed size.
pub fn to_svg(matrix: &QrMatrix, module_px: u32) -> String {
    let n = matrix.total_size();
    let q = matrix.quiet_zone();
    let px = n as u64 * u64::from(module_px.max(1));
    let mut path = String::new();
    for y in 0..matrix.size() {
        let mut x = 0;
        while x < matrix.size() {
            if matrix.is_dark(x, y) {
                let start = x;
                while x < matrix.size() && matrix.is_dark(x, y) {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + q,
                    y + q,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{px}\" height=\"{px}\" \
         viewBox=\"0 0 {n} {n}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>\n"
    )
}

/// 8-bit grey pixels of the code, `module_px` pixels per module, quiet zone included.
pub fn to_luma(matrix: &QrMatrix, module_px: u32) -> Result<(usize, Vec<u8>), RenderError> {
    let m = module_px.max(1) as usize;
    let n = matrix.total_size();
    let side = n.saturating_mul(m);
    if side > MAX_SIDE {
        return Err(RenderError::TooLarge(side));
    }
    let mut pixels = vec![255u8; side * side];
    for (i, px) in pixels.iter_mut().enumerate() {
        let (x, y) = ((i % side) / m, (i / side) / m);
        if matrix.is_dark_with_quiet_zone(x, y) {
            *px = 0;
        }
    }
    Ok((side, pixels))
}

/// PNG file (8-bit grey) of the code, `module_px` pixels per module, quiet zone included.
pub fn to_png(matrix: &QrMatrix, module_px: u32) -> Result<Vec<u8>, RenderError> {
    let (side, pixels) = to_luma(matrix, module_px)?;
    let mut out = Vec::new();
    let side32 = u32::try_from(side).map_err(|_| RenderError::TooLarge(side))?;
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &pixels,
        side32,
        side32,
        image::ExtendedColorType::L8,
    )
    .map_err(|e| RenderError::Png(e.to_string()))?;
    Ok(out)
}
