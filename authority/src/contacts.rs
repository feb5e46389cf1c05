//! The contact list the authority's staff phone through: one person per registration, with their
//! stays next to the infected person (place, time in, time out, overlap), as spreadsheet-safe CSV
//! and as JSON. The infected person's own entries are left out by their registration id.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use spur_offline::csv::CsvWriter;
use spur_offline::OfflineError;
use spur_protocol::fields::Region;
use spur_wire::exchange::Hex;

use crate::case::{CaseFile, ContactFile, Person};

/// One stay of a contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListStay {
    /// Where: the place's name if this desk could read it, else what is known.
    pub place: String,
    /// Contact's check-in (UTC, `YYYY-MM-DD HH:MM`).
    pub time_in: String,
    /// Contact's check-out.
    pub time_out: String,
    /// Minutes shared with the infected person.
    pub overlap_minutes: u32,
}

/// One person on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// Phone number, or a note when the registration could not be resolved.
    pub phone: String,
    /// Campus id.
    pub campus_id: String,
    /// Country.
    pub country: String,
    /// Postcode.
    pub postcode: String,
    /// Birth year.
    pub birth_year: String,
    /// Stays with the infected person, earliest first.
    pub stays: Vec<ListStay>,
}

/// The whole list of one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactList {
    /// Case id of the consenting authority.
    pub case_id: String,
    /// The consenting authority.
    pub consenting_authority: u16,
    /// People.
    pub contacts: Vec<ListEntry>,
}

/// `YYYY-MM-DD HH:MM` of a minute.
pub fn time_text(minute: u32) -> String {
    spur_protocol::time::Minute(minute).date_time_text()
}

fn place_label(
    case: Option<&CaseFile>,
    cf: &ContactFile,
    stay: u32,
    authority_name: &str,
) -> String {
    case.and_then(|c| c.stays.iter().find(|s| s.stay == stay))
        .and_then(|s| s.label.clone())
        .unwrap_or_else(|| format!("stay {stay} of case {} ({authority_name})", cf.case_id))
}

/// What the list says instead of a phone number for a registration that will not be resolved.
pub fn gone_text(reason: &str) -> &'static str {
    match reason {
        "deleted" => "(deleted: the person deleted their data or it expired)",
        "other-authority" => "(with another authority)",
        "outside-case" => "(refused: outside the case)",
        "does-not-open" => "(skipped: contact data does not open)",
        _ => "(skipped: invalid contact data)",
    }
}

/// Builds the list. `case` is this desk's own case file when the case is its own (place names).
pub fn build(cf: &ContactFile, case: Option<&CaseFile>, authority_name: &str) -> ContactList {
    // The infected person's own slot entries open with their SCAN keys like everyone's; they are
    // left out exactly by the registration id the consenting desk sent (sealed) with the trace.
    let infected = cf
        .infected
        .clone()
        .or_else(|| case.map(|c| c.registration_id.clone()))
        .filter(|id| !id.0.is_empty());
    let mut by_person: BTreeMap<&Hex, Vec<&crate::case::ContactStay>> = BTreeMap::new();
    for s in &cf.stays {
        // A registration skipped for invalid or unopenable contact data, or refused as outside the
        // case, is no person to phone: it was reported and audited when it was skipped.
        let skipped = cf
            .gone
            .get(&data_encoding::HEXLOWER.encode(&s.registration_id.0))
            .is_some_and(|why| !matches!(why.as_str(), "deleted" | "other-authority"));
        if infected.as_ref() != Some(&s.registration_id) && !skipped {
            by_person.entry(&s.registration_id).or_default().push(s);
        }
    }
    let mut contacts: Vec<ListEntry> = by_person
        .into_iter()
        .map(|(id, stays)| {
            let person: Option<&Person> = cf.people.get(&data_encoding::HEXLOWER.encode(&id.0));
            let region = stays
                .first()
                .and_then(|s| s.region.array::<12>())
                .and_then(|r| Region::decode(r).ok().flatten());
            let mut seen = BTreeSet::new();
            let mut list: Vec<ListStay> = stays
                .iter()
                .filter(|s| seen.insert((s.stay, s.time_in, s.time_out)))
                .map(|s| ListStay {
                    place: place_label(case, cf, s.stay, authority_name),
                    time_in: time_text(s.time_in),
                    time_out: time_text(s.time_out),
                    overlap_minutes: s.overlap_minutes,
                })
                .collect();
            list.sort_by(|a, b| (&a.time_in, &a.place).cmp(&(&b.time_in, &b.place)));
            ListEntry {
                phone: person.map(|p| p.phone.clone()).unwrap_or_else(|| {
                    cf.gone
                        .get(&data_encoding::HEXLOWER.encode(&id.0))
                        .map_or("(not resolved yet)", |why| gone_text(why))
                        .into()
                }),
                campus_id: person.and_then(|p| p.campus_id.clone()).unwrap_or_default(),
                country: person
                    .and_then(|p| p.country.clone())
                    .or_else(|| region.map(|r| r.country.as_str().to_owned()))
                    .unwrap_or_default(),
                postcode: person
                    .and_then(|p| p.postcode.clone())
                    .or_else(|| {
                        region
                            .and_then(|r| r.postcode)
                            .map(|p| p.as_str().to_owned())
                    })
                    .unwrap_or_default(),
                birth_year: person
                    .and_then(|p| p.birth_year)
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                stays: list,
            }
        })
        .collect();
    contacts.sort_by(|a, b| a.phone.cmp(&b.phone));
    ContactList {
        case_id: cf.case_id.clone(),
        consenting_authority: cf.consenting_authority,
        contacts,
    }
}

/// The list as CSV, one line per person and stay, every cell spreadsheet-safe
/// ([`spur_offline::csv`]).
pub fn to_csv(list: &ContactList) -> Result<String, OfflineError> {
    let mut out = CsvWriter::new();
    out.row(&[
        "case",
        "phone",
        "campus_id",
        "country",
        "postcode",
        "birth_year",
        "place",
        "time_in",
        "time_out",
        "overlap_minutes",
    ])?;
    for c in &list.contacts {
        for s in &c.stays {
            out.row(&[
                list.case_id.as_str(),
                &c.phone,
                &c.campus_id,
                &c.country,
                &c.postcode,
                &c.birth_year,
                &s.place,
                &s.time_in,
                &s.time_out,
                &s.overlap_minutes.to_string(),
            ])?;
        }
    }
    out.finish()
}

/// The list as JSON.
pub fn to_json(list: &ContactList) -> String {
    serde_json::to_string_pretty(list).unwrap_or_else(|_| "{}".into())
}
