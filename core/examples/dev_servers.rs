//! Runs real TAG and POST servers on 127.0.0.1 for the Kotlin binding tests
//! (`scripts/kotlin-tests.sh`): prints one JSON line with URLs, pinned keys and test consent
//! codes, then serves until stdin closes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/common/servers.rs"]
mod servers;

use std::io::Read;
use std::sync::Arc;

use spur_server::clock::{Clock, SystemClock};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let clock = Arc::new(SystemClock);
    let s = servers::Servers::start(clock.clone()).await;
    let now = clock.minute();
    let consent = s.consent_url(servers::MUNICH, 0, now.day(), 1, now.plus(60), rand_nonce());
    // Signed with Berlin's key but claiming Munich: must be refused as forged.
    let forged = s.consent_url(servers::MUNICH, 1, now.day(), 1, now.plus(60), rand_nonce());
    let line = serde_json::json!({
        "host": servers::HOST,
        "tag_url": s.tag_url,
        "post_url": s.post_url,
        "op_public_key": s.op_hex(),
        "directory_root_key": s.root_hex(),
        "consent_url": consent,
        "forged_consent_url": forged,
    });
    println!("{line}");
    // Serve until the test script closes our stdin.
    tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await
    .unwrap();
    eprintln!("dev_servers: {} records stored", s.stored());
}

fn rand_nonce() -> [u8; 16] {
    let mut n = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut n);
    n
}
