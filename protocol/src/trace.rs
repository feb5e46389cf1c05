//! Tracing primitives for the vault and the authority desk, gathered in one place: find-tag
//! enumeration, trial opening of a bucket of slot entries, the stay-overlap test, and the
//! sealed packages the vault hands to an authority as files.

use std::collections::HashMap;

use crate::error::Result;
use crate::keys::{SealPublicKey, SealSecretKey};
use crate::labels::AUTH_PACKAGE;
use crate::record::visit::{SlotContact, SlotOpener};
use crate::tag::ScanKey;
use crate::time::{overlap_minutes, Day, Minute};
use crate::usr::{FindKey, FindTag};

pub use crate::time::stays_overlap;

/// Every find-tag of the released days, mapped to the minute it stands for: what the vault looks
/// up in its index of user entries. 14 days give 80,640 tags.
pub fn find_tag_index(find_keys: &[(Day, FindKey)]) -> HashMap<FindTag, Minute> {
    let mut map = HashMap::with_capacity(find_keys.len() * 1440 * 4);
    for (day, key) in find_keys {
        map.extend(key.enumerate(*day));
    }
    map
}

/// Trial-opens every SCAN layer of one bucket (same slot and region) with one SCAN key and keeps
/// the contacts whose stay overlaps `[time_in, time_out)`, with the minutes of overlap. Entries
/// made with another key — other codes, other slots — do not open and stay sealed.
pub fn overlapping_contacts<'a>(
    key: &ScanKey,
    time_in: Minute,
    time_out: Minute,
    scan_layers: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<(SlotContact, u32)>> {
    let opener = SlotOpener::new(key)?;
    Ok(scan_layers
        .into_iter()
        .filter_map(|layer| opener.try_open(layer))
        .filter_map(|c| {
            let m = overlap_minutes(time_in, time_out, c.time_in, c.time_out);
            (m > 0).then_some((c, m))
        })
        .collect())
}

/// Seals a file's content (a package between vault and authority) to an authority.
pub fn seal_package(
    rng: &mut impl rand_core::CryptoRngCore,
    to: &SealPublicKey,
    content: &[u8],
) -> Result<Vec<u8>> {
    to.seal(rng, AUTH_PACKAGE, content)
}

/// Opens a package sealed to this authority; a package for another authority or altered on the
/// way does not open.
pub fn open_package(key: &SealSecretKey, sealed: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    key.open(AUTH_PACKAGE, "AUTH", sealed)
}
