//! Hex text of the keys and ids kept inside sealed rows: one codec (`data-encoding`), lower case
//! out, strict in (the core wrote the text itself, so anything else is a damaged row).

use data_encoding::HEXLOWER;

use crate::error::{Error, Result};

/// Lower-case hex of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    HEXLOWER.encode(bytes)
}

/// Exactly `N` bytes from lower-case hex; anything else is [`Error::internal`] naming `what`.
pub(crate) fn decode<const N: usize>(text: &str, what: &'static str) -> Result<[u8; N]> {
    HEXLOWER
        .decode(text.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| Error::internal(what))
}

/// Any number of bytes from lower-case hex; anything else is [`Error::internal`] naming `what`.
pub(crate) fn decode_vec(text: &str, what: &'static str) -> Result<Vec<u8>> {
    HEXLOWER
        .decode(text.as_bytes())
        .map_err(|_| Error::internal(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strict_reading() {
        assert_eq!(encode(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(decode::<3>("00abff", "t").unwrap(), [0x00, 0xab, 0xff]);
        assert!(
            decode::<3>("00ABFF", "t").is_err(),
            "upper case is not ours"
        );
        assert!(decode::<2>("00abff", "t").is_err(), "wrong length");
        assert!(decode::<1>("0", "t").is_err(), "odd length");
        assert_eq!(decode_vec("", "t").unwrap(), Vec::<u8>::new());
    }
}
