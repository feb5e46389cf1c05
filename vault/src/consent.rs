//! Consent intake: only releases that answer a consent code the desk issued are taken.
//!
//! The desk hands the vault the signed code it issued (`spur vault consent take --code FILE`). The
//! vault verifies it against the signed directory and the day and time policy, then selects the
//! waiting releases with that code's nonce: a release naming another case or authority, or a day
//! the code does not ask for, is refused. Releases with identical find keys (the same registration
//! on a second device) merge into one candidate; releases that differ all go to the desk as
//! candidates, each with its AUTH part (a merged one with every device's), for the desk to check
//! against its case register. Several releases for one code never block a case. For every
//! candidate the vault enumerates the find-tags of its days and looks them up among the user
//! entries; at most [`MAX_CANDIDATES`] candidates per code are kept, the rest refused.

use spur_protocol::consent::ConsentCode;
use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::consent_release::ReleaseForVault;
use spur_protocol::time::Day;
use spur_protocol::trace::find_tag_index;
use spur_protocol::usr::FindKey;
use spur_wire::exchange::{ConsentCandidate, ConsentPackage, FoundEntry, Hex};

use crate::error::{Result, VaultError};
use crate::store::{ConsentRow, Store};

/// A waiting release that was refused, with its reason (for the audit log and the operator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRelease {
    /// The release's record id (hex, first 16 digits): names it in the audit log.
    pub record: String,
    /// Why, in words.
    pub reason: String,
}

/// The package for the consenting authority, and what was selected and refused.
pub struct Intake {
    /// The consenting authority (receiver of the package).
    pub consenting_authority: u16,
    /// The package body (one or more candidates).
    pub package: ConsentPackage,
    /// Days the code asks for.
    pub days: usize,
    /// Releases that answered the code and were taken (merged ones counted each; those over
    /// the cap are in `refused`).
    pub releases: usize,
    /// Releases with the code's nonce that were refused.
    pub refused: Vec<RefusedRelease>,
}

fn record_name(row: &ConsentRow) -> String {
    data_encoding::HEXLOWER.encode(row.id.get(..8).unwrap_or(&[]))
}

/// Checks one release against the code: nonce, case, authority and days.
fn check_release(code: &ConsentCode, r: &ReleaseForVault) -> std::result::Result<(), String> {
    if r.nonce != code.nonce {
        return Err("its nonce is not the code's".into());
    }
    if r.case_id != code.case_id {
        return Err(format!(
            "it names case {}, the code is for case {}",
            r.case_id, code.case_id
        ));
    }
    if r.consenting_authority != code.authority {
        return Err(format!(
            "it names authority {}, the code was issued by authority {}",
            r.consenting_authority, code.authority
        ));
    }
    if r.find_keys.is_empty() {
        return Err("it releases no day".into());
    }
    if let Some((d, _)) = r.find_keys.iter().find(|(d, _)| !code.covers(*d)) {
        return Err(format!(
            "it releases {}, a day the code does not ask for",
            d.date_text()
        ));
    }
    Ok(())
}

/// The user entries of one candidate's find keys, ordered by minute.
fn find_entries(store: &mut dyn Store, keys: &[(Day, FindKey)]) -> Result<Vec<FoundEntry>> {
    let index = find_tag_index(keys);
    // Sorted, the lookups walk the find-tag index in order (far fewer page misses).
    let mut tags: Vec<[u8; 32]> = index.keys().copied().collect();
    tags.sort_unstable();
    let mut found: Vec<FoundEntry> = store
        .user_entries(&tags)?
        .into_iter()
        .filter_map(|(tag, layer)| {
            index.get(&tag).map(|m| FoundEntry {
                minute: m.0,
                auth_layer: Hex(layer),
            })
        })
        .collect();
    found.sort_by(|a, b| (a.minute, &a.auth_layer).cmp(&(b.minute, &b.auth_layer)));
    Ok(found)
}

/// At most this many distinct candidates (releases with differing find keys) go to the desk for
/// one consent code. Each candidate costs the vault one find-tag enumeration of its days, and
/// anyone with a photo of the code can upload hand-built releases for it: releases beyond the cap
/// are refused and audited, never an error. Which are kept: [`intake`].
pub const MAX_CANDIDATES: usize = 8;

/// At most this many identical releases (devices of one registration) merge into one candidate;
/// further ones are refused and audited like releases over [`MAX_CANDIDATES`].
pub const MAX_DEVICES: usize = 8;

/// A candidate while releases are grouped.
struct Group {
    /// The released days with their find keys.
    keys: Vec<(Day, FindKey)>,
    /// The user's home authority.
    home: u16,
    /// The AUTH parts of every merged release, first stored first, with their record names.
    auths: Vec<(Vec<u8>, String)>,
    /// Whether the release asks for exactly the code's days.
    full_days: bool,
}

/// A digest of a release's find keys, to merge identical releases without comparing every pair.
fn keys_digest(keys: &[(Day, FindKey)]) -> [u8; 32] {
    let mut parts: Vec<Vec<u8>> = Vec::with_capacity(keys.len());
    for (d, k) in keys {
        let mut p = d.0.to_be_bytes().to_vec();
        p.extend_from_slice(k.expose());
        parts.push(p);
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    spur_protocol::crypto::sha256(&refs)
}

/// Takes the releases among `rows` that answer the verified `code`. Refuses a code whose nonce
/// was taken before. A bad release is refused and reported, never an error; when no release
/// answers the code the package has no candidate (the caller leaves everything waiting).
///
/// At most [`MAX_CANDIDATES`] candidates are kept: first those whose days are exactly the code's
/// days, then in the order the store gives (`rows`: earliest upload day first). Each further
/// candidate's releases are refused with the reason "over the cap".
pub fn intake(
    store: &mut dyn Store,
    op: &SealSecretKey,
    code: &ConsentCode,
    rows: &[ConsentRow],
) -> Result<Intake> {
    if store.nonce_case(&code.nonce)?.is_some() {
        return Err(VaultError::Refused(format!(
            "the consent code for case {} was taken before (a code is taken once); nothing to do",
            code.case_id
        )));
    }
    let code_days: Vec<Day> = code.day_list().collect();
    let mut refused = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_keys: std::collections::HashMap<[u8; 32], usize> = std::collections::HashMap::new();
    for row in rows.iter().filter(|r| r.nonce == code.nonce) {
        let release = match ReleaseForVault::open(op, &row.sealed) {
            Ok(r) => r,
            Err(e) => {
                refused.push(RefusedRelease {
                    record: record_name(row),
                    reason: format!("it does not open: {e}"),
                });
                continue;
            }
        };
        if let Err(reason) = check_release(code, &release) {
            refused.push(RefusedRelease {
                record: record_name(row),
                reason,
            });
            continue;
        }
        let digest = keys_digest(&release.find_keys);
        match by_keys.get(&digest).and_then(|i| groups.get_mut(*i)) {
            // The same registration (same USR key, same days) from another device: one intake,
            // every AUTH part kept (the other device may list other own personal codes).
            Some(g) if g.auths.len() < MAX_DEVICES => {
                g.auths.push((release.auth_part, record_name(row)))
            }
            Some(_) => refused.push(RefusedRelease {
                record: record_name(row),
                reason: format!(
                    "over the cap: {MAX_DEVICES} identical releases (devices) for this code \
                     were taken already"
                ),
            }),
            None => {
                let full_days = release
                    .find_keys
                    .iter()
                    .map(|(d, _)| *d)
                    .eq(code_days.iter().copied());
                by_keys.insert(digest, groups.len());
                groups.push(Group {
                    keys: release.find_keys,
                    home: release.home_authority,
                    auths: vec![(release.auth_part, record_name(row))],
                    full_days,
                });
            }
        }
    }
    // A flood cannot push out a release for exactly the code's days stored before it: those come
    // first, each kind in store order (stable sort).
    groups.sort_by_key(|g| !g.full_days);
    if groups.len() > MAX_CANDIDATES {
        for g in groups.drain(MAX_CANDIDATES..) {
            for (_, record) in g.auths {
                refused.push(RefusedRelease {
                    record,
                    reason: format!(
                        "over the cap: {MAX_CANDIDATES} differing releases for this code were \
                         taken already (releases for exactly the code's days first, then the \
                         earliest stored)"
                    ),
                });
            }
        }
    }
    let mut releases = 0;
    let mut candidates = Vec::with_capacity(groups.len());
    for g in groups {
        releases += g.auths.len();
        let merged = u32::try_from(g.auths.len()).unwrap_or(u32::MAX);
        let mut auths = g.auths.into_iter().map(|(a, _)| Hex(a));
        let Some(first) = auths.next() else { continue };
        candidates.push(ConsentCandidate {
            home_authority: g.home,
            release_auth_part: first,
            user_entries: find_entries(store, &g.keys)?,
            days: g.keys.iter().map(|(d, _)| d.0).collect(),
            releases: merged,
            more_auth_parts: auths.collect(),
        });
    }
    Ok(Intake {
        consenting_authority: code.authority,
        days: usize::from(code.days),
        releases,
        refused,
        package: ConsentPackage {
            case_id: code.case_id.clone(),
            nonce: Hex(code.nonce.to_vec()),
            candidates,
        },
    })
}

/// Reads a consent code from the text of the file the desk wrote (its URL, as printed).
pub fn parse_code(text: &str) -> Result<ConsentCode> {
    let url = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    match spur_protocol::qr::Payload::parse(url)?.code {
        spur_protocol::qr::Code::Consent(c) => Ok(c),
        _ => Err(VaultError::Refused(
            "this file holds a spur code, but not a consent code: give the .code file \
             `spur authority consent-code` wrote"
                .into(),
        )),
    }
}
