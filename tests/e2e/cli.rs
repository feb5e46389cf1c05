//! The `spur` command's own manners across processes: quiet on a closed pipe (`spur … | head`),
//! and `spur server dev` giving an app everything it needs to register against it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{key_hex, Args, Citizen, Proc, Spur, World};

#[test]
fn output_into_a_closed_pipe_exits_quietly() {
    // `spur … | head`: the reader is gone before the command prints.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let mut child = std::process::Command::new(common::SPUR)
            .args(["app", "--data-dir"])
            .arg(dir.path().join(format!("app{i}")))
            .args(["init", "--host", "h", "--tag-url", "http://127.0.0.1:9"])
            .args(["--post-url", "http://127.0.0.1:9", "--op-key", "00"])
            .args(["--root-key", "00"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.status.success(), "{err}");
    }
}

#[test]
fn server_dev_with_a_vault_prints_the_app_configuration_and_an_app_registers_against_it() {
    // Operator and one desk, no servers: `spur server dev --vault` serves their directory.
    let w = World::offline();
    let data = w.dir().join("dev");
    let args: Vec<String> = ["server", "dev", "--tag-port", "0", "--post-port", "0"]
        .iter()
        .map(|s| s.to_string())
        .chain(["--data-dir".into(), data.display().to_string()])
        .chain(["--vault".into(), w.vault.display().to_string()])
        .collect();
    let dev = Proc::start(&args, 0, 2);
    let line = std::fs::read_to_string(data.join("app-init.txt")).unwrap();
    assert!(dev.stdout().contains(line.trim()), "{}", dev.stdout());
    assert!(line.contains(&key_hex(&w.vault.join("op.pub"))), "{line}");
    assert!(line.contains(&key_hex(&w.vault.join("root.pub"))), "{line}");
    // Exactly what it printed configures an app, which then registers.
    let c = Citizen {
        dir: w.dir().join("phone"),
        phone: "+4915170000001".into(),
        postcode: "80331".into(),
        secret: "ballot-quarry-tiptoe-lantern-minnow-42".into(),
    };
    let words: Vec<&str> = line.split_whitespace().skip(3).collect();
    assert_eq!(
        &line.split_whitespace().take(3).collect::<Vec<_>>(),
        &["spur", "app", "init"]
    );
    Spur::new(["app", "--data-dir"])
        .arg(&c.dir)
        .arg("init")
        .args(words)
        .ok();
    c.register(None);
}

#[test]
fn server_dev_without_a_vault_says_why_apps_cannot_register() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = vec![
        "server".into(),
        "dev".into(),
        "--tag-port".into(),
        "0".into(),
        "--post-port".into(),
        "0".into(),
        "--data-dir".into(),
        dir.path().display().to_string(),
    ];
    let dev = Proc::start(&args, 0, 2);
    assert!(dev.stdout().contains("--vault"), "{}", dev.stdout());
}
