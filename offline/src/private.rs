//! Files that hold personal data or secrets: owner-only (0600 files, 0700 directories), replaced
//! atomically so a crash leaves the old file or the new one, never half of one.

use std::io::Write;
use std::path::Path;

use crate::error::OfflineError;

/// Creates `dir` (and its parents) if missing; a directory this call creates is owner-only
/// (0700). An existing directory keeps its mode.
pub fn private_dir(dir: &Path) -> Result<(), OfflineError> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| OfflineError::io(dir, e))
}

/// Writes a file that holds personal data or secrets (mode 0600), replacing it atomically.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<(), OfflineError> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("part");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| OfflineError::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| OfflineError::io(&tmp, e))?;
    f.sync_all().map_err(|e| OfflineError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| OfflineError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_files_and_dirs_are_owner_only_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("a/b");
        private_dir(&d).unwrap();
        assert_eq!(
            std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let p = d.join("list.csv");
        write_private_file(&p, b"one").unwrap();
        write_private_file(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(!p.with_extension("part").exists());
    }
}
