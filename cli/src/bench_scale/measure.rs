//! What every step reports: a figure beside its baseline from the same run, and the machine's
//! own counters (peak memory, bytes on disk, free space).

use std::path::Path;

/// One measured figure and its baseline.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Short name, also the key of the fitted slope ("ingest SQLite").
    pub name: &'static str,
    /// The measured value.
    pub value: f64,
    /// What the baseline is.
    pub baseline_name: &'static str,
    /// The baseline's value, in the same unit.
    pub baseline: f64,
    /// "s" for seconds, "B" for bytes, "KiB" for memory.
    pub unit: &'static str,
    /// Records behind the figure (for rates in the printout).
    pub records: u64,
}

fn human(v: f64, unit: &str) -> String {
    match unit {
        "s" => format!("{v:.3} s"),
        "B" => format!("{:.1} MB", v / 1e6),
        "KiB" => format!("{:.1} MB", v * 1024.0 / 1e6),
        _ => format!("{v} {unit}"),
    }
}

impl Figure {
    /// The line printed for it: value, baseline, ratio.
    pub fn line(&self) -> String {
        let rate = if self.unit == "s" && self.records > 0 && self.value > 0.0 {
            format!(" ({:.0} records/s)", self.records as f64 / self.value)
        } else {
            String::new()
        };
        format!(
            "  {:<22} {:>12}{rate} | baseline {}: {} | ratio {:.2}",
            self.name,
            human(self.value, self.unit),
            self.baseline_name,
            human(self.baseline, self.unit),
            self.value / self.baseline.max(1e-12)
        )
    }
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`; 0 elsewhere).
pub fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resident memory now in KiB (Linux `VmRSS`).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak to the current resident size (Linux: `5` into `clear_refs`), so each size
/// reports its own peak; harmless where it is not supported.
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Bytes of the files whose names start with `prefix` in `dir` (a database and its WAL).
pub fn file_bytes(dir: &Path, prefix: &str) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Free bytes on the file system holding `dir`, from `df` (None when it cannot tell).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let out = std::process::Command::new("df")
        .args(["-Pk"])
        .arg(dir)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().nth(1)?;
    let kib: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}
