//! Camera frames: a borrowed view of 8-bit luma rows, checked before any decoder sees them.

/// Largest frame side the decoder accepts, in pixels (a 16K sensor is below this).
pub const MAX_SIDE: usize = 16_384;
/// Largest number of pixels the decoder accepts (about 64 megapixels).
pub const MAX_PIXELS: usize = 64 * 1024 * 1024;

/// How the camera image is rotated relative to the screen, clockwise. QR decoding does not
/// depend on it (codes are found at any angle); it is kept for the positions a shell may draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Rotation {
    /// Upright.
    #[default]
    Deg0,
    /// A quarter turn clockwise.
    Deg90,
    /// Upside down.
    Deg180,
    /// Three quarter turns clockwise.
    Deg270,
}

impl Rotation {
    /// The rotation for a number of degrees; only multiples of 90 are valid.
    pub fn from_degrees(degrees: i32) -> Option<Rotation> {
        match degrees.rem_euclid(360) {
            0 => Some(Rotation::Deg0),
            90 => Some(Rotation::Deg90),
            180 => Some(Rotation::Deg180),
            270 => Some(Rotation::Deg270),
            _ => None,
        }
    }
}

/// One camera frame: the Y (luma) plane as the camera delivers it. `stride` is the distance in
/// bytes between the starts of two rows (at least `width`); the last row may be `width` long.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Bytes from the start of one row to the start of the next.
    pub stride: usize,
    /// The luma bytes, 0 = black, 255 = white.
    pub luma: &'a [u8],
    /// Rotation of the camera image relative to the screen.
    pub rotation: Rotation,
}

/// Why a frame was refused before decoding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Width or height is zero.
    #[error("the frame is empty ({width}×{height})")]
    Empty {
        /// Claimed width.
        width: usize,
        /// Claimed height.
        height: usize,
    },
    /// The frame is larger than [`MAX_SIDE`] or [`MAX_PIXELS`].
    #[error("the frame is too large ({width}×{height})")]
    TooLarge {
        /// Claimed width.
        width: usize,
        /// Claimed height.
        height: usize,
    },
    /// The row stride is smaller than the width.
    #[error("the row stride {stride} is smaller than the width {width}")]
    StrideTooSmall {
        /// Claimed stride.
        stride: usize,
        /// Claimed width.
        width: usize,
    },
    /// The buffer holds fewer bytes than the dimensions need.
    #[error("the frame needs {needed} bytes but has {got}")]
    TooShort {
        /// Bytes the dimensions need.
        needed: usize,
        /// Bytes given.
        got: usize,
    },
}

impl<'a> Frame<'a> {
    /// A frame whose rows follow each other without padding.
    pub fn tight(width: usize, height: usize, luma: &'a [u8]) -> Frame<'a> {
        Frame {
            width,
            height,
            stride: width,
            luma,
            rotation: Rotation::Deg0,
        }
    }

    /// Checks the dimensions against the buffer.
    pub fn validate(&self) -> Result<(), FrameError> {
        let (width, height) = (self.width, self.height);
        if width == 0 || height == 0 {
            return Err(FrameError::Empty { width, height });
        }
        if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
            return Err(FrameError::TooLarge { width, height });
        }
        if self.stride < width {
            return Err(FrameError::StrideTooSmall {
                stride: self.stride,
                width,
            });
        }
        let needed = self.stride.saturating_mul(height - 1).saturating_add(width);
        if self.luma.len() < needed {
            return Err(FrameError::TooShort {
                needed,
                got: self.luma.len(),
            });
        }
        Ok(())
    }

    /// The pixels without row padding, after [`Frame::validate`].
    pub(crate) fn to_tight(self) -> Result<Vec<u8>, FrameError> {
        self.validate()?;
        if self.stride == self.width {
            return Ok(self
                .luma
                .get(..self.width * self.height)
                .unwrap_or_default()
                .to_vec());
        }
        let mut out = Vec::with_capacity(self.width * self.height);
        for row in self.luma.chunks(self.stride).take(self.height) {
            out.extend_from_slice(row.get(..self.width).unwrap_or_default());
        }
        Ok(out)
    }
}
