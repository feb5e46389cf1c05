//! The demo's dump analysis (DESIGN.md property 1): every byte of the POST server's and the
//! vault's files — database, write-ahead log, free pages, audit log — searched for every phone
//! number, place name and campus id of the simulated town. None may appear.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::sim::World;

/// What the search found.
#[derive(Debug, Serialize)]
pub struct DumpCheck {
    /// Files searched.
    pub files: Vec<PathBuf>,
    /// Bytes searched.
    pub bytes: u64,
    /// Secrets searched for.
    pub needles: usize,
    /// Secrets found, with the file (must be empty).
    pub found: Vec<String>,
}

/// The files of the POST server and the vault below `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (folder, prefix) in [
        (dir.to_path_buf(), "post-server.sqlite"),
        (dir.join("vault"), ""),
    ] {
        if let Ok(rd) = std::fs::read_dir(&folder) {
            for e in rd.flatten() {
                let p = e.path();
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if p.is_file() && name.starts_with(prefix) && !name.ends_with(".key") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Searches every byte for every phone number (digits only, so any encoding of the number
/// counts), place name and campus id.
pub fn check(dir: &Path, world: &World) -> Result<DumpCheck> {
    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, p) in world.people.iter().enumerate() {
        needles.push((
            format!("phone {}", p.phone),
            p.phone.trim_start_matches('+').as_bytes().to_vec(),
        ));
        if i % 3 == 0 {
            let campus = super::citizens::campus_id(i);
            needles.push((format!("campus id {campus}"), campus.into_bytes()));
        }
    }
    for pl in &world.places {
        needles.push((
            format!("place name {}", pl.name),
            pl.name.as_bytes().to_vec(),
        ));
    }
    let files = files(dir);
    let mut bytes = 0u64;
    let mut found = Vec::new();
    for f in &files {
        let data = std::fs::read(f)?;
        bytes += data.len() as u64;
        for (what, n) in &needles {
            if data.windows(n.len()).any(|w| w == n.as_slice()) {
                found.push(format!("{what} in {}", f.display()));
            }
        }
    }
    Ok(DumpCheck {
        files,
        bytes,
        needles: needles.len(),
        found,
    })
}
