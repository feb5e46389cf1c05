//! Forwarding between desks through the vault: what the consenting desk could not open because it
//! is sealed to another authority goes on to that authority, still sealed, so the vault never
//! reads it.
//!
//! - A card owner whose contact reference is sealed to another authority (the consenting desk
//!   read the card's TAG layer, which names that authority): a contacts file for it.
//! - User entries of the case sealed to the person's home authority: a relay file for it; the
//!   home desk takes off its AUTH layer and sends the USR layers back (`Vault::relay`), which
//!   only the consenting desk opens with the released encryption keys.
//! - Place labels (`spur_wire::exchange::place_label`): the consenting desk names the place of a
//!   stay another authority received contacts for; they go to it in a contacts file, beside any
//!   card owners for it.

use std::collections::BTreeMap;

use spur_offline::skip::{SkipReason, Skips};
use spur_protocol::directory::Directory;
use spur_protocol::record::{CONTACT_REF_SEALED, USER_AUTH_LAYER};
use spur_wire::exchange::{
    ContactRecord, ContactsPackage, Hex, RelayPackage, ResolveRequest, SealedPlaceLabel,
    PLACE_LABEL_SEALED,
};

use crate::error::{Result, VaultError};
use crate::reach::{digest, CaseReach};
use crate::store::Store;

/// Most items one request may forward.
pub const MAX_FORWARD: usize = 100_000;

/// The files a request's forward lists turn into.
#[derive(Default)]
pub struct Forwards {
    /// Contacts files per receiving authority (card owners).
    pub contacts: BTreeMap<u16, ContactsPackage>,
    /// The relay file and its receiver.
    pub relay: Option<(u16, RelayPackage)>,
}

/// The contacts file for `to` (made empty on first use).
fn package<'a>(
    out: &'a mut Forwards,
    to: u16,
    from: u16,
    case_id: &str,
) -> &'a mut ContactsPackage {
    out.contacts.entry(to).or_insert_with(|| ContactsPackage {
        case_id: case_id.to_owned(),
        consenting_authority: from,
        infected_ref: None,
        contacts: Vec::new(),
        place_labels: Vec::new(),
    })
}

fn bad(reason: &str) -> VaultError {
    VaultError::bad_file("resolve request", reason.to_owned())
}

/// Checks the forward lists of a request from `from` and builds the files they turn into. Only
/// the consenting authority of the case may forward, user entries only for a consent this vault
/// handed to it, and only what the case reached (`reach`, updated): at most one card owner per
/// card the case's stays scanned, only user entries the consent package held, and one place
/// label per place stay and authority that received contacts there. A forwarded
/// item that names an authority not in the directory (or the sender), is malformed, or lies
/// outside the case is skipped and counted; the rest goes on.
pub fn plan(
    store: &mut dyn Store,
    dir: &Directory,
    from: u16,
    req: &ResolveRequest,
    reach: &mut CaseReach,
) -> Result<(Forwards, Skips)> {
    let mut out = Forwards::default();
    let mut skips = Skips::new();
    let entries = req.forward_entries.as_ref().map_or(0, |f| f.entries.len());
    if req.forward_owners.is_empty() && entries == 0 && req.forward_labels.is_empty() {
        return Ok((out, skips));
    }
    if req.forward_owners.len() + entries + req.forward_labels.len() > MAX_FORWARD {
        return Err(bad("too many items to forward"));
    }
    let (consenting, case_id) = spur_wire::exchange::split_case_ref(&req.case_id)?;
    if consenting != from {
        return Err(VaultError::Refused(
            "only the consenting authority forwards what its case found".into(),
        ));
    }
    let known = |to: u16| to != from && dir.authority(to).is_some();
    for o in &req.forward_owners {
        if !known(o.to) {
            skips.add(SkipReason::UnknownAuthority);
            continue;
        }
        if o.sealed_ref.0.len() != CONTACT_REF_SEALED || o.stay_in >= o.stay_out {
            skips.add(SkipReason::BadField);
            continue;
        }
        if reach.owners_forwarded >= reach.card_stays {
            skips.add(SkipReason::OutsideCase);
            continue;
        }
        reach.owners_forwarded = reach.owners_forwarded.saturating_add(1);
        reach.add_contacts(o.to, 1);
        package(&mut out, o.to, from, &case_id)
            .contacts
            .push(ContactRecord {
                stay: o.stay,
                stay_in: o.stay_in,
                stay_out: o.stay_out,
                own_code: false,
                sealed_ref: o.sealed_ref.clone(),
                region: Hex(vec![0; 12]),
                time_in: o.stay_in,
                time_out: o.stay_out,
                overlap_minutes: o.stay_out - o.stay_in,
                code_owner: true,
            });
    }
    for l in &req.forward_labels {
        if !known(l.to) {
            skips.add(SkipReason::UnknownAuthority);
        } else if l.sealed.0.len() != PLACE_LABEL_SEALED {
            skips.add(SkipReason::BadField);
        } else if !reach.take_label(l.to, l.stay) {
            skips.add(SkipReason::OutsideCase);
        } else {
            package(&mut out, l.to, from, &case_id)
                .place_labels
                .push(SealedPlaceLabel {
                    stay: l.stay,
                    sealed: l.sealed.clone(),
                });
        }
    }
    if let Some(f) = req
        .forward_entries
        .as_ref()
        .filter(|f| !f.entries.is_empty())
    {
        if !known(f.to) {
            return Err(bad(
                "user entries are forwarded to the sender itself or to an authority not in the directory",
            ));
        }
        let nonce: [u8; 16] = f.nonce.array().ok_or_else(|| bad("bad nonce"))?;
        match store.nonce_case(&nonce)? {
            Some((case, auth)) if case == case_id && auth == from => {}
            _ => {
                return Err(VaultError::Refused(format!(
                    "no consent for case {case_id} of authority {from} was handled by this vault"
                )))
            }
        }
        let mut kept = Vec::new();
        for e in &f.entries {
            if e.auth_layer.0.len() != USER_AUTH_LAYER {
                skips.add(SkipReason::BadField);
            } else if !reach.entries.contains(&digest("entry", &e.auth_layer.0)) {
                skips.add(SkipReason::OutsideCase);
            } else {
                kept.push(e.clone());
            }
        }
        if !kept.is_empty() {
            out.relay = Some((
                f.to,
                RelayPackage {
                    case_id,
                    consenting_authority: from,
                    nonce: f.nonce.clone(),
                    entries: kept,
                },
            ));
        }
    }
    Ok((out, skips))
}
