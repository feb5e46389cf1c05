//! `spur man` and `spur completions` write pages and scripts that name every top-level subcommand
//! the binary's own `--help` lists, and the shipped systemd units use only options the commands
//! they start really take.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn spur(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "spur {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The names in the `Commands:` section of a `--help` text (without clap's own `help`).
fn commands_in_help(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect()
}

fn top_level_commands() -> Vec<String> {
    let names = commands_in_help(&spur(&["--help"]));
    // The parse above must find the parties; an empty list would let every check below pass.
    for expected in [
        "app",
        "vault",
        "authority",
        "demo",
        "server",
        "scan",
        "bench",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    // The packaging commands stay out of the user's help.
    assert!(!names.iter().any(|n| n == "man" || n == "completions"));
    names
}

#[test]
fn man_pages_cover_every_top_level_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    spur(&["man", out.to_str().unwrap()]);
    let main = std::fs::read_to_string(out.join("spur.1")).unwrap();
    assert!(main.contains(".TH spur 1"), "{main}");
    for name in top_level_commands() {
        // roff escapes the hyphen in the SEE ALSO/subcommand list (`spur\-server(1)`).
        assert!(
            main.contains(&format!("spur\\-{name}(1)"))
                || main.contains(&format!("spur-{name}(1)")),
            "spur.1 does not name {name}"
        );
        let page = std::fs::read_to_string(out.join(format!("spur-{name}.1"))).unwrap();
        assert!(page.contains(".TH spur\\-") || page.contains(".TH spur-"));
    }
    // The pages the systemd units point to (Documentation=man:…).
    for page in [
        "spur-server-tag.1",
        "spur-server-post.1",
        "spur-vault-import.1",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    let tag = std::fs::read_to_string(out.join("spur-server-tag.1")).unwrap();
    assert!(tag.contains("secret\\-file"), "{tag}");
}

#[test]
fn completions_of_every_shell_name_every_top_level_subcommand() {
    let names = top_level_commands();
    for shell in ["bash", "zsh", "fish"] {
        let script = spur(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completion does not name {name}"
            );
        }
    }
    // A shell clap_complete does not know is refused, not an empty script.
    let out = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// The `ExecStart=` command line of a unit, continuation lines joined.
fn exec_start(unit: &str) -> String {
    let joined = unit.replace("\\\n", " ");
    let line = joined
        .lines()
        .find(|l| l.starts_with("ExecStart="))
        .unwrap();
    line.trim_start_matches("ExecStart=").to_owned()
}

/// Checks every `--option` on a `spur …` command line against the `--help` of the (sub)command
/// it stands under, walking into subcommands as the words name them.
fn check_command_line(unit: &str, words: &[&str]) {
    let mut path: Vec<String> = Vec::new();
    let mut help: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut help_of = |path: &Vec<String>| {
        help.entry(path.clone())
            .or_insert_with(|| {
                let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
                args.push("--help");
                spur(&args)
            })
            .clone()
    };
    let mut checked = 0;
    for w in words {
        let h = help_of(&path);
        if let Some(option) = w.strip_prefix("--") {
            let option = option.split('=').next().unwrap();
            assert!(
                h.contains(&format!("--{option} ")) || h.contains(&format!("--{option}\n")),
                "{unit}: `spur {}` takes no --{option}",
                path.join(" ")
            );
            checked += 1;
        } else if commands_in_help(&h).iter().any(|c| c == w) {
            path.push((*w).to_owned());
        }
    }
    assert!(checked > 0, "{unit}: no option checked in {words:?}");
}

#[test]
fn systemd_units_use_only_options_the_commands_take() {
    let units = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/systemd");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&units).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("service") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let line = exec_start(&text);
        // The words after the binary (a `sh -c '…'` wrapper only expands a glob).
        let inner = line
            .split_once("/usr/bin/spur ")
            .map(|(_, rest)| rest.trim_end_matches('\''))
            .unwrap_or_else(|| panic!("{name}: ExecStart does not run /usr/bin/spur"));
        let words: Vec<&str> = inner.split_whitespace().collect();
        check_command_line(&name, &words);
        seen.push(name);
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "spur-post.service",
            "spur-tag.service",
            "spur-vault-import.service"
        ]
    );
}
