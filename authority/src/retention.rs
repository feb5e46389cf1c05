//! The desk's retention sweep: case files and contact files (they hold phone numbers) untouched
//! for more than 28 days are deleted, and the sweep is audited. A case still being worked on is
//! rewritten by every step, so only cases finished four weeks ago go.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::json;
use spur_protocol::time::{Minute, RETENTION_DAYS};

use crate::audit;
use crate::desk::Desk;
use crate::error::{DeskError, Result};

/// What a sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Files deleted.
    pub deleted: u64,
    /// Files kept.
    pub kept: u64,
}

/// Deletes the files in `dir` (not below it) whose name ends in one of `exts` and that were last
/// written more than 28 days before `now`. Missing directory: nothing to do.
pub fn sweep_dir(dir: &Path, exts: &[&str], now: SystemTime) -> Result<Swept> {
    let limit = Duration::from_secs(u64::from(RETENTION_DAYS) * 86_400);
    let mut out = Swept::default();
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(DeskError::io(dir, e)),
    };
    for entry in rd {
        let entry = entry.map_err(|e| DeskError::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !exts.iter().any(|x| name.ends_with(x)) {
            continue;
        }
        let meta = entry.metadata().map_err(|e| DeskError::io(&path, e))?;
        if !meta.is_file() {
            continue;
        }
        let written = meta.modified().map_err(|e| DeskError::io(&path, e))?;
        let old = now.duration_since(written).is_ok_and(|age| age > limit);
        if old {
            std::fs::remove_file(&path).map_err(|e| DeskError::io(&path, e))?;
            out.deleted = out.deleted.saturating_add(1);
        } else {
            out.kept = out.kept.saturating_add(1);
        }
    }
    Ok(out)
}

/// Sweeps the desk's case files as of `now` and records the sweep in its audit log.
pub fn sweep(desk: &Desk, now: SystemTime) -> Result<Swept> {
    let s = sweep_dir(&desk.cases_dir()?, &[".json", ".part"], now)?;
    // The case register keeps phone numbers too: codes that expired and refusals made before
    // the retention limit go with the case files.
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let keep_from = u32::try_from(secs / 60)
        .unwrap_or(u32::MAX)
        .saturating_sub(RETENTION_DAYS.saturating_mul(1440));
    let register = crate::register::sweep(desk.dir(), Minute(keep_from))?;
    audit::record(
        desk,
        "sweep",
        json!({
            "retention_days": RETENTION_DAYS,
            "deleted": s.deleted,
            "kept": s.kept,
            "register_entries_deleted": register,
        }),
    )?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_older_than_retention_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("case-M-1.json"), "{}").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let now = SystemTime::now();
        let s = sweep_dir(dir.path(), &[".json"], now).unwrap();
        assert_eq!((s.deleted, s.kept), (0, 1));
        let later = now + Duration::from_secs(29 * 86_400);
        let s = sweep_dir(dir.path(), &[".json"], later).unwrap();
        assert_eq!((s.deleted, s.kept), (1, 0));
        assert!(dir.path().join("notes.txt").exists());
        assert!(!dir.path().join("case-M-1.json").exists());
    }
}
