//! The shipped configuration files (deploy/config/*.toml) are accepted by the commands their
//! units start (every key a flag of that command, every value of the flag's type), each unit
//! loads its file, and a file with an unknown key or a wrong type stops the command with a
//! message naming the file and the key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(args)
        .env_remove("SPUR_LOG")
        .output()
        .unwrap()
}

/// (config file, unit, the command it configures).
const SERVICES: [(&str, &str, &[&str]); 3] = [
    ("tag.toml", "spur-tag.service", &["server", "tag"]),
    ("post.toml", "spur-post.service", &["server", "post"]),
    ("vault.toml", "spur-vault-import.service", &["vault"]),
];

#[test]
fn shipped_files_are_accepted_and_loaded_by_their_units() {
    for (file, unit, cmd) in SERVICES {
        let path = root().join("deploy/config").join(file);
        let mut args = cmd.to_vec();
        let p = path.to_str().unwrap();
        args.extend(["--config", p, "--help"]);
        let out = spur(&args);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let unit_text = std::fs::read_to_string(root().join("deploy/systemd").join(unit)).unwrap();
        assert!(
            unit_text.contains(&format!("--config /etc/spur/{file}")),
            "{unit} loads /etc/spur/{file}"
        );
    }
}

#[test]
fn unknown_keys_and_wrong_types_name_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (body, key, says) in [
        ("rate_limit = 5\n", "rate_limit", "unknown key"),
        ("colour = \"red\"\n", "colour", "unknown key"),
        ("burst = \"many\"\n", "burst", "must be a number"),
        (
            "trusted-proxy = [\"10.0.0.0/33\"]\n",
            "trusted-proxy",
            "--trusted-proxy",
        ),
        (
            "metrics-listen = \"0.0.0.0:9181\"\n",
            "metrics-listen",
            "loopback",
        ),
    ] {
        let f = dir.path().join("bad.toml");
        std::fs::write(&f, body).unwrap();
        let out = spur(&[
            "server",
            "tag",
            "--config",
            f.to_str().unwrap(),
            "--secret-file",
            "x",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{body} was accepted");
        assert!(
            err.contains("bad.toml") && err.contains(&format!("`{key}`")) && err.contains(says),
            "{body}: {err}"
        );
    }
}
