//! `spur demo` as a separate process: the README's main command must end with an exact trace,
//! no personal data in any byte of the POST server's or the vault's files (DESIGN.md properties
//! 1 and 2, end to end through the real app core, servers, vault and desks), and its files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn demo_traces_exactly_and_leaves_no_personal_data_in_server_or_vault_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args([
            "demo", "--people", "16", "--days", "2", "--seed", "6", "--json", "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "spur demo failed: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcome = &report["outcome"];
    assert_eq!(outcome["exact"], true, "{outcome}");
    assert!(
        !outcome["expected"].as_array().unwrap().is_empty(),
        "the simulated infected person met somebody"
    );
    assert_eq!(report["dump"]["found"].as_array().unwrap().len(), 0);
    // Seed 6: a Berlin resident consents to Munich, so their user entries went through the
    // Berlin desk (relay) and the trace is still exact.
    assert_eq!(report["consent"]["home authority"], "Gesundheitsamt Berlin");
    assert_eq!(report["consent"]["authority"], "Gesundheitsamt München");
    // The card-only case (traced on the signed TMP-history request) is exact as well.
    let card = &report["card_case"];
    assert!(!card.is_null(), "the town has a scanned card");
    assert_eq!(card["outcome"]["exact"], true, "{card}");
    assert!(!card["outcome"]["expected"].as_array().unwrap().is_empty());
    assert!(
        report["dump"]["bytes"].as_u64().unwrap() > 10_000,
        "the dump check read the databases"
    );
    for f in [
        "statistics.csv",
        "statistics-by-day.png",
        "consent-code.png",
        "contacts-authority-1.csv",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} written");
    }
    // The vault pinned the POST server's export key before it imported (a vault with no pinned
    // key imports nothing), and the export it imported was signed by that key.
    let vault = dir.path().join("vault");
    let key_hex = |p: std::path::PathBuf| {
        let t = std::fs::read_to_string(p).unwrap();
        t.trim().lines().last().unwrap().to_owned()
    };
    assert_eq!(
        key_hex(vault.join("post.pub")),
        key_hex(dir.path().join("export-sign.key.pub"))
    );
    let log = std::fs::read_to_string(vault.join("audit.log")).unwrap();
    let pin = log.find("\"event\":\"pin-post-key\"").expect("pin audited");
    let import = log.find("\"event\":\"import\"").expect("import audited");
    assert!(pin < import, "{log}");
    assert!(!log.contains("import-refused"), "{log}");
}
