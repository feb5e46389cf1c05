//! The operator's signing command and the desk's init refuse what would silently misroute:
//! overlapping postcode ranges (the message names both authorities), range ends that are no
//! postcode of their country, and authority names with bidi or invisible characters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn spur(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(args)
        .current_dir(dir)
        .env_remove("SPUR_DESK_DIR")
        .env_remove("SPUR_VAULT_DIR")
        .env_remove("SPUR_VAULT_POSTGRES")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn sign_directory_refuses_overlapping_ranges_naming_both_authorities() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    assert!(spur(&["vault", "--dir", "vault", "init"], p)
        .status
        .success());
    let init = |dir: &str, id: &str, name: &str, range: &str| {
        spur(
            &[
                "authority",
                "--dir",
                dir,
                "init",
                "--id",
                id,
                "--name",
                name,
                "--range",
                range,
            ],
            p,
        )
    };
    assert!(init("m", "1", "Gesundheitsamt München", "DE:80000-81999")
        .status
        .success());
    assert!(init("b", "2", "Gesundheitsamt Freising", "DE:81500-85999")
        .status
        .success());
    let tag_key = spur(
        &[
            "server",
            "tag-key",
            "--create-secret",
            "--secret-file",
            "tag-secret",
        ],
        p,
    );
    let tag_key = text(&tag_key).trim().to_owned();
    let out = spur(
        &[
            "vault",
            "--dir",
            "vault",
            "sign-directory",
            "--tag-key",
            &tag_key,
            "--entry",
            "m/entry.json",
            "--entry",
            "b/entry.json",
            "--default-authority",
            "1",
        ],
        p,
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("overlap"), "{said}");
    assert!(
        said.contains("Gesundheitsamt München") && said.contains("Gesundheitsamt Freising"),
        "{said}"
    );
    assert!(
        !p.join("vault/directory.bin").exists(),
        "nothing was signed"
    );
    // The refusal is in the vault's audit log, which still verifies.
    let log = std::fs::read_to_string(p.join("vault/audit.log")).unwrap();
    assert!(log.contains("sign-directory-refused"), "{log}");
    let verify = spur(&["vault", "--dir", "vault", "audit", "verify"], p);
    assert!(verify.status.success(), "{}", text(&verify));

    // The desk refuses bad ranges and names before it writes any key.
    for (dir, name, range, word) in [
        ("x1", "Amt", "DE:8000-8199", "5 digits"),
        ("x2", "Amt", "XX:80000-81999", "country"),
        ("x3", "Amt", "DE:00000-00999", "zeros"),
        (
            "x4",
            "Gesundheitsamt M\u{202E}nehcnü",
            "DE:90000-90999",
            "bidirectional",
        ),
        ("x5", "Amt\u{200B}", "DE:90000-90999", "invisible"),
    ] {
        let out = init(dir, "3", name, range);
        let said = text(&out);
        assert!(!out.status.success(), "{name} {range}: {said}");
        assert!(said.contains(word), "{name} {range}: {said}");
        assert!(
            !said.contains('\u{202E}') && !said.contains('\u{200B}'),
            "{said:?}"
        );
        assert!(
            !p.join(dir).join("auth.key").exists(),
            "no key written for {dir}"
        );
    }
}
