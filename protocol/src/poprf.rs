//! RFC 9497 POPRF, ciphersuite ristretto255-SHA512, as spur uses it: a thin typed layer over
//! the `voprf` crate with fixed-size byte forms (32-byte elements, 64-byte proofs) and typed
//! errors. Randomness is a parameter, so the RFC's Appendix A vectors run through this code.
//!
//! The TMP-key meaning (private input = QR id, public info = slot) lives in `tag.rs`; this file
//! knows only inputs, infos, elements and proofs.

use rand_core::{CryptoRng, RngCore};
use voprf::{BlindedElement, EvaluationElement, Group, PoprfClient, PoprfServer, Proof};

use crate::error::{ProtocolError, Result};

/// The ciphersuite: ristretto255 with SHA-512 (RFC 9497 §4.1).
type Suite = voprf::Ristretto255;

/// Encoded width of a group element (blinded, evaluated, public key).
pub const ELEMENT_LEN: usize = 32;
/// Encoded width of a DLEQ proof (two scalars).
pub const PROOF_LEN: usize = 64;
/// Width of a POPRF output (SHA-512).
pub const OUTPUT_LEN: usize = 64;

/// A POPRF public key: a ristretto255 element, checked to decode and not be the identity.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct PoprfPublicKey([u8; ELEMENT_LEN]);

impl PoprfPublicKey {
    /// Parses and checks an encoded key.
    pub fn from_bytes(b: [u8; ELEMENT_LEN]) -> Result<Self> {
        element(&b, "POPRF public key")?;
        Ok(Self(b))
    }

    /// The encoded key.
    pub fn to_bytes(&self) -> [u8; ELEMENT_LEN] {
        self.0
    }
}

/// Decodes a ristretto255 element; the identity and non-canonical encodings are refused.
fn element(
    b: &[u8],
    what: &'static str,
) -> Result<<<Suite as voprf::CipherSuite>::Group as Group>::Elem> {
    <<Suite as voprf::CipherSuite>::Group as Group>::deserialize_elem(b)
        .map_err(|_| ProtocolError::WeakKey { what })
}

fn elem_bytes(e: <<Suite as voprf::CipherSuite>::Group as Group>::Elem) -> [u8; ELEMENT_LEN] {
    let g = <<Suite as voprf::CipherSuite>::Group as Group>::serialize_elem(e);
    let mut out = [0u8; ELEMENT_LEN];
    out.copy_from_slice(&g);
    out
}

/// A blinded input as sent to the server (`BlindedElement`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Blinded(pub [u8; ELEMENT_LEN]);

/// The server's evaluation of one blinded input under one info, with its DLEQ proof.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Evaluation {
    /// `EvaluationElement`.
    pub element: [u8; ELEMENT_LEN],
    /// The proof that `element` was made with the key behind the public key and this info.
    pub proof: [u8; PROOF_LEN],
}

/// The server side: the POPRF private key (zeroized on drop by the crate).
pub struct PoprfKey(PoprfServer<Suite>);

impl PoprfKey {
    /// `DeriveKeyPair(seed, info)` of RFC 9497 §3.2.1.
    pub fn derive(seed: &[u8; 32], key_info: &[u8]) -> Result<Self> {
        PoprfServer::new_from_seed(seed, key_info)
            .map(Self)
            .map_err(|_| ProtocolError::KeyDerivation)
    }

    /// The public key clients pin.
    pub fn public(&self) -> PoprfPublicKey {
        PoprfPublicKey(elem_bytes(self.0.get_public_key()))
    }

    /// `BlindEvaluate` of several blinded inputs under one `info`, with one batched proof.
    /// A blinded element that does not decode (or is the identity) is refused as a whole.
    pub fn evaluate<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
        blinded: &[Blinded],
        info: &[u8],
    ) -> Result<(Vec<[u8; ELEMENT_LEN]>, [u8; PROOF_LEN])> {
        let elems = blinded
            .iter()
            .map(|b| BlindedElement::<Suite>::deserialize(&b.0))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| ProtocolError::InvalidField {
                field: "blinded element",
                reason: "is not a ristretto255 element",
            })?;
        let r = self
            .0
            .batch_blind_evaluate(rng, &elems, Some(info))
            .map_err(|_| ProtocolError::InvalidField {
                field: "POPRF evaluation",
                reason: "the info or the batch is out of range",
            })?;
        let out = r
            .messages
            .iter()
            .map(|m| {
                let mut e = [0u8; ELEMENT_LEN];
                e.copy_from_slice(&m.serialize());
                e
            })
            .collect();
        let mut proof = [0u8; PROOF_LEN];
        proof.copy_from_slice(&r.proof.serialize());
        Ok((out, proof))
    }

    /// `Evaluate` without blinding (the server's own view of the PRF): for tests and benches
    /// that compare it with the client's result.
    pub fn evaluate_unblinded(&self, input: &[u8], info: &[u8]) -> Result<[u8; OUTPUT_LEN]> {
        let o = self
            .0
            .evaluate(input, Some(info))
            .map_err(|_| ProtocolError::KeyDerivation)?;
        let mut out = [0u8; OUTPUT_LEN];
        out.copy_from_slice(&o);
        Ok(out)
    }
}

/// The client side of one blinded input: its blind (zeroized on drop by the crate).
pub struct Blind(PoprfClient<Suite>);

impl Blind {
    /// `Blind(input)`: a fresh blind from `rng` and the element to send.
    pub fn new<R: RngCore + CryptoRng>(input: &[u8], rng: &mut R) -> Result<(Self, Blinded)> {
        let r =
            PoprfClient::<Suite>::blind(input, rng).map_err(|_| ProtocolError::InvalidField {
                field: "POPRF input",
                reason: "must be 1 to 65535 bytes",
            })?;
        let mut b = [0u8; ELEMENT_LEN];
        b.copy_from_slice(&r.message.serialize());
        Ok((Self(r.state), Blinded(b)))
    }

    /// `Finalize`: checks the server's proof against `pk` and `info`, unblinds and hashes.
    /// A proof that does not verify is [`ProtocolError::BadPoprfProof`], never a panic.
    pub fn finalize(
        &self,
        input: &[u8],
        evaluation: &Evaluation,
        pk: &PoprfPublicKey,
        info: &[u8],
    ) -> Result<[u8; OUTPUT_LEN]> {
        let outs = Self::finalize_batch(
            std::slice::from_ref(self),
            &[input],
            &[evaluation.element],
            &evaluation.proof,
            pk,
            info,
        )?;
        outs.into_iter().next().ok_or(ProtocolError::BadPoprfProof)
    }

    /// `Finalize` of a batch evaluated under one info with one proof.
    pub fn finalize_batch(
        blinds: &[Self],
        inputs: &[&[u8]],
        elements: &[[u8; ELEMENT_LEN]],
        proof: &[u8; PROOF_LEN],
        pk: &PoprfPublicKey,
        info: &[u8],
    ) -> Result<Vec<[u8; OUTPUT_LEN]>> {
        if blinds.len() != inputs.len() || blinds.len() != elements.len() || blinds.is_empty() {
            return Err(ProtocolError::BadPoprfProof);
        }
        let msgs = elements
            .iter()
            .map(|e| EvaluationElement::<Suite>::deserialize(e))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| ProtocolError::BadPoprfProof)?;
        let proof = Proof::<Suite>::deserialize(proof).map_err(|_| ProtocolError::BadPoprfProof)?;
        let pk = element(&pk.0, "POPRF public key")?;
        let clients: Vec<PoprfClient<Suite>> = blinds.iter().map(|b| b.0.clone()).collect();
        let outs = PoprfClient::batch_finalize(
            inputs.iter().copied(),
            &clients,
            &msgs,
            &proof,
            pk,
            Some(info),
        )
        .map_err(|_| ProtocolError::BadPoprfProof)?;
        outs.map(|o| {
            let o = o.map_err(|_| ProtocolError::BadPoprfProof)?;
            let mut out = [0u8; OUTPUT_LEN];
            out.copy_from_slice(&o);
            Ok(out)
        })
        .collect()
    }
}

/// The raw ristretto255 operations the POPRF is made of, for benchmarks that set its cost
/// beside them: `HashToGroup` of RFC 9497 (hash_to_ristretto255 with SHA-512) and a
/// variable-base scalar multiplication.
pub mod primitives {
    use super::*;

    /// A group element to multiply in benchmarks.
    pub struct Point(<<Suite as voprf::CipherSuite>::Group as Group>::Elem);
    /// A scalar to multiply by in benchmarks.
    pub struct Scalar(<<Suite as voprf::CipherSuite>::Group as Group>::Scalar);

    /// `HashToGroup(input)` under the POPRF's domain separation tag.
    pub fn hash_to_group(input: &[u8]) -> Result<Point> {
        <<Suite as voprf::CipherSuite>::Group as Group>::hash_to_curve::<sha2::Sha512>(
            &[input],
            &[b"HashToGroup-OPRFV1-\x02-ristretto255-SHA512"],
        )
        .map(Point)
        .map_err(|_| ProtocolError::KeyDerivation)
    }

    /// A random non-zero scalar.
    pub fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
        Scalar(<<Suite as voprf::CipherSuite>::Group as Group>::random_scalar(rng))
    }

    /// `s · P`, encoded.
    pub fn mul(p: &Point, s: &Scalar) -> [u8; ELEMENT_LEN] {
        elem_bytes(p.0 * s.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn blinded_evaluation_equals_the_servers_own_and_a_wrong_key_is_caught() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let k = PoprfKey::derive(&[7; 32], b"k").unwrap();
        let other = PoprfKey::derive(&[8; 32], b"k").unwrap();
        let (blind, b) = Blind::new(b"input", &mut rng).unwrap();
        let (els, proof) = k.evaluate(&mut rng, &[b], b"info").unwrap();
        let ev = Evaluation {
            element: els[0],
            proof,
        };
        let out = blind.finalize(b"input", &ev, &k.public(), b"info").unwrap();
        assert_eq!(out, k.evaluate_unblinded(b"input", b"info").unwrap());
        // Another key, another info, an altered element or proof: refused, typed.
        for (pk, info, e) in [
            (other.public(), &b"info"[..], ev),
            (k.public(), &b"infx"[..], ev),
        ] {
            assert_eq!(
                blind.finalize(b"input", &e, &pk, info).unwrap_err(),
                ProtocolError::BadPoprfProof
            );
        }
        let (bad_els, bad_proof) = other.evaluate(&mut rng, &[b], b"info").unwrap();
        for e in [
            Evaluation {
                element: bad_els[0],
                proof,
            },
            Evaluation {
                element: bad_els[0],
                proof: bad_proof,
            },
            Evaluation {
                element: [0xff; 32],
                proof,
            },
            Evaluation {
                element: els[0],
                proof: [0xff; 64],
            },
        ] {
            assert!(blind.finalize(b"input", &e, &k.public(), b"info").is_err());
        }
        assert!(PoprfPublicKey::from_bytes([0; 32]).is_err());
        assert!(k.evaluate(&mut rng, &[Blinded([0xff; 32])], b"i").is_err());
    }
}
