//! The audit log: append-only, one line per step, each line carrying the SHA-256 of the line
//! before it, so a removed, inserted or changed line breaks the chain. The hash and number of the
//! last line are also kept in the store, so cutting lines off the end is detected too.
//!
//! A step writes its line (fsync) and then moves the stored head, so a process killed in between
//! leaves complete lines *after* the head, and one killed inside the write leaves a torn line
//! without its newline. Neither is tampering: the next append confirms complete lines that chain
//! on from the head and cuts a torn tail; verification reports both instead of failing.
//!
//! One mechanism for the vault and the desks: [`AuditLog`] is parameterised by its file, the
//! domain label of its line hashes ([`VAULT_LABEL`], [`DESK_LABEL`]) and where its head is kept
//! ([`HeadStore`]: the vault's store, or a small file next to a desk's log, [`FileHead`]). A
//! head store brings its own error type, so the vault's store errors reach the vault unchanged.
//!
//! Line: `<hash hex> {"seq":n,"unix":t,"event":"…","detail":{…},"prev":"<hash hex>"}` where
//! hash = SHA-256("spur/v1/audit/" || the JSON text). Details hold counts, ids of files and
//! authorities and case ids: never keys, contact data or registration ids.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use spur_protocol::crypto::sha256;

use crate::error::OfflineError;

type Result<T> = std::result::Result<T, OfflineError>;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hash label of the vault's log lines.
pub const VAULT_LABEL: &str = spur_protocol::labels::AUDIT_VAULT;
/// Hash label of a desk's log lines (a line cannot be moved between the two kinds of log).
pub const DESK_LABEL: &str = spur_protocol::labels::AUDIT_DESK;

/// Where a log's head (number and hash of the last confirmed line) is kept.
pub trait HeadStore {
    /// The store's own error; the log's refusals convert into it.
    type Error: From<OfflineError>;
    /// The stored head, `None` before the first line.
    fn head_get(&mut self) -> std::result::Result<Option<String>, Self::Error>;
    /// Moves the head (durable when it returns).
    fn head_set(&mut self, head: &str) -> std::result::Result<(), Self::Error>;
}

/// A head kept in its own small file (mode 0600, replaced atomically): for a desk, which has no
/// database.
pub struct FileHead {
    path: PathBuf,
}

impl FileHead {
    /// The head file at `path`.
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
        }
    }
}

impl HeadStore for FileHead {
    type Error = OfflineError;
    fn head_get(&mut self) -> Result<Option<String>> {
        match std::fs::read_to_string(&self.path) {
            Ok(t) => Ok(Some(t.trim().to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(OfflineError::io(&self.path, e)),
        }
    }
    fn head_set(&mut self, head: &str) -> Result<()> {
        crate::private::write_private_file(&self.path, format!("{head}\n").as_bytes())
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    seq: u64,
    unix: u64,
    event: String,
    detail: serde_json::Value,
    prev: String,
}

/// What verification found on a good log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Lines checked.
    pub lines: u64,
    /// Hash of the last line.
    pub head: String,
    /// Complete lines after the stored head: written by a step that was interrupted before it
    /// moved the head (the next append confirms them).
    pub unconfirmed: u64,
    /// Bytes of a torn last line (a write interrupted before its newline; the next append cuts
    /// them).
    pub torn_bytes: u64,
}

/// The complete lines of a log and the length of a torn tail after them.
struct Lines {
    lines: Vec<String>,
    /// Byte length of the complete lines (where a torn tail starts).
    complete_len: u64,
    torn_bytes: u64,
}

/// What walking the chain found: the number and hash of the last line, and after which line the
/// stored head was passed (if it was).
struct Walk {
    n: u64,
    last: String,
    head_at: Option<u64>,
}

/// The audit log of one vault or desk.
pub struct AuditLog {
    path: PathBuf,
    label: &'static str,
}

fn hash_with(label: &str, json: &str) -> String {
    data_encoding::HEXLOWER.encode(&sha256(&[label.as_bytes(), json.as_bytes()]))
}

#[cfg(test)]
fn hash_of(json: &str) -> String {
    hash_with(VAULT_LABEL, json)
}

fn head<H: HeadStore + ?Sized>(store: &mut H) -> std::result::Result<(u64, String), H::Error> {
    match store.head_get()? {
        None => Ok((0, GENESIS.to_owned())),
        Some(v) => {
            let (n, h) = v
                .split_once(' ')
                .ok_or_else(|| OfflineError::Audit("the stored head is malformed".into()))?;
            let n = n
                .parse()
                .map_err(|_| OfflineError::Audit("the stored head is malformed".into()))?;
            Ok((n, h.to_owned()))
        }
    }
}

impl AuditLog {
    /// The vault's log at `path` (created on first append).
    pub fn new(path: &Path) -> Self {
        Self::with_label(path, VAULT_LABEL)
    }

    /// A log at `path` whose line hashes use `label` (e.g. [`DESK_LABEL`]).
    pub fn with_label(path: &Path, label: &'static str) -> Self {
        Self {
            path: path.to_owned(),
            label,
        }
    }

    /// Appends one step and moves the head in the store. The line is on disk (fsync) before the
    /// head moves. Lines left unconfirmed and a torn tail by an interrupted step are settled first.
    pub fn append<H: HeadStore + ?Sized>(
        &self,
        store: &mut H,
        event: &str,
        detail: serde_json::Value,
    ) -> std::result::Result<(), H::Error> {
        self.settle(store)?;
        let (seq, prev) = head(store)?;
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let entry = Entry {
            seq: seq + 1,
            unix,
            event: event.to_owned(),
            detail,
            prev,
        };
        let json = serde_json::to_string(&entry).map_err(|e| OfflineError::Audit(e.to_string()))?;
        let hash = hash_with(self.label, &json);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(|e| OfflineError::io(&self.path, e))?;
        writeln!(f, "{hash} {json}").map_err(|e| OfflineError::io(&self.path, e))?;
        f.sync_all().map_err(|e| OfflineError::io(&self.path, e))?;
        store.head_set(&format!("{} {hash}", seq + 1))
    }

    /// Checks every line's hash, the chain, the numbering and the head kept in the store. Lines
    /// after the head and a torn tail (an interrupted step) are reported, not refused.
    pub fn verify<H: HeadStore + ?Sized>(
        &self,
        store: &mut H,
    ) -> std::result::Result<AuditReport, H::Error> {
        Ok(self.check(store)?.0)
    }

    /// [`Self::verify`], also handing back the lines it read.
    fn check<H: HeadStore + ?Sized>(
        &self,
        store: &mut H,
    ) -> std::result::Result<(AuditReport, Lines), H::Error> {
        let (want_n, want_hash) = head(store)?;
        let read = self.read()?;
        let walk = walk(self.label, &read.lines, want_n, &want_hash)?;
        let Some(head_at) = walk.head_at else {
            return Err(OfflineError::Audit(format!(
                "the log ends at line {} but the store's head says {want_n} (lines were cut off or the log replaced)",
                walk.n
            ))
            .into());
        };
        let report = AuditReport {
            lines: walk.n,
            head: walk.last,
            unconfirmed: walk.n - head_at,
            torn_bytes: read.torn_bytes,
        };
        Ok((report, read))
    }

    /// Cuts a torn tail and moves the head over complete lines that chain on from it, so the next
    /// line follows the last one on disk. Refuses (changing nothing) when the log does not verify.
    fn settle<H: HeadStore + ?Sized>(&self, store: &mut H) -> std::result::Result<(), H::Error> {
        let (report, read) = self.check(store)?;
        if report.torn_bytes > 0 {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&self.path)
                .map_err(|e| OfflineError::io(&self.path, e))?;
            f.set_len(read.complete_len)
                .map_err(|e| OfflineError::io(&self.path, e))?;
            f.sync_all().map_err(|e| OfflineError::io(&self.path, e))?;
        }
        if report.unconfirmed > 0 {
            store.head_set(&format!("{} {}", report.lines, report.head))?;
        }
        Ok(())
    }

    fn read(&self) -> Result<Lines> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(OfflineError::io(&self.path, e)),
        };
        let complete_len = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let text = std::str::from_utf8(&bytes[..complete_len])
            .map_err(|_| OfflineError::Audit("the log is not UTF-8 text".into()))?;
        Ok(Lines {
            lines: text.lines().map(str::to_owned).collect(),
            complete_len: complete_len as u64,
            torn_bytes: (bytes.len() - complete_len) as u64,
        })
    }
}

/// Walks the chain over `lines`, noting where the stored head (`want_n`, `want_hash`) is passed.
fn walk(label: &str, lines: &[String], want_n: u64, want_hash: &str) -> Result<Walk> {
    let mut prev = GENESIS.to_owned();
    let mut n = 0u64;
    let mut head_at = (want_n == 0 && want_hash == GENESIS).then_some(0);
    for (i, line) in lines.iter().enumerate() {
        let no = i + 1;
        let (hash, json) = line
            .split_once(' ')
            .ok_or_else(|| OfflineError::Audit(format!("line {no} is malformed")))?;
        if hash_with(label, json) != hash {
            return Err(OfflineError::Audit(format!(
                "line {no} was changed (its hash does not match)"
            )));
        }
        let e: Entry = serde_json::from_str(json)
            .map_err(|_| OfflineError::Audit(format!("line {no} is malformed")))?;
        if e.prev != prev {
            return Err(OfflineError::Audit(format!(
                "line {no} does not follow the line before it (a line was removed, inserted or reordered)"
            )));
        }
        if e.seq != n + 1 {
            return Err(OfflineError::Audit(format!(
                "line {no} has number {} (a line is missing)",
                e.seq
            )));
        }
        prev = hash.to_owned();
        n = e.seq;
        if n == want_n && prev == want_hash {
            head_at = Some(n);
        }
    }
    Ok(Walk {
        n,
        last: prev,
        head_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with_lines(n: usize) -> (tempfile::TempDir, AuditLog, FileHead) {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(&dir.path().join("audit.log"));
        let mut store = FileHead::new(&dir.path().join("audit.head"));
        for i in 0..n {
            log.append(
                &mut store,
                "import",
                serde_json::json!({ "file": format!("f{i}"), "rows": i }),
            )
            .unwrap();
        }
        (dir, log, store)
    }

    fn edit(log: &AuditLog, f: impl FnOnce(&mut Vec<String>)) {
        let text = std::fs::read_to_string(&log.path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        f(&mut lines);
        std::fs::write(&log.path, lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn an_untouched_log_verifies() {
        let (_d, log, mut store) = log_with_lines(5);
        assert_eq!(log.verify(&mut store).unwrap().lines, 5);
    }

    #[test]
    fn a_removed_line_is_detected() {
        let (_d, log, mut store) = log_with_lines(5);
        edit(&log, |l| {
            l.remove(2);
        });
        let e = log.verify(&mut store).unwrap_err().to_string();
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn a_changed_line_is_detected() {
        let (_d, log, mut store) = log_with_lines(5);
        edit(&log, |l| l[1] = l[1].replace("\"rows\":1", "\"rows\":7"));
        let e = log.verify(&mut store).unwrap_err().to_string();
        assert!(e.contains("line 2 was changed"), "{e}");
    }

    #[test]
    fn a_changed_line_with_a_recomputed_hash_breaks_the_chain() {
        let (_d, log, mut store) = log_with_lines(5);
        edit(&log, |l| {
            let (_, json) = l[1].split_once(' ').unwrap();
            let json = json.replace("\"rows\":1", "\"rows\":7");
            l[1] = format!("{} {json}", hash_of(&json));
        });
        let e = log.verify(&mut store).unwrap_err().to_string();
        assert!(e.contains("line 3 does not follow"), "{e}");
    }

    #[test]
    fn lines_written_before_a_kill_moved_the_head_are_reported_then_confirmed() {
        let (_d, log, mut store) = log_with_lines(3);
        // A step killed after its line was on disk and before the head moved.
        let before = store.head_get().unwrap();
        log.append(
            &mut store,
            "import",
            serde_json::json!({ "file": "killed" }),
        )
        .unwrap();
        store.head_set(&before.unwrap()).unwrap();
        let r = log.verify(&mut store).unwrap();
        assert_eq!((r.lines, r.unconfirmed, r.torn_bytes), (4, 1, 0));
        log.append(&mut store, "import", serde_json::json!({ "file": "next" }))
            .unwrap();
        let r = log.verify(&mut store).unwrap();
        assert_eq!((r.lines, r.unconfirmed), (5, 0));
    }

    #[test]
    fn a_torn_last_line_is_reported_then_cut() {
        let (_d, log, mut store) = log_with_lines(3);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&log.path)
            .unwrap();
        let torn = b"0123abcd {\"seq\":4,\"unix\"";
        f.write_all(torn).unwrap();
        drop(f);
        let r = log.verify(&mut store).unwrap();
        assert_eq!(
            (r.lines, r.unconfirmed, r.torn_bytes),
            (3, 0, torn.len() as u64)
        );
        log.append(&mut store, "import", serde_json::json!({ "file": "next" }))
            .unwrap();
        let r = log.verify(&mut store).unwrap();
        assert_eq!((r.lines, r.torn_bytes), (4, 0));
    }

    #[test]
    fn a_log_that_does_not_verify_gets_no_new_line() {
        let (_d, log, mut store) = log_with_lines(3);
        edit(&log, |l| {
            l.remove(1);
        });
        let before = std::fs::read(&log.path).unwrap();
        assert!(log
            .append(&mut store, "import", serde_json::json!({}))
            .is_err());
        assert_eq!(std::fs::read(&log.path).unwrap(), before);
    }

    #[test]
    fn cutting_off_the_last_line_is_detected() {
        let (_d, log, mut store) = log_with_lines(5);
        edit(&log, |l| {
            l.pop();
        });
        let e = log.verify(&mut store).unwrap_err().to_string();
        assert!(e.contains("cut off"), "{e}");
    }
}
