//! The authority's signed request for a printed card's past TMP keys.
//!
//! An infected person without a smartphone hands the card (and PIN) to the authority. To compute
//! the card's SCAN keys for the past days, the authority needs the TAG server's TMP keys for those
//! slots, which the server evaluates for the past only against this signature. The request
//! carries the card's QR id blinded (RFC 9497 POPRF), so the TAG server learns no QR id here
//! either. The blind is derived from the desk's signing key, the QR id and the request's nonce,
//! so the desk can finish the request later from the request bytes alone (no state to keep).

use crate::directory::Directory;
use crate::error::{ProtocolError, Result};
use crate::keys::SignSecretKey;
use crate::labels::SIGN_TMP_HISTORY;
use crate::tag::{Blinded, QrId, TmpRequest};
use crate::time::{Minute, Slot, RETENTION_DAYS, SLOTS_PER_DAY};
use crate::wire::{Reader, Writer};

/// Encoded size: authority 2, blinded QR id 32, first slot 4, last slot 4, issued 4, nonce 16,
/// signature 64.
pub const HISTORY_REQUEST_LEN: usize = 2 + 32 + 4 + 4 + 4 + 16 + 64;
/// How far the request's time may be from the server's clock, in minutes.
pub const HISTORY_CLOCK_SKEW: u32 = 10;

/// A request for the TMP keys of one code over a range of past slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRequest {
    /// Requesting authority.
    pub authority: u16,
    /// The card's QR id, blinded (a ristretto255 `BlindedElement`; see [`blind_card`]).
    pub blinded: [u8; 32],
    /// First slot wanted.
    pub first: Slot,
    /// Last slot wanted (inclusive).
    pub last: Slot,
    /// When the request was made (replays after the skew window are refused).
    pub issued: Minute,
    /// Random bytes chosen by the authority: two requests for the same card in the same minute
    /// differ, so a card trace can be repeated with a fresh request (the vault uses each request
    /// for one trace only).
    pub nonce: [u8; 16],
}

impl HistoryRequest {
    fn body(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(HISTORY_REQUEST_LEN);
        w.u16(self.authority)
            .bytes(&self.blinded)
            .u32(self.first.0)
            .u32(self.last.0)
            .u32(self.issued.0)
            .bytes(&self.nonce);
        w.into_vec()
    }

    /// Signs with the authority's key: the encoded request.
    pub fn sign(&self, key: &SignSecretKey) -> Vec<u8> {
        let mut b = self.body();
        let sig = key.sign(SIGN_TMP_HISTORY, &b);
        b.extend_from_slice(&sig);
        b
    }

    /// Parses and verifies a signed request against the directory and the clock: the authority
    /// must be listed and have signed it, the request must be recent, and the slots must lie in
    /// the retention window and not in the future.
    pub fn verify(bytes: &[u8], dir: &Directory, now: Minute) -> Result<Self> {
        let req = Self::verify_signed(bytes, dir)?;
        if req.issued.0.abs_diff(now.0) > HISTORY_CLOCK_SKEW {
            return Err(ProtocolError::InvalidField {
                field: "TMP history request",
                reason: "is not recent (clock skew or replay)",
            });
        }
        Ok(req)
    }

    /// Parses and verifies a signed request without a clock: the authority is listed and signed
    /// it, and the slots lie in the 28 days before the request was issued, first before last.
    /// This is what the offline vault checks when an authority traces a card-only person with it
    /// (the vault sees the request days later, so recency is the TAG server's check alone).
    pub fn verify_signed(bytes: &[u8], dir: &Directory) -> Result<Self> {
        crate::wire::expect_len(bytes, HISTORY_REQUEST_LEN, "TMP history request")?;
        let mut r = Reader::new(bytes, "TMP history request");
        let req = Self {
            authority: r.u16()?,
            blinded: r.array()?,
            first: Slot(r.u32()?),
            last: Slot(r.u32()?),
            issued: Minute(r.u32()?),
            nonce: r.array()?,
        };
        let sig: [u8; 64] = r.array()?;
        r.finish()?;
        let auth = dir
            .authority(req.authority)
            .ok_or(ProtocolError::UnknownAuthority(req.authority))?;
        auth.sign
            .verify(SIGN_TMP_HISTORY, &req.body(), &sig, "TMP history request")?;
        let oldest = req
            .issued
            .slot()
            .0
            .saturating_sub(RETENTION_DAYS * SLOTS_PER_DAY);
        if req.first > req.last || req.first.0 < oldest || req.last > req.issued.slot() {
            return Err(ProtocolError::InvalidField {
                field: "TMP history request",
                reason: "slots must be in the past 28 days, first before last",
            });
        }
        Ok(req)
    }

    /// The slots asked for.
    pub fn slots(&self) -> impl Iterator<Item = Slot> {
        (self.first.0..=self.last.0).map(Slot)
    }
}

/// Deterministic bytes for the blind: HKDF-SHA256 blocks of a seed, so the desk derives the same
/// blind again from its key, the QR id and the nonce.
struct SeededRng {
    seed: zeroize::Zeroizing<[u8; 32]>,
    counter: u32,
}

impl rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }
    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(32) {
            self.counter = self.counter.wrapping_add(1);
            let block = crate::crypto::hkdf_expand::<32>(
                self.seed.as_ref(),
                None,
                &[
                    crate::labels::HISTORY_BLIND_BLOCK.as_bytes(),
                    &self.counter.to_be_bytes(),
                ],
            )
            .map(|b| *b)
            .unwrap_or([0; 32]);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> std::result::Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl rand_core::CryptoRng for SeededRng {}

/// The desk's blinding of a card's QR id for one request: the blind comes from
/// `HKDF(desk signing key, "spur/v1/history-blind" || QR id || nonce)`, secret to the desk, fresh
/// per nonce (two requests for one card are unlinkable to the TAG server), and derivable again
/// when the answer comes back.
pub fn blind_card(
    key: &SignSecretKey,
    qr_id: &QrId,
    nonce: &[u8; 16],
) -> Result<(TmpRequest, Blinded)> {
    let seed = crate::crypto::hkdf_expand::<32>(
        key.to_bytes().as_ref(),
        None,
        &[crate::labels::HISTORY_BLIND.as_bytes(), &qr_id.0, nonce],
    )?;
    TmpRequest::new(qr_id, &mut SeededRng { seed, counter: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::tests::sample;

    #[test]
    fn only_a_listed_authority_gets_past_keys() {
        let (_, keys, dir) = sample();
        let now = Minute(29_000_000);
        let req = HistoryRequest {
            authority: 1,
            blinded: blind_card(&keys[0].sign, &QrId([3; 16]), &[9; 16])
                .unwrap()
                .1
                 .0,
            first: Slot(now.slot().0 - 100),
            last: now.slot(),
            issued: now,
            nonce: [9; 16],
        };
        let signed = req.sign(&keys[0].sign);
        assert_eq!(HistoryRequest::verify(&signed, &dir, now).unwrap(), req);
        // signed by the wrong authority's key
        let wrong = req.sign(&keys[1].sign);
        assert!(matches!(
            HistoryRequest::verify(&wrong, &dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        // replayed an hour later
        assert!(HistoryRequest::verify(&signed, &dir, now.plus(60)).is_err());
        // beyond retention
        let old = HistoryRequest {
            first: Slot(now.slot().0 - 29 * 48),
            ..req.clone()
        };
        assert!(HistoryRequest::verify(&old.sign(&keys[0].sign), &dir, now).is_err());
        // altered slot
        let mut t = signed.clone();
        t[20] ^= 1;
        assert!(HistoryRequest::verify(&t, &dir, now).is_err());
        // without a clock (the offline vault): still signed, still within 28 days of `issued`
        assert_eq!(HistoryRequest::verify_signed(&signed, &dir).unwrap(), req);
        assert!(HistoryRequest::verify_signed(&wrong, &dir).is_err());
        assert!(HistoryRequest::verify_signed(&t, &dir).is_err());
        assert!(HistoryRequest::verify_signed(&old.sign(&keys[0].sign), &dir).is_err());
        let future = HistoryRequest {
            last: Slot(now.slot().0 + 1),
            ..req.clone()
        };
        assert!(HistoryRequest::verify_signed(&future.sign(&keys[0].sign), &dir).is_err());
        assert!(HistoryRequest::verify_signed(&signed[..40], &dir).is_err());
        // the same card, slots and minute with another nonce: a different request
        let again = HistoryRequest {
            nonce: [10; 16],
            ..req.clone()
        };
        assert_ne!(again.sign(&keys[0].sign), signed);
        // The blind is the desk's: the same inputs give the same element, another nonce or key another.
        let b = |k: &SignSecretKey, n: u8| blind_card(k, &QrId([3; 16]), &[n; 16]).unwrap().1;
        assert_eq!(b(&keys[0].sign, 9), b(&keys[0].sign, 9));
        assert_ne!(b(&keys[0].sign, 9), b(&keys[0].sign, 10));
        assert_ne!(b(&keys[0].sign, 9), b(&keys[1].sign, 9));
        assert_eq!(
            HistoryRequest::verify_signed(&again.sign(&keys[0].sign), &dir).unwrap(),
            again
        );
    }
}
