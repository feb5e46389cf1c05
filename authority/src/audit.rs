//! The desk's own hash-chained audit log: every step (consent codes issued, packages opened, card
//! traces, contact lists written, refusals, records skipped) is one line of `D/audit.log`, its
//! head kept in `D/audit.head` (0600, replaced atomically).
//!
//! It is the mechanism the vault uses too (`spur_offline::audit::AuditLog`) with the desk's hash label, so a
//! desk step killed at any moment leaves a log that verifies: a line is on disk (fsync) before the
//! head moves; complete lines after the head and a torn last line are reported by
//! [`verify`] and settled by the next step. A log that does not verify gets no new line, and
//! every step that records refuses until it is restored.
//!
//! Details hold case ids, counts, file names and reasons: never phone numbers, campus ids,
//! registration ids or keys.

use std::path::Path;

use spur_offline::audit::{AuditLog, AuditReport, FileHead, DESK_LABEL};

use crate::desk::Desk;
use crate::error::Result;

/// File name of the log in the desk's directory.
pub const LOG_FILE: &str = "audit.log";
/// File name of the head next to it.
pub const HEAD_FILE: &str = "audit.head";

fn parts(dir: &Path) -> (AuditLog, FileHead) {
    (
        AuditLog::with_label(&dir.join(LOG_FILE), DESK_LABEL),
        FileHead::new(&dir.join(HEAD_FILE)),
    )
}

/// Records one desk step (`event`, with `detail`) in the log of the desk in `dir`.
pub fn record_in(dir: &Path, event: &str, detail: serde_json::Value) -> Result<()> {
    let (log, mut head) = parts(dir);
    Ok(log.append(&mut head, event, detail)?)
}

/// Records one step of `desk`: the one function the desk's modules call.
pub fn record(desk: &Desk, event: &str, detail: serde_json::Value) -> Result<()> {
    record_in(desk.dir(), event, detail)
}

/// Passes `r` on; an error is first recorded as `<step>-refused` with its reason (the messages
/// name no secrets and no contact data).
pub fn refused<T>(desk: &Desk, step: &str, r: Result<T>) -> Result<T> {
    if let Err(e) = &r {
        record(
            desk,
            &format!("{step}-refused"),
            serde_json::json!({ "reason": e.to_string() }),
        )?;
    }
    r
}

/// Verifies the log of the desk in `dir`: every line's hash, the chain, the numbering and the
/// head; lines after the head and a torn tail (a killed step) are reported, not refused.
pub fn verify(dir: &Path) -> Result<AuditReport> {
    let (log, mut head) = parts(dir);
    Ok(log.verify(&mut head)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_desk_log_verifies_and_detects_a_changed_line() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..4 {
            record_in(
                dir.path(),
                "open-contacts",
                json!({ "case": "M-1", "n": i }),
            )
            .unwrap();
        }
        assert_eq!(verify(dir.path()).unwrap().lines, 4);
        let p = dir.path().join(LOG_FILE);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replacen("\"n\":2", "\"n\":5", 1)).unwrap();
        let e = verify(dir.path()).unwrap_err().to_string();
        assert!(e.contains("line 3 was changed"), "{e}");
        assert!(record_in(dir.path(), "x", json!({})).is_err());
    }

    #[test]
    fn a_line_written_before_the_head_moved_is_confirmed_by_the_next_step() {
        let dir = tempfile::tempdir().unwrap();
        record_in(dir.path(), "a", json!({})).unwrap();
        let head = std::fs::read(dir.path().join(HEAD_FILE)).unwrap();
        record_in(dir.path(), "b", json!({})).unwrap();
        // As if killed after the line was written and before the head moved.
        std::fs::write(dir.path().join(HEAD_FILE), head).unwrap();
        let r = verify(dir.path()).unwrap();
        assert_eq!((r.lines, r.unconfirmed), (2, 1));
        record_in(dir.path(), "c", json!({})).unwrap();
        let r = verify(dir.path()).unwrap();
        assert_eq!((r.lines, r.unconfirmed), (3, 0));
    }

    #[test]
    fn a_vault_line_does_not_pass_in_a_desk_log() {
        let dir = tempfile::tempdir().unwrap();
        let vault_log = AuditLog::new(&dir.path().join(LOG_FILE));
        let mut head = FileHead::new(&dir.path().join(HEAD_FILE));
        vault_log.append(&mut head, "trace", json!({})).unwrap();
        assert!(verify(dir.path()).is_err());
    }
}
