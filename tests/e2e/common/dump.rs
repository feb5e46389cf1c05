//! Reading what an attacker with a disk dump would read: the raw bytes of every file in a folder
//! (databases with their WAL and free pages, logs, keys), the POST server's export records, and
//! database rows for before/after comparisons.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Every regular file under `dir` (recursively) with its raw bytes.
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `needles` found in any byte of `files`, as "needle in file" lines.
pub fn find(files: &[(PathBuf, Vec<u8>)], needles: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (p, bytes) in files {
        for n in needles {
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                found.push(format!("{n:?} in {}", p.display()));
            }
        }
    }
    found
}

/// One record frame of an export file (docs/server.md, "File format").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// Upload day.
    pub day: u32,
    /// Record kind.
    pub kind: u8,
    /// Key part (record id, handle or QR id).
    pub key: Vec<u8>,
    /// Record id.
    pub id: Vec<u8>,
    /// The OP-sealed body (empty for a tombstone).
    pub body: Vec<u8>,
}

fn be(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().unwrap())
}

/// The record and tombstone frames of an export file, read by hand after the documented format
/// (so the test checks the document too).
pub fn export_rows(file: &[u8]) -> Vec<Row> {
    assert_eq!(&file[..8], b"SPUREXP\0", "export magic");
    assert!(file[8] == 1 || file[8] == 2, "export version {}", file[8]);
    let mut rows = Vec::new();
    let mut i = 9;
    loop {
        match file[i] {
            0x01 => {
                let day = be(&file[i + 1..]);
                let kind = file[i + 5];
                let key_len = file[i + 7] as usize;
                let key = file[i + 8..i + 8 + key_len].to_vec();
                let mut j = i + 8 + key_len;
                let id = file[j..j + 32].to_vec();
                j += 32;
                let len = be(&file[j..]) as usize;
                j += 4;
                rows.push(Row {
                    day,
                    kind,
                    key,
                    id,
                    body: file[j..j + len].to_vec(),
                });
                i = j + len;
            }
            0x02 => {
                let day = be(&file[i + 1..]);
                let kind = file[i + 5];
                let key_len = file[i + 6] as usize;
                let key = file[i + 7..i + 7 + key_len].to_vec();
                let j = i + 7 + key_len;
                rows.push(Row {
                    day,
                    kind,
                    key,
                    id: file[j..j + 32].to_vec(),
                    body: Vec::new(),
                });
                i = j + 32;
            }
            0xFF => return rows,
            other => panic!("unknown frame {other:#x} at {i}"),
        }
    }
}

/// Pairs of blobs (by index) that share a run of `n` or more equal bytes.
pub fn shared_runs(blobs: &[&[u8]], n: usize) -> Vec<(usize, usize)> {
    let mut seen: HashMap<&[u8], usize> = HashMap::new();
    let mut pairs = Vec::new();
    for (i, b) in blobs.iter().enumerate() {
        for w in b.windows(n) {
            match seen.get(w) {
                Some(&j) if j != i => {
                    if !pairs.contains(&(j, i)) {
                        pairs.push((j, i));
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(w, i);
                }
            }
        }
    }
    pairs
}

/// Every row of every table of an SQLite file (opened read-only), as text, sorted per table:
/// compare two calls to see whether anything changed.
pub fn db_rows(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Every blob of the given column in a table, for size and linkability checks.
pub fn blobs(path: &Path, table: &str, column: &str) -> Vec<Vec<u8>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut st = conn
        .prepare(&format!("SELECT \"{column}\" FROM \"{table}\""))
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Asserts two `db_rows` snapshots are equal, naming only the tables that differ (the rows are
/// ciphertext: printing them would drown the message).
pub fn assert_same(
    a: &BTreeMap<String, Vec<String>>,
    b: &BTreeMap<String, Vec<String>>,
    what: &str,
) {
    let differ: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|t| a.get(*t) != b.get(*t))
        .map(|t| {
            format!(
                "{t}: {} rows before, {} after",
                a.get(t).map_or(0, Vec::len),
                b.get(t).map_or(0, Vec::len)
            )
        })
        .collect();
    assert!(differ.is_empty(), "{what}: {differ:?}");
}
