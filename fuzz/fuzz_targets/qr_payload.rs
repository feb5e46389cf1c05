//! Fuzzes the QR payload parser with arbitrary text, raw and behind each spur URL prefix.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_protocol::qr::Payload;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for prefix in ["", "HTTPS://SPUR.EXAMPLE/P#", "HTTPS://SPUR.EXAMPLE/C#", "HTTPS://SPUR.EXAMPLE/A#"] {
        let url = format!("{prefix}{text}");
        if let Ok(p) = Payload::parse(&url) {
            // Whatever parses must re-encode to the same URL (strict, canonical parsing).
            let again = p.to_url().expect("a parsed payload encodes");
            assert_eq!(Payload::parse(&again).expect("re-parse"), p);
        }
    }
});
