//! RFC 9497 Appendix A.1.3 (POPRF, ristretto255-SHA512) test vectors, run through
//! `spur_protocol::poprf`, the layer the TMP keys use: key derivation, blinding, the server's
//! batched evaluation with its proof, finalisation (which checks the proof) and the unblinded
//! evaluation. The vectors are in `poprf_vectors.txt`, copied from the RFC.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rand_chacha::rand_core::{CryptoRng, Error, RngCore};
use spur_protocol::poprf::{Blind, Evaluation, PoprfKey};

/// Hands out given bytes: a scalar `s` as `s || 0^32`, which curve25519-dalek's
/// `Scalar::random` (64 bytes, reduced mod l) turns back into exactly `s`. This is how the
/// RFC's fixed blinds and proof scalars enter the code path that normally draws them at random.
struct Scalars(Vec<u8>);

impl Scalars {
    fn new(scalars: &[Vec<u8>]) -> Self {
        let mut v = Vec::new();
        for s in scalars {
            assert_eq!(s.len(), 32);
            v.extend_from_slice(s);
            v.extend_from_slice(&[0; 32]);
        }
        Self(v)
    }
}

impl RngCore for Scalars {
    fn next_u32(&mut self) -> u32 {
        unimplemented!("only fill_bytes")
    }
    fn next_u64(&mut self) -> u64 {
        unimplemented!("only fill_bytes")
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        assert!(dest.len() <= self.0.len(), "the vector has no more scalars");
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl CryptoRng for Scalars {}

fn hex(s: &str) -> Vec<u8> {
    data_encoding::HEXLOWER.decode(s.as_bytes()).unwrap()
}

fn arr<const N: usize>(s: &str) -> [u8; N] {
    hex(s).try_into().unwrap()
}

/// The file's blocks: the key block first, then one block per vector, each `name -> [values]`.
fn blocks() -> Vec<Vec<(String, Vec<String>)>> {
    let text = include_str!("poprf_vectors.txt");
    let mut out = vec![Vec::new()];
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !out.last().unwrap().is_empty() {
                out.push(Vec::new());
            }
            continue;
        }
        let (k, v) = line.split_once(" = ").unwrap();
        out.last_mut()
            .unwrap()
            .push((k.to_owned(), v.split(',').map(str::to_owned).collect()));
    }
    out.retain(|b| !b.is_empty());
    out
}

fn get<'a>(b: &'a [(String, Vec<String>)], k: &str) -> &'a [String] {
    &b.iter().find(|(n, _)| n == k).unwrap().1
}

#[test]
fn rfc9497_poprf_ristretto255_sha512_vectors() {
    let all = blocks();
    let (key, vectors) = all.split_first().unwrap();
    let seed: [u8; 32] = arr(&get(key, "Seed")[0]);
    let server = PoprfKey::derive(&seed, &hex(&get(key, "KeyInfo")[0])).unwrap();
    assert_eq!(
        server.public().to_bytes(),
        arr::<32>(&get(key, "pkSm")[0]),
        "pkSm"
    );
    assert_eq!(vectors.len(), 3, "A.1.3.1 to A.1.3.3");
    for (n, v) in vectors.iter().enumerate() {
        let inputs: Vec<Vec<u8>> = get(v, "Input").iter().map(|s| hex(s)).collect();
        let info = hex(&get(v, "Info")[0]);
        let mut blinds = Vec::new();
        let mut blinded = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let mut rng = Scalars::new(&[hex(&get(v, "Blind")[i])]);
            let (b, e) = Blind::new(input, &mut rng).unwrap();
            assert_eq!(
                e.0,
                arr::<32>(&get(v, "BlindedElement")[i]),
                "vector {n} blinded {i}"
            );
            blinds.push(b);
            blinded.push(e);
        }
        let mut rng = Scalars::new(&[hex(&get(v, "ProofRandomScalar")[0])]);
        let (elements, proof) = server.evaluate(&mut rng, &blinded, &info).unwrap();
        for (i, e) in elements.iter().enumerate() {
            assert_eq!(
                *e,
                arr::<32>(&get(v, "EvaluationElement")[i]),
                "vector {n} eval {i}"
            );
        }
        assert_eq!(proof, arr::<64>(&get(v, "Proof")[0]), "vector {n} proof");
        let refs: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
        let outs =
            Blind::finalize_batch(&blinds, &refs, &elements, &proof, &server.public(), &info)
                .unwrap();
        for (i, o) in outs.iter().enumerate() {
            let want = arr::<64>(&get(v, "Output")[i]);
            assert_eq!(*o, want, "vector {n} output {i}");
            assert_eq!(server.evaluate_unblinded(&inputs[i], &info).unwrap(), want);
        }
        if inputs.len() == 1 {
            let one = blinds[0]
                .finalize(
                    &inputs[0],
                    &Evaluation {
                        element: elements[0],
                        proof,
                    },
                    &server.public(),
                    &info,
                )
                .unwrap();
            assert_eq!(one, outs[0]);
        }
        // The RFC's proof with one bit changed is refused, typed.
        let mut bad = proof;
        bad[5] ^= 1;
        assert!(
            Blind::finalize_batch(&blinds, &refs, &elements, &bad, &server.public(), &info)
                .is_err()
        );
    }
}
