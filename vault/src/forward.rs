//! Forwarding between desks through the vault: what the consenting desk could not open because it
//! is sealed to another authority goes on to that authority, still sealed, so the vault never
//! reads it.
//!
//! - A card owner whose contact reference is sealed to another authority (the consenting desk
//!   read the card's TAG layer, which names that authority): a contacts file for it.
//! - User entries of the case sealed to the person's home authority: a relay file for it; the
//!   home desk takes off its AUTH layer and sends the USR layers back (`Vault::relay`), which
//!   only the consenting desk opens with the released encryption keys.

use std::collections::BTreeMap;

use spur_protocol::directory::Directory;
use spur_protocol::record::{CONTACT_REF_SEALED, USER_AUTH_LAYER};

use crate::error::{Result, VaultError};
use crate::exchange::{ContactRecord, ContactsPackage, RelayPackage, ResolveRequest};
use crate::hex::Hex;
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

fn bad(reason: &str) -> VaultError {
    VaultError::bad_file("resolve request", reason.to_owned())
}

/// Splits `<authority>:<case>` (the case reference of a resolve request).
pub fn split_case_ref(s: &str) -> Result<(u16, String)> {
    let (a, c) = s.split_once(':').ok_or_else(|| bad("bad case reference"))?;
    let a = a.parse().map_err(|_| bad("bad case reference"))?;
    Ok((a, c.to_owned()))
}

fn other_authority(dir: &Directory, from: u16, to: u16) -> Result<()> {
    if to == from || dir.authority(to).is_none() {
        return Err(bad(
            "something is forwarded to the sender itself or to an authority not in the directory",
        ));
    }
    Ok(())
}

/// Checks the forward lists of a request from `from` and builds the files they turn into. Only
/// the consenting authority of the case may forward, and user entries only for a consent this
/// vault handed to it.
pub fn plan(
    store: &mut dyn Store,
    dir: &Directory,
    from: u16,
    req: &ResolveRequest,
) -> Result<Forwards> {
    let mut out = Forwards::default();
    let entries = req.forward_entries.as_ref().map_or(0, |f| f.entries.len());
    if req.forward_owners.is_empty() && entries == 0 {
        return Ok(out);
    }
    if req.forward_owners.len() + entries > MAX_FORWARD {
        return Err(bad("too many items to forward"));
    }
    let (consenting, case_id) = split_case_ref(&req.case_id)?;
    if consenting != from {
        return Err(VaultError::Refused(
            "only the consenting authority forwards what its case found".into(),
        ));
    }
    for o in &req.forward_owners {
        other_authority(dir, from, o.to)?;
        if o.sealed_ref.0.len() != CONTACT_REF_SEALED || o.stay_in >= o.stay_out {
            return Err(bad("a forwarded card owner is malformed"));
        }
        let pkg = out.contacts.entry(o.to).or_insert_with(|| ContactsPackage {
            case_id: case_id.clone(),
            consenting_authority: from,
            infected_ref: None,
            contacts: Vec::new(),
        });
        pkg.contacts.push(ContactRecord {
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
    if let Some(f) = req
        .forward_entries
        .as_ref()
        .filter(|f| !f.entries.is_empty())
    {
        other_authority(dir, from, f.to)?;
        let nonce: [u8; 16] = f.nonce.array().ok_or_else(|| bad("bad nonce"))?;
        match store.nonce_case(&nonce)? {
            Some((case, auth)) if case == case_id && auth == from => {}
            _ => {
                return Err(VaultError::Refused(format!(
                    "no consent for case {case_id} of authority {from} was handled by this vault"
                )))
            }
        }
        if f.entries
            .iter()
            .any(|e| e.auth_layer.0.len() != USER_AUTH_LAYER)
        {
            return Err(bad("a forwarded user entry has the wrong size"));
        }
        out.relay = Some((
            f.to,
            RelayPackage {
                case_id,
                consenting_authority: from,
                nonce: f.nonce.clone(),
                entries: f.entries.clone(),
            },
        ));
    }
    Ok(out)
}
