//! Fuzzes the vault's reader of POST export files: arbitrary bytes, and the same bytes framed with
//! the right magic, version and closing digest so the fuzzer reaches the frame and end-frame checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_protocol::crypto::sha256;
use spur_protocol::export::{parse, FORMAT_VERSION, MAGIC};

fuzz_target!(|data: &[u8]| {
    let _ = parse(data);
    let mut framed = MAGIC.to_vec();
    framed.push(FORMAT_VERSION);
    framed.extend_from_slice(data);
    let digest = sha256(&[&framed]);
    framed.extend_from_slice(&digest);
    let _ = parse(&framed);
});
