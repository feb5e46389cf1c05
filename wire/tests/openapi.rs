//! docs/openapi.json is exactly what `spur_wire::api::openapi()` generates from the types, so the
//! committed description cannot drift from the code. After an intended API change run
//! `SPUR_UPDATE_OPENAPI=1 cargo test -p spur-wire --all-features --test openapi` and commit the file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json")
}

#[test]
fn committed_openapi_matches_the_code() {
    let generated = spur_wire::api::openapi();
    let path = committed_path();
    if std::env::var_os("SPUR_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json differs from the generated description; run \
         SPUR_UPDATE_OPENAPI=1 cargo test -p spur-wire --all-features --test openapi"
    );
}

#[test]
fn every_route_constant_is_described_with_its_refusal_shape() {
    let doc: serde_json::Value = serde_json::from_str(&spur_wire::api::openapi()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    use spur_wire::api::routes::*;
    let all = [
        HEALTH,
        QR_IDS,
        TMP_KEYS,
        TMP_KEYS_HISTORY,
        DIRECTORY,
        REGISTRATIONS,
        REGISTRATIONS_DELETE,
        REGISTRATIONS_CHECK,
        CODES,
        PIN_CHECK,
        VISITS,
        CONSENT_RELEASES,
        EXPORT,
    ];
    assert_eq!(paths.len(), all.len());
    for p in all {
        let item = paths[p]
            .as_object()
            .unwrap_or_else(|| panic!("{p} is not described"));
        for (method, op) in item {
            let responses = op["responses"].as_object().unwrap();
            let refusals = responses
                .iter()
                .filter(|(s, _)| s.starts_with('4') || s.starts_with('5'))
                .count();
            assert!(refusals > 0, "{method} {p} lists no refusal");
            for (status, r) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{method} {p} {status}"
                    );
                }
            }
        }
    }
    // Record bodies carry their exact size from spur-protocol.
    let visits = &doc["paths"][VISITS]["post"]["requestBody"]["description"];
    let slot = spur_protocol::record::RecordKind::SlotEntry.wire_len();
    assert!(visits
        .as_str()
        .unwrap()
        .contains(&format!("({slot} bytes)")));
}
