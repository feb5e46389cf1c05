//! Writing the files the vault and authority commands hand over: private (0600), in a folder
//! created on demand, under names made safe from user input.

use std::path::{Path, PathBuf};

use anyhow::Context;

pub use spur_authority::case::safe;

/// Writes `bytes` to `out/name` with mode 0600, creating `out` first.
pub fn write_out(out: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    spur_offline::private::private_dir(out)
        .with_context(|| format!("creating {}", out.display()))?;
    let p = out.join(name);
    spur_offline::private::write_private_file(&p, bytes)?;
    Ok(p)
}
