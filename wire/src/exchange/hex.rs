//! Byte strings as lower-case hex in the JSON of exchanged files (`data-encoding`'s `HEXLOWER`,
//! the workspace's one hex implementation).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that serialise as a lower-case hex string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hex(pub Vec<u8>);

impl std::fmt::Debug for Hex {
    // Exchanged bytes are sealed layers or ids; print only their length.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hex({} bytes)", self.0.len())
    }
}

impl Hex {
    /// The bytes as a fixed-size array; `None` when the length differs.
    pub fn array<const N: usize>(&self) -> Option<[u8; N]> {
        self.0.as_slice().try_into().ok()
    }
}

impl From<&[u8]> for Hex {
    fn from(b: &[u8]) -> Self {
        Self(b.to_vec())
    }
}

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        data_encoding::HEXLOWER
            .decode(s.as_bytes())
            .map(Hex)
            .map_err(|_| serde::de::Error::custom("expected lower-case hex"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_and_refuses_upper_case() {
        let h = Hex(vec![0xab, 0x01]);
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"ab01\"");
        assert_eq!(serde_json::from_str::<Hex>("\"ab01\"").unwrap(), h);
        assert!(serde_json::from_str::<Hex>("\"AB01\"").is_err());
        assert_eq!(format!("{h:?}"), "Hex(2 bytes)");
    }
}
