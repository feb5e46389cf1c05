//! The rules of ARCHITECTURE.md that a grep can keep: routes, labels and JSON bodies live in the
//! contract crates, the desk does not link the vault, and each capability has one
//! implementation (one hex crate, one QR encoder, one PDF writer, one HTTP client, one CSV
//! writer). Each test names the rule it keeps; a failure names the file and line that broke it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` (relative to the root) with this extension, skipping build outputs.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn walk(p: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name();
            if path.is_dir() {
                if name != "target"
                    && name != "node_modules"
                    && !name.to_string_lossy().starts_with('.')
                {
                    walk(&path, ext, out);
                }
            } else if path.extension().is_some_and(|x| x == ext) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), ext, &mut out);
    out
}

/// The workspace's Rust sources outside `fuzz/` (its own crate, built by nightly only).
fn rust_sources() -> Vec<(String, String)> {
    // Every workspace member (the one list below, checked against Cargo.toml) and the shared
    // e2e/party tests.
    MEMBERS
        .iter()
        .chain(&["tests"])
        .flat_map(|d| files(d, "rs"))
        .map(|p| {
            let rel = p
                .strip_prefix(root())
                .unwrap_or(&p)
                .to_string_lossy()
                .replace("/../", "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Lines that are code, not comments (doc comments may quote a route or a label).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l))
}

/// The route paths `wire/src/api/routes.rs` declares.
fn routes() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("wire/src/api/routes.rs")).unwrap();
    let r: Vec<String> = text
        .lines()
        .filter_map(|l| {
            l.split_once("&str = \"")
                .map(|(_, v)| v.trim_end_matches("\";").to_owned())
        })
        .collect();
    assert!(
        r.len() >= 13,
        "routes.rs declares the routes of both servers: {r:?}"
    );
    r
}

/// Which lines of a file a rule reads.
#[derive(Clone, Copy)]
enum Lines {
    /// Every code line (not comments).
    Code,
    /// Code lines before the file's `#[cfg(test)]` module.
    Shipped,
}

/// Asserts that no line of the files `scope` admits, of the kind `lines`, is `bad`; the
/// failure lists every offending `file:line`.
fn assert_no_line(
    rule: &str,
    scope: impl Fn(&str) -> bool,
    lines: Lines,
    bad: impl Fn(&str) -> bool,
) {
    let mut found = Vec::new();
    for (file, text) in rust_sources() {
        if file.ends_with("cli/tests/architecture.rs") || !scope(&file) {
            continue;
        }
        let picked: Vec<(usize, &str)> = match lines {
            Lines::Code => code_lines(&text).collect(),
            Lines::Shipped => shipped_lines(&text).collect(),
        };
        for (n, line) in picked {
            if bad(line) {
                found.push(format!("{file}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

/// Code lines of shipped code: not comments, and before the file's `#[cfg(test)]` module.
fn shipped_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let tests_from = text
        .lines()
        .position(|l| l.trim() == "#[cfg(test)]")
        .map_or(usize::MAX, |i| i + 1);
    code_lines(text).filter(move |(n, _)| *n < tests_from)
}

#[test]
fn one_contract_route_strings_only_in_the_wire_crate() {
    let routes = routes();
    assert_no_line(
        "route strings outside wire/src/api/routes.rs",
        |file| !file.starts_with("wire/"),
        Lines::Code,
        |line| {
            routes
                .iter()
                .any(|r| line.contains(&format!("\"{r}\"")) || line.contains(&format!("\"{r}?")))
        },
    );
}

#[test]
fn labels_only_in_protocol_labels() {
    // Tests may pin a label's bytes independently of the constant (that is what a vector is).
    assert_no_line(
        "labels outside protocol/src/labels.rs",
        |file| file != "protocol/src/labels.rs" && !file.contains("/tests/"),
        Lines::Shipped,
        |line| line.contains("\"spur/v1/"),
    );
}

#[test]
fn json_bodies_of_the_servers_only_through_wire_types() {
    assert_no_line(
        "ad-hoc JSON in a server or the app's client",
        |file| file.starts_with("server/src/") || file == "core/src/http.rs",
        Lines::Code,
        |line| line.contains("json!("),
    );
}

/// `[dependencies]` and `[dev-dependencies]` names of a member's Cargo.toml.
fn dependencies(member: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(member).join("Cargo.toml")).unwrap();
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_deps = l.contains("dependencies");
            continue;
        }
        if in_deps && !l.starts_with('#') {
            if let Some((name, _)) = l.split_once(['=', '.']) {
                if !name.trim().is_empty() {
                    out.push(name.trim().to_owned());
                }
            }
        }
    }
    out
}

const MEMBERS: [&str; 13] = [
    "protocol",
    "wire",
    "testkit",
    "migrate",
    "offline",
    "server",
    "qr",
    "cli",
    "core",
    "vault",
    "authority",
    "i18n",
    "web",
];

#[test]
fn members_list_is_the_workspace() {
    // Every rule below walks MEMBERS: a crate added to the workspace but not here would escape them.
    let root = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"))
        .unwrap();
    let line = root.lines().find(|l| l.starts_with("members")).unwrap();
    let mut listed: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
    let mut ours = MEMBERS.to_vec();
    listed.sort_unstable();
    ours.sort_unstable();
    assert_eq!(listed, ours);
}

#[test]
fn the_desk_does_not_link_the_vault() {
    let deps = dependencies("authority");
    assert!(
        deps.iter().any(|d| d == "spur-wire"),
        "the desk reads the exchange through spur-wire: {deps:?}"
    );
    assert!(
        !deps.iter().any(|d| d == "spur-vault"),
        "authority/Cargo.toml names spur-vault"
    );
}

#[test]
fn one_implementation_of_each_capability() {
    // (crate, the only member allowed to depend on it)
    let owners = [
        ("qrcode", "qr"),          // every QR code is drawn by spur-qr
        ("pdf-writer", "qr"),      // every PDF by spur_qr::sheet
        ("csv", "offline"),        // every CSV through spur_offline::csv and its neutraliser
        ("jiff", "protocol"),      // every calendar date through protocol::time
        ("hyper", "server"),       // the servers' own HTTP stack; clients are reqwest
        ("fluent-bundle", "i18n"), // every sentence through spur_i18n::Catalog
        ("wasm-bindgen", "web"),   // the one JS boundary is spur-web's facade
    ];
    for (dep, owner) in owners {
        for m in MEMBERS {
            if m != owner {
                assert!(
                    !dependencies(m).iter().any(|d| d == dep),
                    "{m}/Cargo.toml depends on {dep}: only {owner}/ may (one implementation)"
                );
            }
        }
    }
    for m in MEMBERS {
        assert!(
            !dependencies(m).iter().any(|d| d == "hex"),
            "{m} uses the hex crate; data-encoding is the one hex implementation"
        );
    }
    // No hand-written calendar: the epoch shift of Howard Hinnant's civil-date algorithms
    // (days from 0000-03-01 to 1970-01-01) appears in no shipped code.
    assert_no_line(
        "a hand-written calendar",
        |file| !file.contains("/tests/"),
        Lines::Shipped,
        |line| line.contains("719_468") || line.contains("719468"),
    );
}

#[test]
fn every_member_inherits_the_msrv() {
    for m in MEMBERS {
        let text = std::fs::read_to_string(root().join(m).join("Cargo.toml")).unwrap();
        assert!(
            text.contains("rust-version.workspace = true"),
            "{m}/Cargo.toml does not inherit rust-version"
        );
    }
    let ws = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    for m in MEMBERS {
        assert!(
            ws.contains(&format!("\"{m}\"")),
            "{m} is not a workspace member"
        );
    }
}
