//! `spur bench scale` as a separate process at two tiny sizes: every figure is printed beside
//! its baseline with a ratio, the run stays inside its time bound, the temporary databases are
//! removed, and every figure has a fitted slope line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

const FIGURES: [&str; 11] = [
    "ingest SQLite",
    "disk POST SQLite",
    "export SQLite",
    "vault import",
    "vault open one core",
    "disk vault",
    "consent intake",
    "trace",
    "resolve",
    "statistics",
    "peak memory",
];

/// Runs `spur bench scale ARGS --dir DIR` without PostgreSQL; fails the test unless it succeeded,
/// and returns its standard output.
fn bench(args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["bench", "scale"])
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env_remove("SPUR_TEST_POSTGRES_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "spur bench scale failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn bench_scale_prints_every_figure_beside_its_baseline_and_a_slope() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = bench(
        &["--sizes", "1000,2000", "--max-seconds", "120"],
        dir.path(),
    );
    for name in FIGURES {
        let lines: Vec<&str> = stdout
            .lines()
            .filter(|l| l.trim_start().starts_with(name) && l.contains("| baseline "))
            .collect();
        assert_eq!(lines.len(), 2, "{name}: one line per size\n{stdout}");
        for l in lines {
            let ratio: f64 = l.rsplit("| ratio ").next().unwrap().trim().parse().unwrap();
            assert!(ratio.is_finite() && ratio > 0.0, "{l}");
        }
        let slope = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("slope {name} ")))
            .unwrap_or_else(|| panic!("no slope line for {name}\n{stdout}"));
        let value = slope
            .split_whitespace()
            .nth(name.split(' ').count() + 1)
            .unwrap();
        assert!(value.parse::<f64>().is_ok(), "{slope}");
    }
    assert!(stdout.contains("PostgreSQL: skipped"), "{stdout}");
    // The run cleaned up after itself.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn bench_scale_post_only_skips_the_vault_steps() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = bench(
        &["--sizes", "1000", "--max-seconds", "60", "--post-only"],
        dir.path(),
    );
    let has = |name: &str| {
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with(name) && l.contains("| baseline "))
    };
    for name in [
        "ingest SQLite",
        "disk POST SQLite",
        "export SQLite",
        "peak memory",
    ] {
        assert!(has(name), "{name} missing\n{stdout}");
    }
    for name in ["vault import", "trace", "resolve", "statistics"] {
        assert!(!has(name), "{name} ran in a POST-only run\n{stdout}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
