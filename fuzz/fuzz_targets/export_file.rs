//! Fuzzes the vault's reader of POST export files: arbitrary bytes, and the same bytes framed with
//! the right magic, version and closing digest so the fuzzer reaches the frame and end-frame checks,
//! and as a signed file (version 2, a signature after the digest) checked against a key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_protocol::crypto::sha256;
use spur_protocol::export::{parse, FORMAT_SIGNED, FORMAT_VERSION, MAGIC};
use spur_protocol::keys::SignSecretKey;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data);
    let mut framed = MAGIC.to_vec();
    framed.push(FORMAT_VERSION);
    framed.extend_from_slice(data);
    let digest = sha256(&[&framed]);
    framed.extend_from_slice(&digest);
    let _ = parse(&framed);
    let mut signed = MAGIC.to_vec();
    signed.push(FORMAT_SIGNED);
    signed.extend_from_slice(data);
    let digest = sha256(&[&signed]);
    signed.extend_from_slice(&digest);
    signed.extend_from_slice(&[7u8; 64]);
    if let Ok(f) = parse(&signed) {
        let _ = f.verify_signer(&SignSecretKey::from_bytes([3; 32]).public());
    }
});
