//! Encoding spur's codes: text to a [`QrMatrix`] with the chosen error correction and quiet zone.

use qrcode::{Color, EcLevel, QrCode, Version};

/// Error correction level of a QR code (the share of the code that may be damaged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecc {
    /// About 7% of codewords may be wrong.
    L,
    /// About 15% of codewords may be wrong.
    M,
    /// About 25% of codewords may be wrong.
    Q,
    /// About 30% of codewords may be wrong.
    H,
}

impl Ecc {
    /// All levels, lowest first.
    pub const ALL: [Ecc; 4] = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H];

    fn to_qrcode(self) -> EcLevel {
        match self {
            Ecc::L => EcLevel::L,
            Ecc::M => EcLevel::M,
            Ecc::Q => EcLevel::Q,
            Ecc::H => EcLevel::H,
        }
    }
}

impl std::fmt::Display for Ecc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Ecc::L => "L",
            Ecc::M => "M",
            Ecc::Q => "Q",
            Ecc::H => "H",
        };
        f.write_str(s)
    }
}

/// How spur draws a code: error correction level and quiet zone (light border) in modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Error correction level.
    pub ecc: Ecc,
    /// Light border around the symbol, in modules.
    pub quiet_zone: u8,
}

impl EncodeOptions {
    /// spur's choice for every code it prints or shows, chosen by `spur bench decode --encoding`
    /// (see `docs/decoding.md`): ECC M with the standard 4-module quiet zone.
    pub const SPUR: EncodeOptions = EncodeOptions {
        ecc: Ecc::M,
        quiet_zone: 4,
    };
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self::SPUR
    }
}

/// Why a text could not be encoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EncodeError {
    /// The text does not fit the largest QR code at this level.
    #[error("the text ({0} bytes) is too long for a QR code at ECC {1}")]
    TooLong(usize, Ecc),
    /// The encoder refused the text for another reason.
    #[error("the QR encoder refused the text: {0}")]
    Refused(String),
}

/// A QR symbol as a grid of modules, plus its quiet zone, ready to be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    version: u8,
    ecc: Ecc,
    quiet_zone: u8,
    size: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// QR version (1–40); version v has 17 + 4v modules per side.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Error correction level.
    pub fn ecc(&self) -> Ecc {
        self.ecc
    }

    /// Quiet zone in modules on each side.
    pub fn quiet_zone(&self) -> usize {
        usize::from(self.quiet_zone)
    }

    /// Modules per side of the symbol, without the quiet zone.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Modules per side including the quiet zone on both sides.
    pub fn total_size(&self) -> usize {
        self.size + 2 * self.quiet_zone()
    }

    /// Whether the module at (x, y) of the symbol (without quiet zone) is dark; false outside.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        if x >= self.size || y >= self.size {
            return false;
        }
        self.dark.get(y * self.size + x).copied().unwrap_or(false)
    }

    /// Whether the module at (x, y) counted from the outer edge of the quiet zone is dark.
    pub fn is_dark_with_quiet_zone(&self, x: usize, y: usize) -> bool {
        let q = self.quiet_zone();
        match (x.checked_sub(q), y.checked_sub(q)) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }
}

/// Encodes `text` with spur's options ([`EncodeOptions::SPUR`]).
pub fn encode(text: &str) -> Result<QrMatrix, EncodeError> {
    encode_with(text, EncodeOptions::SPUR)
}

/// Encodes `text` as the smallest QR code at the given level. The encoder splits the text into
/// optimal segments itself: alphanumeric mode for runs of upper-case letters, digits and
/// ` $%*+-./:`, numeric for long digit runs, byte mode for the rest (for spur's URLs: the
/// scheme, host, path and base32 in alphanumeric, the `#` and the place name in byte mode).
pub fn encode_with(text: &str, options: EncodeOptions) -> Result<QrMatrix, EncodeError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), options.ecc.to_qrcode())
        .map_err(|e| match e {
            qrcode::types::QrError::DataTooLong => EncodeError::TooLong(text.len(), options.ecc),
            other => EncodeError::Refused(other.to_string()),
        })?;
    let version = match code.version() {
        Version::Normal(v) => u8::try_from(v).map_err(|e| EncodeError::Refused(e.to_string()))?,
        Version::Micro(_) => return Err(EncodeError::Refused("micro QR code".into())),
    };
    let size = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok(QrMatrix {
        version,
        ecc: options.ecc,
        quiet_zone: options.quiet_zone,
        size,
        dark,
    })
}
