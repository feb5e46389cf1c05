//! Fuzzes the signed formats: directory, consent code, TMP-history request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_protocol::consent::ConsentCode;
use spur_protocol::directory::Directory;
use spur_protocol::history::HistoryRequest;
use spur_protocol::keys::SignSecretKey;
use spur_protocol::time::Minute;

fuzz_target!(|data: &[u8]| {
    let root = SignSecretKey::from_bytes([9; 32]).public();
    let _ = Directory::verify(data, &root);
    let _ = ConsentCode::decode(data);
    let dir = Directory {
        serial: 1,
        issued: Minute(0),
        tag_key: spur_protocol::tag::TagServerSecret::from_bytes([6; 32])
            .tmp_deriver()
            .map(|d| d.public())
            .unwrap_or_else(|_| unreachable!()),
        default_authority: 1,
        authorities: vec![spur_protocol::directory::Authority {
            id: 1,
            name: "A".into(),
            seal: spur_protocol::keys::SealSecretKey::from_bytes([4; 32]).public(),
            sign: SignSecretKey::from_bytes([5; 32]).public(),
            ranges: vec![],
        }],
    };
    let _ = HistoryRequest::verify(data, &dir, Minute(29_000_000));
    if let Ok(c) = ConsentCode::decode(data) {
        let _ = c.verify(&dir, Minute(29_000_000));
    }
});
