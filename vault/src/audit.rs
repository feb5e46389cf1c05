//! The audit log: append-only, one line per step, each line carrying the SHA-256 of the line
//! before it, so a removed, inserted or changed line breaks the chain. The hash and number of the
//! last line are also kept in the store, so cutting lines off the end is detected too.
//!
//! Line: `<hash hex> {"seq":n,"unix":t,"event":"…","detail":{…},"prev":"<hash hex>"}` where
//! hash = SHA-256("spur/v1/audit/" || the JSON text). Details hold counts, ids of files and
//! authorities and case ids: never keys, contact data or registration ids.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use spur_protocol::crypto::sha256;

use crate::error::{Result, VaultError};
use crate::store::Store;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEAD_KEY: &str = "audit_head";

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
}

/// The audit log of one vault.
pub struct AuditLog {
    path: PathBuf,
}

fn hash_of(json: &str) -> String {
    data_encoding::HEXLOWER.encode(&sha256(&[b"spur/v1/audit/", json.as_bytes()]))
}

fn head(store: &mut dyn Store) -> Result<(u64, String)> {
    match store.meta_get(HEAD_KEY)? {
        None => Ok((0, GENESIS.to_owned())),
        Some(v) => {
            let (n, h) = v
                .split_once(' ')
                .ok_or_else(|| VaultError::Audit("the stored head is malformed".into()))?;
            let n = n
                .parse()
                .map_err(|_| VaultError::Audit("the stored head is malformed".into()))?;
            Ok((n, h.to_owned()))
        }
    }
}

impl AuditLog {
    /// The log at `path` (created on first append).
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
        }
    }

    /// Appends one step and moves the head in the store. The line is on disk (fsync) before the
    /// head moves.
    pub fn append(
        &self,
        store: &mut dyn Store,
        event: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
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
        let json = serde_json::to_string(&entry).map_err(|e| VaultError::Audit(e.to_string()))?;
        let hash = hash_of(&json);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| VaultError::io(&self.path, e))?;
        writeln!(f, "{hash} {json}").map_err(|e| VaultError::io(&self.path, e))?;
        f.sync_all().map_err(|e| VaultError::io(&self.path, e))?;
        store.meta_set(HEAD_KEY, &format!("{} {hash}", seq + 1))
    }

    /// Checks every line's hash, the chain, the numbering and the head kept in the store.
    pub fn verify(&self, store: &mut dyn Store) -> Result<AuditReport> {
        let (want_n, want_hash) = head(store)?;
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => Some(f),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(VaultError::io(&self.path, e)),
        };
        let mut prev = GENESIS.to_owned();
        let mut n = 0u64;
        if let Some(f) = file {
            for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
                let line = line.map_err(|e| VaultError::io(&self.path, e))?;
                let no = i + 1;
                let (hash, json) = line
                    .split_once(' ')
                    .ok_or_else(|| VaultError::Audit(format!("line {no} is malformed")))?;
                if hash_of(json) != hash {
                    return Err(VaultError::Audit(format!(
                        "line {no} was changed (its hash does not match)"
                    )));
                }
                let e: Entry = serde_json::from_str(json)
                    .map_err(|_| VaultError::Audit(format!("line {no} is malformed")))?;
                if e.prev != prev {
                    return Err(VaultError::Audit(format!(
                        "line {no} does not follow the line before it (a line was removed, inserted or reordered)"
                    )));
                }
                if e.seq != n + 1 {
                    return Err(VaultError::Audit(format!(
                        "line {no} has number {} (a line is missing)",
                        e.seq
                    )));
                }
                prev = hash.to_owned();
                n = e.seq;
            }
        }
        if n != want_n || prev != want_hash {
            return Err(VaultError::Audit(format!(
                "the log ends at line {n} but the store's head says {want_n} (lines were cut off or the log replaced)"
            )));
        }
        Ok(AuditReport {
            lines: n,
            head: prev,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    fn log_with_lines(n: usize) -> (tempfile::TempDir, AuditLog, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(&dir.path().join("audit.log"));
        let mut store = SqliteStore::in_memory().unwrap();
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
    fn cutting_off_the_last_line_is_detected() {
        let (_d, log, mut store) = log_with_lines(5);
        edit(&log, |l| {
            l.pop();
        });
        let e = log.verify(&mut store).unwrap_err().to_string();
        assert!(e.contains("cut off"), "{e}");
    }
}
