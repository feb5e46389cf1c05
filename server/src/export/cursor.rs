//! The export cursor: an opaque, URL-safe string for the operator's vault that encodes the
//! position in (day, kind, key) order from which the next pull continues.

use data_encoding::BASE64URL_NOPAD;

use crate::error::ApiError;
use crate::store::Position;
use spur_wire::api::error::ErrorCode;

const CURSOR_VERSION: u8 = 1;

/// Encodes a position as a cursor.
pub fn encode(p: &Position) -> String {
    let key_len = u8::try_from(p.key.len()).unwrap_or(u8::MAX);
    let mut v = vec![CURSOR_VERSION];
    v.extend_from_slice(&p.day.to_be_bytes());
    v.push(p.kind);
    v.push(key_len);
    v.extend_from_slice(p.key.get(..usize::from(key_len)).unwrap_or(&p.key));
    BASE64URL_NOPAD.encode(&v)
}

/// Decodes a cursor made by [`encode`].
pub fn decode(s: &str) -> Result<Position, ApiError> {
    let bad = || {
        ApiError::bad_request(
            ErrorCode::BadCursor,
            "the cursor is not one this server issued",
        )
    };
    let v = BASE64URL_NOPAD.decode(s.as_bytes()).map_err(|_| bad())?;
    let (head, key) = v.split_at_checked(7).ok_or_else(bad)?;
    let [ver, d0, d1, d2, d3, kind, key_len] = <[u8; 7]>::try_from(head).map_err(|_| bad())?;
    if ver != CURSOR_VERSION || usize::from(key_len) != key.len() {
        return Err(bad());
    }
    Ok(Position {
        day: u32::from_be_bytes([d0, d1, d2, d3]),
        kind,
        key: key.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusal() {
        let p = Position {
            day: 20_123,
            kind: 5,
            key: vec![9; 32],
        };
        assert_eq!(decode(&encode(&p)).unwrap(), p);
        assert_eq!(
            decode(&encode(&Position::default())).unwrap(),
            Position::default()
        );
        for bad in ["", "!!", "AQ", "AgAAAAAAAA"] {
            assert_eq!(decode(bad).unwrap_err().code, "bad_cursor", "{bad}");
        }
    }
}
