//! The case workflow the CLI (`spur authority import`/`status`) and the web desk share: bring in
//! a file from the vault (its kind read from its own header, never from its name), say what it
//! was and which files go back to the vault, and where every case stands. One library, so the
//! terminal and the browser cannot behave differently.

use std::path::{Path, PathBuf};

use spur_i18n::Msg;
use spur_wire::exchange::{self, split_case_ref, PackageKind, ResolveAnswer, VAULT};

use crate::case::{self, safe, CaseFile, ContactFile};
use crate::error::{DeskError, Result};
use crate::open::{self, TmpHistory};
use crate::register::Register;
use crate::Desk;

/// A file for the vault, with the name the desk gives it.
pub struct ForVault {
    /// File name (letters, digits, `-`, `.`): `scan-keys-M-1.spkg`, `resolve-more-2.spkg`, …
    pub name: String,
    /// The sealed file.
    pub bytes: Vec<u8>,
}

/// What bringing in one file from the vault did.
pub struct Imported {
    /// What the file was.
    pub kind: PackageKind,
    /// The case it belongs to (as the consenting authority numbers it).
    pub case_id: String,
    /// The consenting authority.
    pub authority: u16,
    /// What happened, in words (Fluent messages of `web.ftl`).
    pub said: Vec<Msg>,
    /// Notes of the opening steps (already in words).
    pub notes: Vec<String>,
    /// Files to hand to the vault (may be none: then the case waits for nothing from this step).
    pub for_vault: Vec<ForVault>,
}

/// Options for a consent package (the same as `spur authority open consent`).
#[derive(Default)]
pub struct ImportOptions {
    /// The TAG server's answers for the person's own cards.
    pub tmp_keys: Vec<TmpHistory>,
    /// Which registration to open when several sent a release with the person's number.
    pub candidate: Option<usize>,
}

/// The Fluent id of a file kind (`web-kind-consent`, …).
pub fn kind_id(kind: PackageKind) -> &'static str {
    match kind {
        PackageKind::Consent => "web-kind-consent",
        PackageKind::ScanKeys => "web-kind-scan-keys",
        PackageKind::Contacts => "web-kind-contacts",
        PackageKind::ResolveRequest => "web-kind-resolve-request",
        PackageKind::ResolveAnswer => "web-kind-resolve-answer",
        PackageKind::Relay => "web-kind-relay",
        PackageKind::Relayed => "web-kind-relayed",
    }
}

/// Brings in one file from the vault: reads its kind from the clear header and opens it with the
/// same `open`/`relay` function the CLI's `open …` commands call; saves the case file where the
/// CLI does. Refuses a file that is not a package, is not from the vault or not for this desk,
/// and a kind that goes the other way (a file the desk wrote for the vault).
pub fn import(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported> {
    let env = exchange::peek(bytes)?;
    if matches!(
        env.kind,
        PackageKind::ScanKeys | PackageKind::ResolveRequest
    ) {
        return Err(DeskError::refused(Msg::new("desk-err-file-for-vault")));
    }
    if env.from != VAULT {
        return Err(DeskError::NotFromVault);
    }
    if env.to != desk.id {
        return Err(DeskError::refused(
            Msg::new("desk-err-file-other-authority").text("to", env.to.to_string()),
        ));
    }
    match env.kind {
        PackageKind::Consent => {
            let o = open::open_consent_choosing(desk, rng, bytes, &opts.tmp_keys, opts.candidate)?;
            case::save(
                &case::case_path(&desk.cases_dir()?, &o.case.case_id),
                &o.case,
            )?;
            let c = safe(&o.case.case_id);
            let mut said =
                vec![Msg::new("web-did-consent").num("stays", o.case.stays.len() as f64)];
            said.extend(skips(&o.skips));
            Ok(Imported {
                kind: env.kind,
                case_id: o.case.case_id.clone(),
                authority: desk.id,
                said,
                notes: o.notes,
                for_vault: vec![
                    ForVault {
                        name: format!("scan-keys-{c}.spkg"),
                        bytes: o.scan_file,
                    },
                    ForVault {
                        name: format!("resolve-places-{c}.spkg"),
                        bytes: o.resolve_file,
                    },
                ],
            })
        }
        PackageKind::Contacts => {
            let o = open::open_contacts(desk, rng, bytes)?;
            let cf = &o.file;
            let mut said = vec![Msg::new("web-did-contacts").num("people", cf.people.len() as f64)];
            said.extend(skips(&o.skips));
            let for_vault = o
                .request
                .map(|r| ForVault {
                    name: format!("resolve-contacts-{}.spkg", safe(&cf.case_id)),
                    bytes: r,
                })
                .into_iter()
                .collect();
            Ok(Imported {
                kind: env.kind,
                case_id: cf.case_id.clone(),
                authority: cf.consenting_authority,
                said,
                notes: Vec::new(),
                for_vault,
            })
        }
        PackageKind::ResolveAnswer => {
            // The answer names its case; read it first (the same checks `open_resolved` makes).
            let (_, ans) = exchange::open::<ResolveAnswer, DeskError>(
                bytes,
                PackageKind::ResolveAnswer,
                desk.id,
                desk.seal_key(),
                desk.vault_key(),
            )?;
            let (authority, case_id) = split_case_ref(&ans.case_id)?;
            let o = open::open_resolved(desk, rng, bytes)?;
            let mut said = vec![Msg::new(if o.request.is_some() {
                "web-did-resolved-more"
            } else {
                "web-did-resolved-all"
            })];
            if o.gone > 0 {
                said.push(Msg::new("web-did-gone").num("count", o.gone as f64));
            }
            said.extend(skips(&o.skips));
            let for_vault = o
                .request
                .map(|r| ForVault {
                    name: "resolve-more.spkg".into(),
                    bytes: r,
                })
                .into_iter()
                .collect();
            Ok(Imported {
                kind: env.kind,
                case_id,
                authority,
                said,
                notes: Vec::new(),
                for_vault,
            })
        }
        PackageKind::Relay => {
            let (_, rp) = exchange::open::<spur_wire::exchange::RelayPackage, DeskError>(
                bytes,
                PackageKind::Relay,
                desk.id,
                desk.seal_key(),
                desk.vault_key(),
            )?;
            let (back, n) = crate::relay::open_relay(desk, rng, bytes)?;
            Ok(Imported {
                kind: env.kind,
                case_id: rp.case_id.clone(),
                authority: rp.consenting_authority,
                said: vec![Msg::new("web-did-relay").num("count", n as f64)],
                notes: Vec::new(),
                for_vault: vec![ForVault {
                    name: format!(
                        "relayed-{}-{}.spkg",
                        rp.consenting_authority,
                        safe(&rp.case_id)
                    ),
                    bytes: back,
                }],
            })
        }
        PackageKind::Relayed => {
            let o = crate::relay::open_relayed(desk, rng, bytes)?;
            let c = safe(&o.case.case_id);
            case::save(
                &case::case_path(&desk.cases_dir()?, &o.case.case_id),
                &o.case,
            )?;
            let mut said = vec![Msg::new("web-did-relayed").num("count", o.added as f64)];
            said.extend(skips(&o.skips));
            let mut for_vault = Vec::new();
            if let (Some(s), Some(r)) = (o.scan_file, o.resolve_file) {
                for_vault.push(ForVault {
                    name: format!("scan-keys-{c}-relayed.spkg"),
                    bytes: s,
                });
                for_vault.push(ForVault {
                    name: format!("resolve-places-{c}-relayed.spkg"),
                    bytes: r,
                });
            }
            Ok(Imported {
                kind: env.kind,
                case_id: o.case.case_id.clone(),
                authority: desk.id,
                said,
                notes: Vec::new(),
                for_vault,
            })
        }
        PackageKind::ScanKeys | PackageKind::ResolveRequest => {
            Err(DeskError::refused(Msg::new("desk-err-file-for-vault")))
        }
    }
}

fn skips(s: &spur_offline::skip::Skips) -> Option<Msg> {
    crate::texts::skipped(s).map(|m| Msg::new("web-did-skipped").msgs("what", vec![m]))
}

/// Writes the files for the vault into `dir` (0700, created on demand): `resolve-more.spkg` is
/// numbered by the files already there (names never grow); the other names are fixed by the case.
pub fn write_for_vault(dir: &Path, files: &[ForVault]) -> Result<Vec<PathBuf>> {
    spur_offline::private::private_dir(dir)?;
    let mut out = Vec::new();
    for f in files {
        let name = if f.name == "resolve-more.spkg" {
            let n = std::fs::read_dir(dir).map_or(0, |d| d.count());
            format!("resolve-more-{}.spkg", n + 1)
        } else {
            f.name.clone()
        };
        let p = dir.join(name);
        spur_offline::private::write_private_file(&p, &f.bytes)?;
        out.push(p);
    }
    Ok(out)
}

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// A consent code was issued; the citizen has not released (or the vault has not sent the
    /// release yet).
    WaitingForRelease,
    /// The desk opened the release (or made a card trace): the vault has the SCAN keys to trace with.
    WaitingForVault,
    /// Contacts came in; some are still being resolved by the vault.
    Resolving,
    /// Every contact is resolved (or final with a reason): the list can be worked.
    ContactsReady,
}

impl Stage {
    /// The Fluent id of the stage's name.
    pub fn id(self) -> &'static str {
        match self {
            Self::WaitingForRelease => "web-stage-release",
            Self::WaitingForVault => "web-stage-vault",
            Self::Resolving => "web-stage-resolving",
            Self::ContactsReady => "web-stage-ready",
        }
    }

    /// The Fluent id of what to do next.
    pub fn next_id(self) -> &'static str {
        match self {
            Self::WaitingForRelease => "web-next-release",
            Self::WaitingForVault => "web-next-vault",
            Self::Resolving => "web-next-resolving",
            Self::ContactsReady => "web-next-ready",
        }
    }
}

/// One case at a glance.
#[derive(Clone, Debug)]
pub struct CaseStatus {
    /// Case id.
    pub case_id: String,
    /// The consenting authority (this desk for its own cases).
    pub authority: u16,
    /// Where it stands.
    pub stage: Stage,
    /// People on the contact list.
    pub people: usize,
    /// Contacts not resolved yet (neither contact data nor a final reason).
    pub unresolved: usize,
    /// The first day and number of days of the newest consent code, for own cases.
    pub days: Option<(String, u8)>,
}

/// The status of one contact file.
fn contacts_stage(cf: &ContactFile) -> (usize, usize) {
    let mut open = std::collections::BTreeSet::new();
    for s in &cf.stays {
        let id = data_encoding::HEXLOWER.encode(&s.registration_id.0);
        if !cf.people.contains_key(&id) && !cf.gone.contains_key(&id) {
            open.insert(id);
        }
    }
    (cf.people.len(), open.len())
}

/// Every case on the desk, newest code first, then cases of other authorities by id.
pub fn cases(desk: &Desk) -> Result<Vec<CaseStatus>> {
    let dir = desk.cases_dir()?;
    let register = Register::load(desk.dir())?;
    let mut out: Vec<CaseStatus> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for code in register.codes.iter().rev() {
        if seen.insert((desk.id, code.case_id.clone())) {
            let days = Some((
                spur_protocol::time::Day(code.first_day).date_text(),
                code.days,
            ));
            out.push(status_of(desk, &dir, desk.id, &code.case_id, days)?);
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| DeskError::io(&dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in names {
        let Some(stem) = n.strip_suffix(".json") else {
            continue;
        };
        let found = if let Some(c) = stem.strip_prefix("case-") {
            case::load::<CaseFile>(&dir.join(&n))?
                .map(|f| (desk.id, f.case_id))
                .filter(|_| !c.is_empty())
        } else if stem.starts_with("contacts-") {
            case::load::<ContactFile>(&dir.join(&n))?.map(|f| (f.consenting_authority, f.case_id))
        } else {
            None
        };
        if let Some((a, c)) = found {
            if seen.insert((a, c.clone())) {
                out.push(status_of(desk, &dir, a, &c, None)?);
            }
        }
    }
    Ok(out)
}

/// The status of one case (`authority`'s case `case_id`).
pub fn status(desk: &Desk, authority: u16, case_id: &str) -> Result<Option<CaseStatus>> {
    Ok(cases(desk)?
        .into_iter()
        .find(|c| c.authority == authority && c.case_id == case_id))
}

fn status_of(
    desk: &Desk,
    dir: &Path,
    authority: u16,
    case_id: &str,
    days: Option<(String, u8)>,
) -> Result<CaseStatus> {
    let cf: Option<ContactFile> = case::load(&case::contacts_path(dir, authority, case_id))?;
    let own = authority == desk.id && case::case_path(dir, case_id).exists();
    let (stage, people, unresolved) = match cf {
        Some(cf) => {
            let (p, u) = contacts_stage(&cf);
            let s = if u > 0 {
                Stage::Resolving
            } else {
                Stage::ContactsReady
            };
            (s, p, u)
        }
        None if own || authority != desk.id => (Stage::WaitingForVault, 0, 0),
        None => (Stage::WaitingForRelease, 0, 0),
    };
    Ok(CaseStatus {
        case_id: case_id.to_owned(),
        authority,
        stage,
        people,
        unresolved,
        days,
    })
}

/// The slots of a history request for `days` days from `first`, none after `now`: the first slot
/// and the last (inclusive); None when the days are out of range or start after `now`.
pub fn history_slots(
    first: spur_protocol::time::Day,
    days: u32,
    now: spur_protocol::time::Minute,
) -> Option<(spur_protocol::time::Slot, spur_protocol::time::Slot)> {
    use spur_protocol::time::{Slot, SLOTS_PER_DAY};
    let first_slot = first.0.checked_mul(SLOTS_PER_DAY)?;
    let last = first
        .0
        .checked_add(days.max(1))?
        .checked_mul(SLOTS_PER_DAY)?
        .checked_sub(1)
        .map(Slot)?
        .min(now.slot());
    (last.0 >= first_slot).then_some((Slot(first_slot), last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_protocol::time::{Day, Minute};

    #[test]
    fn history_slots_end_now_at_the_latest() {
        let day = Day(20_000);
        let noon = Minute(20_000 * 1440 + 720);
        let (first, last) = history_slots(day, 3, noon).unwrap();
        assert_eq!(first.0, 20_000 * 48);
        assert_eq!(last, noon.slot());
        let (_, last) = history_slots(Day(19_990), 2, noon).unwrap();
        assert_eq!(last.0, 19_992 * 48 - 1);
        assert!(history_slots(Day(20_001), 1, noon).is_none());
        assert!(history_slots(Day(u32::MAX), 1, noon).is_none());
    }
}
