//! The desk's files per case, kept as JSON with mode 0600 under `cases/`: the consenting
//! authority's own case (stays with their TAG keys) and, per case of any authority, the contacts
//! routed to this desk with what was resolved about them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use spur_wire::exchange::Hex;

use crate::error::{DeskError, Result};

/// One stay of the infected person (one visit; long visits span several user entries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    /// Number within the case.
    pub stay: u32,
    /// 1 place, 2 personal code.
    pub code_kind: u8,
    /// QR id.
    pub qr_id: Hex,
    /// TAG key of the code (opens its record).
    pub tag: Hex,
    /// Bucket region (12 bytes).
    pub bucket: Hex,
    /// Check-in (minute).
    pub time_in: u32,
    /// Check-out (minute).
    pub time_out: u32,
    /// True for the person's own personal code.
    pub own_code: bool,
    /// What is known about the place or the code's owner once resolved (files written before
    /// [`Stay::place`] existed; new files keep the facts below and word them when listing).
    pub label: Option<String>,
    /// The place's details as this desk opened them (a place of this authority).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceInfo>,
    /// The authority that holds what this desk cannot read: the place's details, or the owner of
    /// a personal code (forwarded there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_by: Option<u16>,
    /// True when the owner of this personal code was found and is in this desk's list.
    #[serde(default)]
    pub owner_listed: bool,
}

/// What a place's record told this desk (`PlaceDetails`, opened with its AUTH key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceInfo {
    /// Name shown when scanning.
    pub name: String,
    /// Address, building part or room, as the place's owner wrote it (may be empty).
    pub description: String,
    /// Country and postcode, e.g. `DE 80331`.
    pub region: String,
    /// Phone number (E.164) of the person responsible for the place.
    pub phone: String,
}

/// The consenting authority's file of one case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    /// Case id.
    pub case_id: String,
    /// Consent nonce (empty for a card trace).
    pub nonce: Hex,
    /// Stays.
    pub stays: Vec<Stay>,
    /// The infected person's registration id (from the release's AUTH part; empty for a card
    /// trace): their own slot entries point to it and are left out of every list.
    #[serde(default)]
    pub registration_id: Hex,
    /// The person's home authority (their user entries and slot entries are sealed to it).
    #[serde(default)]
    pub home_authority: u16,
    /// The release's AUTH part, still sealed to this desk: relayed user entries are opened with
    /// its encryption keys when they come back, so no key is kept in the clear.
    #[serde(default)]
    pub release_auth_part: Hex,
}

/// One contact at one stay, after its reference was opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactStay {
    /// Registration id the reference points to.
    pub registration_id: Hex,
    /// The case's stay.
    pub stay: u32,
    /// The infected person's stay start.
    pub stay_in: u32,
    /// The infected person's stay end.
    pub stay_out: u32,
    /// Whether the stay is at the infected person's own code.
    pub own_code: bool,
    /// Contact's check-in.
    pub time_in: u32,
    /// Contact's check-out.
    pub time_out: u32,
    /// Overlap in minutes.
    pub overlap_minutes: u32,
    /// Where the contact said they live (12 bytes, zeros if not given).
    pub region: Hex,
    /// True when this is the owner of a personal code the infected person scanned (found through
    /// the code's record, not through a slot entry).
    #[serde(default)]
    pub code_owner: bool,
}

/// What the authority read from a registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Phone number (E.164).
    pub phone: String,
    /// Campus id, if given.
    pub campus_id: Option<String>,
    /// Country, if given.
    pub country: Option<String>,
    /// Postcode, if given.
    pub postcode: Option<String>,
    /// Birth year, if given.
    pub birth_year: Option<u16>,
}

/// The contacts of one case routed to this desk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFile {
    /// The consenting authority's case id.
    pub case_id: String,
    /// The consenting authority.
    pub consenting_authority: u16,
    /// The infected person's registration id, when the case's consenting desk sent it (this desk
    /// is their home authority): left out of the list.
    #[serde(default)]
    pub infected: Option<Hex>,
    /// Every contact stay (deduplicated).
    pub stays: Vec<ContactStay>,
    /// Resolved people by registration id (hex).
    pub people: BTreeMap<String, Person>,
    /// Registrations that will not be resolved, by registration id (hex), with the final reason
    /// (`deleted`, `other-authority`, `outside-case`, `does-not-open`, `bad-field`): listed as
    /// such and never asked for again.
    #[serde(default)]
    pub gone: BTreeMap<String, String>,
    /// The places of this case's stays as the consenting desk named them in place labels
    /// (`crate::place_labels`), by stay number: only for another authority's case.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub places: BTreeMap<u32, PlaceInfo>,
}

/// A string made safe as part of a file name: letters, digits and `-` kept, the rest `_`.
pub fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The path of this desk's own case file.
pub fn case_path(cases: &Path, case_id: &str) -> PathBuf {
    cases.join(format!("case-{}.json", safe(case_id)))
}

/// The path of the contact file of a case of `authority`.
pub fn contacts_path(cases: &Path, authority: u16, case_id: &str) -> PathBuf {
    cases.join(format!("contacts-{authority}-{}.json", safe(case_id)))
}

/// Reads a JSON file, or `None` when it does not exist.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    match std::fs::read(path) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| DeskError::bad_file("case file", format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DeskError::io(path, e)),
    }
}

/// Writes a JSON file with mode 0600, atomically.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec_pretty(value)
            .map_err(|e| DeskError::bad_file("case file", e.to_string()))?,
    );
    Ok(spur_offline::private::write_private_file(path, &json)?)
}
