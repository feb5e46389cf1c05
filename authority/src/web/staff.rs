//! The desk's staff accounts for the web pages: `staff.json` in the desk folder (0600), one
//! Argon2id password hash (PHC string, salted) per name. Passwords are never stored or logged.

use spur_i18n::Msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{DeskError, Result};

/// File name of the accounts in the desk folder.
pub const STAFF_FILE: &str = "staff.json";
/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

#[derive(Default, Serialize, Deserialize)]
struct Accounts {
    staff: BTreeMap<String, String>,
}

fn file(dir: &Path) -> PathBuf {
    dir.join(STAFF_FILE)
}

fn load(dir: &Path) -> Result<Accounts> {
    Ok(crate::case::load(&file(dir))?.unwrap_or_default())
}

/// Checks a staff name: 1–32 of a–z, 0–9, `.`, `-`, `_`.
pub fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

/// Adds (or, with `replace`, resets) the account `name` with `password` (at least 12 characters).
pub fn add(
    dir: &Path,
    rng: &mut impl rand_core::CryptoRngCore,
    name: &str,
    password: &str,
    replace: bool,
) -> Result<()> {
    if !valid_name(name) {
        return Err(DeskError::refused(Msg::new("desk-err-staff-name")));
    }
    if password.chars().count() < MIN_PASSWORD {
        return Err(DeskError::refused(
            Msg::new("desk-err-staff-password").num("min", MIN_PASSWORD as f64),
        ));
    }
    let mut acc = load(dir)?;
    if acc.staff.contains_key(name) && !replace {
        return Err(DeskError::refused(
            Msg::new("desk-err-staff-exists").text("name", name),
        ));
    }
    let salt = SaltString::generate(&mut *rng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| {
            DeskError::refused(Msg::new("desk-err-password-hash").text("why", e.to_string()))
        })?
        .to_string();
    acc.staff.insert(name.to_owned(), hash);
    crate::case::save(&file(dir), &acc)?;
    crate::audit::record_in(
        dir,
        "staff-account",
        serde_json::json!({ "staff": name, "reset": replace }),
    )
}

/// Removes an account; false when there was none.
pub fn remove(dir: &Path, name: &str) -> Result<bool> {
    let mut acc = load(dir)?;
    let had = acc.staff.remove(name).is_some();
    if had {
        crate::case::save(&file(dir), &acc)?;
        crate::audit::record_in(dir, "staff-removed", serde_json::json!({ "staff": name }))?;
    }
    Ok(had)
}

/// The account names.
pub fn names(dir: &Path) -> Result<Vec<String>> {
    Ok(load(dir)?.staff.into_keys().collect())
}

/// True when `name` exists and `password` is its password. An unknown name costs the same
/// hashing as a known one, so timing does not tell which names exist.
pub fn check(dir: &Path, name: &str, password: &str) -> Result<bool> {
    let password = Zeroizing::new(password.to_owned());
    let acc = load(dir)?;
    // A fixed hash of a random password: verifying against it takes as long as a real check.
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c3B1ci1kZXNrLWR1bW15$2gQmMq6B2Y3j8v2s0yQe7jJ3k1q8f6d9xk0eZ5mH2aA";
    let stored = acc.staff.get(name).map(String::as_str).unwrap_or(DUMMY);
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Err(DeskError::bad_file(
            "staff.json",
            "a password hash does not parse",
        ));
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    Ok(ok && acc.staff.contains_key(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_check_passwords_and_refuse_weak_ones() {
        let d = tempfile::tempdir().unwrap();
        let mut rng = rand_core::OsRng;
        assert!(add(d.path(), &mut rng, "anna", "short", false).is_err());
        assert!(add(d.path(), &mut rng, "Anna!", "long enough password", false).is_err());
        add(d.path(), &mut rng, "anna", "long enough password", false).unwrap();
        assert!(add(d.path(), &mut rng, "anna", "another long password", false).is_err());
        assert!(check(d.path(), "anna", "long enough password").unwrap());
        assert!(!check(d.path(), "anna", "long enough passwore").unwrap());
        assert!(!check(d.path(), "bert", "long enough password").unwrap());
        let text = std::fs::read_to_string(d.path().join(STAFF_FILE)).unwrap();
        assert!(text.contains("$argon2id$") && !text.contains("long enough"));
        add(d.path(), &mut rng, "anna", "another long password", true).unwrap();
        assert!(check(d.path(), "anna", "another long password").unwrap());
        assert!(remove(d.path(), "anna").unwrap());
        assert!(!check(d.path(), "anna", "another long password").unwrap());
    }
}
