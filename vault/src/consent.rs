//! Consent intake: open a consent release's OP layer, enumerate the find-tags of the released
//! days, look them up among the user entries, and gather what the consenting authority needs.

use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::consent_release::ReleaseForVault;
use spur_protocol::trace::find_tag_index;

use crate::error::{Result, VaultError};
use crate::exchange::{ConsentPackage, FoundEntry};
use crate::hex::Hex;
use crate::store::{ConsentRow, Store};

/// The package for the consenting authority, and who that is.
pub struct Intake {
    /// The consenting authority (receiver of the package).
    pub consenting_authority: u16,
    /// The package body.
    pub package: ConsentPackage,
    /// Days released.
    pub days: usize,
}

/// Finds the user entries of a consent release. Refuses a release whose nonce was used before.
pub fn intake(store: &mut dyn Store, op: &SealSecretKey, row: &ConsentRow) -> Result<Intake> {
    let release = ReleaseForVault::open(op, &row.sealed)?;
    if store.nonce_case(&release.nonce)?.is_some() {
        return Err(VaultError::Refused(format!(
            "the consent for case {} was handled before (a release is used once)",
            release.case_id
        )));
    }
    let index = find_tag_index(&release.find_keys);
    // Sorted, the lookups walk the find-tag index in order (far fewer page misses).
    let mut tags: Vec<[u8; 32]> = index.keys().copied().collect();
    tags.sort_unstable();
    let mut user_entries: Vec<FoundEntry> = store
        .user_entries(&tags)?
        .into_iter()
        .filter_map(|(tag, layer)| {
            index.get(&tag).map(|m| FoundEntry {
                minute: m.0,
                auth_layer: Hex(layer),
            })
        })
        .collect();
    user_entries.sort_by(|a, b| (a.minute, &a.auth_layer).cmp(&(b.minute, &b.auth_layer)));
    Ok(Intake {
        consenting_authority: release.consenting_authority,
        days: release.find_keys.len(),
        package: ConsentPackage {
            case_id: release.case_id,
            nonce: Hex(release.nonce.to_vec()),
            home_authority: release.home_authority,
            release_auth_part: Hex(release.auth_part),
            user_entries,
        },
    })
}
