//! One canonical instance of every JSON body of the TAG and POST servers, serialised and compared
//! byte for byte with the committed file under `tests/snapshots/`, and parsed back to the same
//! value. A failure means the bytes on the wire changed: if intended, run
//! `SPUR_UPDATE_SNAPSHOTS=1 cargo test -p spur-wire --test snapshots` and say so in the commit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fmt::Debug;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use spur_wire::api::error::{ErrorBody, ErrorCode};
use spur_wire::api::health::Health;
use spur_wire::api::post::{ExportQuery, PinCheckRequest, PinCheckResponse, StoredIds};
use spur_wire::api::tag::{
    QrIdsRequest, QrIdsResponse, TmpEvaluation, TmpKeysRequest, TmpKeysResponse,
};

fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(name: &str, value: &T) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.json"));
    let text = serde_json::to_string(value).unwrap();
    if std::env::var_os("SPUR_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, format!("{text}\n")).unwrap();
    }
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        committed.trim_end_matches('\n'),
        text,
        "{name}: the wire bytes changed"
    );
    let back: T = serde_json::from_str(&committed).unwrap();
    assert_eq!(
        &back, value,
        "{name}: does not parse back to the same value"
    );
}

const QR_ID: &str = "00112233445566778899aabbccddeeff";
const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

#[test]
fn tag_server_bodies() {
    check(
        "qr_ids_request",
        &QrIdsRequest {
            commitments: vec!["0011223344556677".into(), "8899aabbccddeeff".into()],
        },
    );
    check(
        "qr_ids_response",
        &QrIdsResponse {
            qr_ids: vec![QR_ID.into()],
        },
    );
    check(
        "tmp_keys_request",
        &TmpKeysRequest {
            blinded: KEY.into(),
            slots: vec![961_392, 961_393],
        },
    );
    check(
        "tmp_keys_response",
        &TmpKeysResponse {
            evaluations: vec![
                TmpEvaluation {
                    evaluated: KEY.into(),
                    proof: format!("{KEY}{KEY}"),
                    slot: 961_392,
                },
                TmpEvaluation {
                    evaluated: KEY.into(),
                    proof: format!("{KEY}{KEY}"),
                    slot: 961_393,
                },
            ],
        },
    );
}

#[test]
fn post_server_bodies() {
    check(
        "stored_ids",
        &StoredIds {
            ids: vec![KEY.into()],
        },
    );
    check(
        "pin_check_request",
        &PinCheckRequest {
            qr_id: QR_ID.into(),
            check: KEY.into(),
        },
    );
    check("pin_check_response", &PinCheckResponse { confirmed: true });
    check(
        "export_query",
        &ExportQuery {
            cursor: Some("AQAATj0BIA".into()),
            limit: Some(1000),
        },
    );
}

#[test]
fn shared_bodies() {
    check("health", &Health::OK);
    check(
        "error",
        &ErrorBody {
            error: ErrorCode::TooManyRecords,
            message: "a visit upload holds at most 64 records".into(),
        },
    );
}

#[test]
fn export_query_path_is_the_one_the_server_reads() {
    let q = ExportQuery {
        cursor: Some("AQAATj0BIA".into()),
        limit: Some(1000),
    };
    assert_eq!(q.path(), "/v1/export?limit=1000&cursor=AQAATj0BIA");
    assert_eq!(
        ExportQuery::default().path(),
        spur_wire::api::routes::EXPORT
    );
}
