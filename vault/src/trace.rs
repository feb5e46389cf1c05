//! The vault's part of a trace: trial-open the slot entries of each stay's buckets with the SCAN
//! keys the authority sent, keep the stays that overlap, and group the contacts by the authority
//! each contact reference is sealed to.

use std::collections::BTreeMap;

use spur_offline::skip::{SkipReason, Skips};
use spur_protocol::fields::Region;
use spur_protocol::tag::ScanKey;
use spur_protocol::time::Minute;
use spur_protocol::trace::overlapping_contacts;
use spur_wire::exchange::{ContactRecord, ContactsPackage, Hex, ScanKeyFile};

use crate::error::{Result, VaultError};
use crate::store::Store;

/// Most stays one SCAN-key file may hold (28 days of 4 visits per minute is far above any real case).
pub const MAX_STAYS: usize = 10_000;

/// What one trace found: one package body per receiving authority, and what it skipped.
#[derive(Debug, Default)]
pub struct Traced {
    /// Contacts per receiving authority.
    pub packages: BTreeMap<u16, ContactsPackage>,
    /// Stays, keys and contacts skipped, by reason.
    pub skips: Skips,
}

/// Runs the trace of one SCAN-key file. A stay with a malformed bucket or key, and a contact
/// whose authority the directory does not list (`known` says which are), is counted in
/// [`Traced::skips`] and skipped; every other contact is found as before.
pub fn trace(
    store: &mut dyn Store,
    file: &ScanKeyFile,
    consenting_authority: u16,
    known: impl Fn(u16) -> bool,
) -> Result<Traced> {
    if file.stays.len() > MAX_STAYS {
        return Err(VaultError::bad_file("SCAN-key file", "too many stays"));
    }
    let mut out = Traced::default();
    for stay in &file.stays {
        let Some(bucket) = stay.bucket.array::<12>() else {
            out.skips.add(SkipReason::BadField);
            continue;
        };
        if Region::decode(bucket).is_err() || stay.time_in >= stay.time_out {
            out.skips.add(SkipReason::BadField);
            continue;
        }
        for (slot, key) in &stay.keys {
            let Some(key) = key.array::<32>().map(ScanKey::from_bytes) else {
                out.skips.add(SkipReason::BadField);
                continue;
            };
            let layers = store.slot_layers(*slot, stay.code_kind, &bucket)?;
            let found = overlapping_contacts(
                &key,
                Minute(stay.time_in),
                Minute(stay.time_out),
                layers.iter().map(Vec::as_slice),
            )?;
            for (c, minutes) in found {
                if !known(c.home_authority) {
                    out.skips.add(SkipReason::UnknownAuthority);
                    continue;
                }
                if c.time_in >= c.time_out {
                    out.skips.add(SkipReason::BadField);
                    continue;
                }
                let pkg = out
                    .packages
                    .entry(c.home_authority)
                    .or_insert_with(|| ContactsPackage {
                        case_id: file.case_id.clone(),
                        consenting_authority,
                        infected_ref: None,
                        contacts: Vec::new(),
                        place_labels: Vec::new(),
                    });
                pkg.contacts.push(ContactRecord {
                    stay: stay.stay,
                    stay_in: stay.time_in,
                    stay_out: stay.time_out,
                    own_code: stay.own_code,
                    sealed_ref: Hex(c.sealed_ref),
                    region: Hex(Region::encode_opt(c.region.as_ref()).to_vec()),
                    time_in: c.time_in.0,
                    time_out: c.time_out.0,
                    overlap_minutes: minutes,
                    code_owner: false,
                });
            }
        }
    }
    // The person's own slot entries went to their home authority's package: it gets the sealed
    // id to leave them out by.
    if let Some(r) = &file.infected_ref {
        if let Some(pkg) = out.packages.get_mut(&r.authority) {
            pkg.infected_ref = Some(r.sealed.clone());
        }
    }
    Ok(out)
}
