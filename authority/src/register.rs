//! The desk's case register: every consent code it issued (case, nonce, days, issue and expiry,
//! the phone number of the person it was made for) and every release it refused, in
//! `register.json` (mode 0600, written atomically).
//!
//! A release counts only if it answers a code in this register, for the person it was made for:
//! [`choose`] opens each candidate the vault found for a code, compares case, nonce, days and
//! phone number with the entry, refuses (and records, [`record_refusal`]) what does not match,
//! and takes the one release made by the code's person. When several releases made with that
//! person's phone number come from different registrations, it lists them and the tracer chooses
//! one with `--candidate N`.

use spur_i18n::Msg;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use spur_protocol::consent::ConsentCode;
use spur_protocol::fields::PhoneNumber;
use spur_protocol::record::consent_release::ReleaseForAuthority;
use spur_protocol::time::Minute;
use spur_wire::exchange::{ConsentPackage, FoundEntry, Hex};

use crate::contacts::time_text;
use crate::desk::Desk;
use crate::error::{DeskError, Result};

/// File name of the register in the desk's directory.
pub const REGISTER_FILE: &str = "register.json";

/// One consent code the desk issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    /// Case id.
    pub case_id: String,
    /// The code's nonce.
    pub nonce: Hex,
    /// First day asked for (day number).
    pub first_day: u32,
    /// Number of days.
    pub days: u8,
    /// Issue minute.
    pub issued: u32,
    /// Expiry minute.
    pub expires: u32,
    /// The phone number (E.164) of the person the code was made for.
    pub phone: String,
    /// When the desk opened a release answering this code (minute), once it did.
    #[serde(default)]
    pub opened: Option<u32>,
}

/// A release the desk refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// When (minute).
    pub minute: u32,
    /// The case id the release or package named.
    pub case_id: String,
    /// The nonce it named (hex).
    pub nonce: Hex,
    /// Why, in words.
    pub reason: String,
}

/// The register file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// Codes issued, oldest first.
    pub codes: Vec<IssuedCode>,
    /// Releases refused, oldest first.
    #[serde(default)]
    pub refusals: Vec<Refusal>,
}

impl Register {
    /// The register's path in a desk directory.
    pub fn path(desk_dir: &Path) -> PathBuf {
        desk_dir.join(REGISTER_FILE)
    }

    /// Reads the register (empty when the desk issued nothing yet).
    pub fn load(desk_dir: &Path) -> Result<Self> {
        Ok(crate::case::load(&Self::path(desk_dir))?.unwrap_or_default())
    }

    /// Writes the register, mode 0600, atomically.
    pub fn save(&self, desk_dir: &Path) -> Result<()> {
        crate::case::save(&Self::path(desk_dir), self)
    }

    /// The code with this nonce.
    pub fn code(&self, nonce: &[u8]) -> Option<&IssuedCode> {
        self.codes.iter().find(|c| c.nonce.0 == nonce)
    }

    /// Retention: forgets codes that expired, and refusals made, before `keep_from` (their phone
    /// numbers with them); returns how many entries went. A release cannot answer a code after
    /// its data is deleted everywhere, so nothing is lost for tracing.
    pub fn sweep(&mut self, keep_from: Minute) -> usize {
        let before = self.codes.len() + self.refusals.len();
        self.codes.retain(|c| c.expires >= keep_from.0);
        self.refusals.retain(|r| r.minute >= keep_from.0);
        before - self.codes.len() - self.refusals.len()
    }
}

/// Sweeps the register in `desk_dir` ([`Register::sweep`]) and writes it back.
pub fn sweep(desk_dir: &Path, keep_from: Minute) -> Result<usize> {
    let mut r = Register::load(desk_dir)?;
    let n = r.sweep(keep_from);
    if n > 0 {
        r.save(desk_dir)?;
    }
    Ok(n)
}

/// Records a code just issued for the person with `phone`.
pub fn record_issued(desk: &Desk, code: &ConsentCode, phone: &PhoneNumber) -> Result<()> {
    let mut r = Register::load(desk.dir())?;
    if r.code(&code.nonce).is_some() {
        return Err(DeskError::refused(Msg::new("desk-err-nonce-twice")));
    }
    r.codes.push(IssuedCode {
        case_id: code.case_id.clone(),
        nonce: Hex(code.nonce.to_vec()),
        first_day: code.first_day.0,
        days: code.days,
        issued: code.issued.0,
        expires: code.expires.0,
        phone: phone.as_str().to_owned(),
        opened: None,
    });
    r.save(desk.dir())?;
    crate::audit::record(
        desk,
        "consent-code",
        serde_json::json!({
            "case": code.case_id,
            "first_day": code.first_day.date_text(),
            "days": code.days,
            "expires_minute": code.expires.0,
        }),
    )
}

/// Records one refused release in the register (the one place refusals are written).
pub fn record_refusal(
    desk: &Desk,
    now: Minute,
    case_id: &str,
    nonce: &[u8],
    reason: &str,
) -> Result<()> {
    let mut r = Register::load(desk.dir())?;
    r.refusals.push(Refusal {
        minute: now.0,
        case_id: case_id.to_owned(),
        nonce: Hex(nonce.to_vec()),
        reason: reason.to_owned(),
    });
    r.save(desk.dir())?;
    // The audit line names the case and the reason, never the phone number.
    crate::audit::record(
        desk,
        "consent-release-refused",
        serde_json::json!({ "case": case_id, "reason": reason }),
    )
}

/// The one release the desk takes from a consent package, in the shape the opening steps read.
#[derive(Clone, Debug)]
pub struct ChosenConsent {
    /// Case id.
    pub case_id: String,
    /// The code's nonce.
    pub nonce: Hex,
    /// The person's home authority.
    pub home_authority: u16,
    /// The release's AUTH part.
    pub release_auth_part: Hex,
    /// The user entries the vault found with its find keys.
    pub user_entries: Vec<FoundEntry>,
}

/// What [`choose`] gives: the release taken, its opened AUTH part, and notes for the desk's user
/// (refused candidates with their reasons).
pub struct Chosen {
    /// The release taken.
    pub consent: ChosenConsent,
    /// Its AUTH part, opened.
    pub release: ReleaseForAuthority,
    /// One line per refused candidate.
    pub notes: Vec<String>,
}

/// One candidate as the tracer sees it when choosing.
fn describe(number: usize, entries: &[FoundEntry], days: usize, merged: u32) -> String {
    let first = entries.iter().map(|e| e.minute).min();
    let last = entries.iter().map(|e| e.minute).max();
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("first visit {}, last visit {}", time_text(f), time_text(l)),
        _ => "no visits".into(),
    };
    let devices = if merged > 1 {
        format!(", {merged} devices")
    } else {
        String::new()
    };
    format!(
        "  candidate {number}: {days} days released, {} visits, {span}{devices}",
        entries.len()
    )
}

/// Checks every candidate of a consent package against the case register and takes the release
/// made by the code's person. `choice` (1-based) picks one when several registrations sent a
/// release with that person's phone number. Every refusal is recorded in the register.
pub fn choose(
    desk: &Desk,
    now: Minute,
    pkg: &ConsentPackage,
    choice: Option<usize>,
) -> Result<Chosen> {
    let register = Register::load(desk.dir())?;
    // The register keeps the refusal in English (the audit's language); the caller words it.
    let refuse_all = |reason: Msg| -> Result<Chosen> {
        let e = DeskError::refused(reason);
        record_refusal(desk, now, &pkg.case_id, &pkg.nonce.0, &e.to_string())?;
        Err(e)
    };
    let Some(entry) = register.code(&pkg.nonce.0).cloned() else {
        return refuse_all(Msg::new("desk-err-code-unknown").text("case", pkg.case_id.clone()));
    };
    if entry.case_id != pkg.case_id {
        return refuse_all(
            Msg::new("desk-err-code-other-case")
                .text("case", pkg.case_id.clone())
                .text("ours", entry.case_id.clone()),
        );
    }
    let last = u32::from(entry.days)
        .checked_sub(1)
        .and_then(|d| entry.first_day.checked_add(d))
        .unwrap_or(entry.first_day);
    let mut notes = Vec::new();
    let mut matching: Vec<(usize, ReleaseForAuthority)> = Vec::new();
    // One AUTH part checked against the register entry.
    let check = |part: &[u8]| -> std::result::Result<ReleaseForAuthority, Msg> {
        match ReleaseForAuthority::open(desk.seal_key(), part) {
            Err(e) => Err(Msg::new("desk-reason-auth-closed").text("why", e.to_string())),
            Ok(r) if r.case_id != entry.case_id || r.nonce.as_slice() != entry.nonce.0 => {
                Err(Msg::new("desk-reason-auth-other-case"))
            }
            Ok(r) if r.phone.as_str() != entry.phone => Err(Msg::new("desk-reason-other-person")),
            Ok(r)
                if r.enc_keys
                    .iter()
                    .any(|(d, _)| d.0 < entry.first_day || d.0 > last) =>
            {
                Err(Msg::new("desk-reason-other-days"))
            }
            Ok(r) => Ok(r),
        }
    };
    for (i, c) in pkg.candidates.iter().enumerate() {
        let number = i + 1;
        let checked = check(&c.release_auth_part.0);
        match checked {
            Ok(r) => matching.push((number, r)),
            Err(reason) => {
                let english = desk.texts().format(spur_i18n::Lang::En, &reason);
                record_refusal(
                    desk,
                    now,
                    &pkg.case_id,
                    &pkg.nonce.0,
                    &format!("candidate {number}: {english}"),
                )?;
                notes.push(
                    Msg::new("desk-reason-candidate")
                        .num("number", number as f64)
                        .msgs("reason", vec![reason]),
                );
            }
        }
    }
    let mut registrations: Vec<[u8; 16]> =
        matching.iter().map(|(_, r)| r.registration_id).collect();
    registrations.sort_unstable();
    registrations.dedup();
    let pick = match (registrations.len(), choice) {
        (0, _) => {
            return Err(DeskError::refused(
                Msg::new("desk-err-no-release")
                    .text("case", pkg.case_id.clone())
                    .msgs("reasons", notes),
            ))
        }
        (1, None) => matching.first().map(|(n, _)| *n),
        (_, Some(n)) => {
            if !matching.iter().any(|(m, _)| *m == n) {
                let choices: Vec<String> = matching.iter().map(|(m, _)| m.to_string()).collect();
                return Err(DeskError::refused(
                    Msg::new("desk-err-not-candidate")
                        .num("number", n as f64)
                        .text("choices", choices.join(", ")),
                ));
            }
            Some(n)
        }
        (_, None) => {
            let lines: Vec<String> = matching
                .iter()
                .filter_map(|(n, r)| {
                    pkg.candidates
                        .get(n - 1)
                        .map(|c| describe(*n, &c.user_entries, r.enc_keys.len(), c.releases))
                })
                .collect();
            return Err(DeskError::refused(
                Msg::new("desk-err-candidates")
                    .num("count", matching.len() as f64)
                    .text("case", pkg.case_id.clone())
                    .text("lines", lines.join("\n")),
            ));
        }
    };
    let Some((n, mut release)) = pick.and_then(|n| matching.into_iter().find(|(m, _)| *m == n))
    else {
        return Err(DeskError::refused(Msg::new("desk-err-no-candidate")));
    };
    let Some(c) = pkg.candidates.get(n - 1) else {
        return Err(DeskError::refused(Msg::new("desk-err-no-candidate")));
    };
    // The other devices' releases merged into this candidate: each checked like the first and
    // from the same registration; their own personal codes are added (union).
    for (k, part) in c.more_auth_parts.iter().enumerate() {
        let device = k + 2;
        let checked = check(&part.0).and_then(|r| {
            if r.registration_id == release.registration_id {
                Ok(r)
            } else {
                Err(Msg::new("desk-reason-other-registration"))
            }
        });
        match checked {
            Ok(r) => {
                for own in r.own_codes {
                    if !release.own_codes.iter().any(|(id, _)| *id == own.0) {
                        release.own_codes.push(own);
                    }
                }
            }
            Err(reason) => {
                let english = desk.texts().format(spur_i18n::Lang::En, &reason);
                record_refusal(
                    desk,
                    now,
                    &pkg.case_id,
                    &pkg.nonce.0,
                    &format!("candidate {n}, device {device}: {english}"),
                )?;
                notes.push(
                    Msg::new("desk-reason-device")
                        .num("number", n as f64)
                        .num("device", device as f64)
                        .msgs("reason", vec![reason]),
                );
            }
        }
    }
    let mut r = Register::load(desk.dir())?;
    if let Some(e) = r.codes.iter_mut().find(|e| e.nonce.0 == pkg.nonce.0) {
        e.opened = Some(now.0);
    }
    r.save(desk.dir())?;
    Ok(Chosen {
        consent: ChosenConsent {
            case_id: pkg.case_id.clone(),
            nonce: pkg.nonce.clone(),
            home_authority: c.home_authority,
            release_auth_part: c.release_auth_part.clone(),
            user_entries: c.user_entries.clone(),
        },
        release,
        notes: notes.iter().map(|m| desk.say(m)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(nonce: u8, expires: u32) -> IssuedCode {
        IssuedCode {
            case_id: "M-1".into(),
            nonce: Hex(vec![nonce; 16]),
            first_day: 1,
            days: 1,
            issued: expires - 60,
            expires,
            phone: "+4915100000001".into(),
            opened: None,
        }
    }

    #[test]
    fn the_register_is_private_round_trips_and_forgets_after_retention() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Register::load(dir.path()).unwrap(), Register::default());
        let mut r = Register {
            codes: vec![entry(1, 1_000), entry(2, 50_000)],
            refusals: vec![Refusal {
                minute: 900,
                case_id: "M-1".into(),
                nonce: Hex(vec![1; 16]),
                reason: "it was made by another person".into(),
            }],
        };
        r.save(dir.path()).unwrap();
        let mode = std::fs::metadata(Register::path(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(Register::load(dir.path()).unwrap(), r);
        assert!(r.code(&[2; 16]).is_some() && r.code(&[3; 16]).is_none());
        assert_eq!(sweep(dir.path(), Minute(10_000)).unwrap(), 2);
        r = Register::load(dir.path()).unwrap();
        assert_eq!(r.codes, vec![entry(2, 50_000)]);
        assert!(r.refusals.is_empty());
        assert_eq!(sweep(dir.path(), Minute(10_000)).unwrap(), 0);
    }
}
