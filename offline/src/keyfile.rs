//! Key files: one secret or public key per small text file, secrets created with mode 0600.
//!
//! Format: a first line `spur <kind> v1` naming what the key is, a second line of lower-case hex.
//! A secret key file that others can read is refused, like ssh does.

use std::io::Write;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::OfflineError;

type Result<T> = std::result::Result<T, OfflineError>;

fn parse<const N: usize>(path: &Path, kind: &str, text: &str) -> Result<[u8; N]> {
    let bad = |why: &str| OfflineError::key_file(path, why);
    let mut lines = text.lines();
    let head = lines.next().unwrap_or("");
    if head != format!("spur {kind} v1") {
        return Err(bad(&format!("not a spur {kind} file")));
    }
    let hex = lines.next().unwrap_or("").trim();
    let bytes = Zeroizing::new(
        data_encoding::HEXLOWER
            .decode(hex.as_bytes())
            .map_err(|_| bad("the key is not lower-case hex"))?,
    );
    let arr: [u8; N] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| bad("the key has the wrong length"))?;
    Ok(arr)
}

fn render(kind: &str, bytes: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "spur {kind} v1\n{}\n",
        data_encoding::HEXLOWER.encode(bytes)
    ))
}

/// Writes a secret key file with mode 0600; refuses to overwrite an existing file.
pub fn write_secret(path: &Path, kind: &str, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| OfflineError::io(path, e))?;
    f.write_all(render(kind, bytes).as_bytes())
        .map_err(|e| OfflineError::io(path, e))?;
    f.sync_all().map_err(|e| OfflineError::io(path, e))
}

/// Writes a public key file (mode 0644); refuses to overwrite an existing file.
pub fn write_public(path: &Path, kind: &str, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| OfflineError::io(path, e))?;
    f.write_all(render(kind, bytes).as_bytes())
        .map_err(|e| OfflineError::io(path, e))
}

/// Reads a secret key file; refuses one that group or others may read.
pub fn read_secret<const N: usize>(path: &Path, kind: &str) -> Result<Zeroizing<[u8; N]>> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| OfflineError::io(path, e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(OfflineError::key_file(
            path,
            "others may read it; run chmod 600 on it",
        ));
    }
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| OfflineError::io(path, e))?);
    Ok(Zeroizing::new(parse::<N>(path, kind, &text)?))
}

/// Reads a public key file.
pub fn read_public<const N: usize>(path: &Path, kind: &str) -> Result<[u8; N]> {
    let text = std::fs::read_to_string(path).map_err(|e| OfflineError::io(path, e))?;
    parse::<N>(path, kind, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_files_are_private_and_round_trip() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("op.key");
        write_secret(&p, "op-secret", &[7u8; 32]).unwrap();
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(*read_secret::<32>(&p, "op-secret").unwrap(), [7u8; 32]);
        assert!(read_secret::<32>(&p, "root-secret").is_err(), "wrong kind");
        assert!(
            write_secret(&p, "op-secret", &[8u8; 32]).is_err(),
            "no overwrite"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_secret::<32>(&p, "op-secret").unwrap_err().to_string();
        assert!(e.contains("chmod 600"), "{e}");
    }
}
