//! The two desk steps of a cross-authority case: the infected person's user entries are sealed to
//! their home authority, the consent release to the consenting one.
//!
//! 1. Home desk (`open_relay`): takes its AUTH layer off each entry and sends the USR layers back
//!    through the vault. It cannot read them: the encryption keys are in the release, sealed to
//!    the consenting authority.
//! 2. Consenting desk (`open_relayed`): opens the USR layers with the released keys (from the
//!    release's AUTH part kept sealed in its case file), adds the stays to the case and writes a
//!    further SCAN-key file and code request for the vault.

use spur_i18n::Msg;
use std::collections::HashMap;

use serde_json::json;
use spur_offline::skip::{SkipReason, Skips};
use spur_protocol::record::consent_release::ReleaseForAuthority;
use spur_protocol::record::visit::{open_user_auth_layer, open_visit};
use spur_protocol::time::Minute;
use spur_wire::exchange::{
    self, case_ref, Hex, PackageKind, RelayPackage, RelayedPackage, UsrLayer,
};

use crate::audit;
use crate::case::{self, CaseFile};
use crate::desk::Desk;
use crate::error::{DeskError, Result};
use crate::open::{infected_ref, to_vault};
use crate::stays;

/// Home desk: opens a relay file; returns the file for the vault and how many entries opened.
pub fn open_relay(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<(Vec<u8>, usize)> {
    let r = audit::refused(desk, "open-relay", open_relay_inner(desk, rng, file))?;
    audit::record(desk, "open-relay", json!({ "entries": r.1 }))?;
    Ok(r)
}

fn open_relay_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<(Vec<u8>, usize)> {
    let (_, pkg) = exchange::open::<RelayPackage, DeskError>(
        file,
        PackageKind::Relay,
        desk.id,
        desk.seal_key(),
        desk.vault_key(),
    )?;
    let mut out = RelayedPackage {
        case_id: pkg.case_id,
        consenting_authority: pkg.consenting_authority,
        nonce: pkg.nonce,
        entries: Vec::new(),
        unopened: 0,
    };
    for e in &pkg.entries {
        match open_user_auth_layer(desk.seal_key(), &e.auth_layer.0) {
            Ok(usr) => out.entries.push(UsrLayer {
                minute: e.minute,
                usr_layer: Hex(usr.to_vec()),
            }),
            Err(_) => out.unopened = out.unopened.saturating_add(1),
        }
    }
    let n = out.entries.len();
    Ok((to_vault(desk, rng, PackageKind::Relayed, &out)?, n))
}

/// What opening relayed entries gives the consenting desk.
pub struct RelayedOpened {
    /// The updated case file (already saved).
    pub case: CaseFile,
    /// Stays added.
    pub added: usize,
    /// The SCAN-key file of the added stays (`None` when nothing was added).
    pub scan_file: Option<Vec<u8>>,
    /// The request for the added stays' codes (`None` when nothing was added).
    pub resolve_file: Option<Vec<u8>>,
    /// Entries the home desk could not open either.
    pub unopened: u32,
    /// Entries skipped here (outside the released days, did not open), by reason.
    pub skips: Skips,
}

/// Consenting desk: opens the USR layers a home desk relayed back for one of its cases. An entry
/// outside the released days or that does not open is skipped and counted.
pub fn open_relayed(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<RelayedOpened> {
    let o = audit::refused(desk, "open-relayed", open_relayed_inner(desk, rng, file))?;
    audit::record(
        desk,
        "open-relayed",
        json!({ "case": o.case.case_id, "added": o.added, "unopened": o.unopened, "skipped": o.skips.audit() }),
    )?;
    Ok(o)
}

fn open_relayed_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<RelayedOpened> {
    let (_, pkg) = exchange::open::<RelayedPackage, DeskError>(
        file,
        PackageKind::Relayed,
        desk.id,
        desk.seal_key(),
        desk.vault_key(),
    )?;
    if pkg.consenting_authority != desk.id {
        return Err(DeskError::bad_file(
            "relayed file",
            "it belongs to another authority's case",
        ));
    }
    let path = case::case_path(&desk.cases_dir()?, &pkg.case_id);
    let mut caf: CaseFile = case::load(&path)?.ok_or_else(|| {
        DeskError::refused(Msg::new("desk-err-no-case-file").text("case", pkg.case_id.clone()))
    })?;
    if caf.nonce != pkg.nonce {
        return Err(DeskError::bad_file(
            "relayed file",
            "it belongs to another consent of this case",
        ));
    }
    let release = ReleaseForAuthority::open(desk.seal_key(), &caf.release_auth_part.0)?;
    let enc: HashMap<_, _> = release.enc_keys.iter().cloned().collect();
    let mut segments = Vec::with_capacity(pkg.entries.len());
    let mut skips = Skips::new();
    for e in &pkg.entries {
        let Some(key) = enc.get(&Minute(e.minute).day()) else {
            skips.add(SkipReason::OutsideCase);
            continue;
        };
        match open_visit(key, &e.usr_layer.0) {
            Ok(v) => segments.push(v),
            Err(e) => skips.add(SkipReason::of(&e)),
        }
    }
    let first = u32::try_from(caf.stays.len()).unwrap_or(u32::MAX);
    let added = stays::group(&segments, first, &caf.stays);
    caf.stays.extend(added.iter().map(|(s, _)| s.clone()));
    case::save(&path, &caf)?;
    let (scan_file, resolve_file) = if added.is_empty() {
        (None, None)
    } else {
        let scan = stays::scan_file(
            &caf.case_id,
            &caf.nonce,
            &added,
            infected_ref(desk, rng, &caf)?,
            None,
        );
        let req = stays::code_request(case_ref(desk.id, &caf.case_id), &added);
        (
            Some(to_vault(desk, rng, PackageKind::ScanKeys, &scan)?),
            Some(to_vault(desk, rng, PackageKind::ResolveRequest, &req)?),
        )
    };
    Ok(RelayedOpened {
        added: added.len(),
        case: caf,
        scan_file,
        resolve_file,
        unopened: pkg.unopened,
        skips,
    })
}
