//! The contact list as the web page shows it: `contacts::build` (the list the CLI writes) joined
//! with the case's call sheet. The one place that reads the list's fields, so a change of the
//! list's shape is adapted here only.

use crate::calls::{self, CallStatus};
use crate::case::{self, CaseFile, ContactFile};
use crate::contacts;
use crate::error::Result;
use crate::Desk;

/// One stay on the page.
pub struct StayRow {
    /// Where: the place's name (or in words what is known about it).
    pub place: String,
    /// The place's address or description (empty when unknown).
    pub address: String,
    /// Phone of the person responsible for the place (empty when unknown).
    pub place_phone: String,
    /// Check-in, local time with the zone named.
    pub time_in: String,
    /// Check-out.
    pub time_out: String,
    /// Minutes together with the infected person.
    pub overlap: u32,
}

/// One person on the page.
pub struct Row {
    /// Row number (1-based; names the form fields).
    pub n: usize,
    /// Phone number, or why there is none.
    pub phone: String,
    /// True when `phone` is a number to call (a call status can be kept).
    pub callable: bool,
    /// How they were found (a place, a personal code, a card), in words.
    pub found: String,
    /// True when they own a personal code (card) the infected person scanned.
    pub card_owner: bool,
    /// Postcode, country, campus id, birth year: what is known.
    pub details: String,
    /// Stays.
    pub stays: Vec<StayRow>,
    /// Call status.
    pub status: CallStatus,
    /// Note.
    pub note: String,
    /// Who changed the call last.
    pub by: String,
}

/// The rows of the contact list of `authority`'s case `case_id`, or None when the desk has no
/// contacts of it yet.
pub fn rows(desk: &Desk, authority: u16, case_id: &str) -> Result<Option<Vec<Row>>> {
    let cases = desk.cases_dir()?;
    let Some(cf) = case::load::<ContactFile>(&case::contacts_path(&cases, authority, case_id))?
    else {
        return Ok(None);
    };
    let own: Option<CaseFile> = if authority == desk.id {
        case::load(&case::case_path(&cases, case_id))?
    } else {
        None
    };
    let list = contacts::build(desk, &cf, own.as_ref());
    let sheet = calls::load(&cases, authority, case_id)?;
    Ok(Some(
        list.people
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let callable = e.status == contacts::Status::Resolved && e.phone.starts_with('+');
                let call = if callable {
                    sheet.calls.get(&e.phone).cloned().unwrap_or_default()
                } else {
                    Default::default()
                };
                let details = [&e.postcode, &e.country, &e.campus_id, &e.birth_year]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                Row {
                    n: i + 1,
                    callable,
                    phone: if callable { e.phone } else { e.reason },
                    found: e.found_through_text,
                    card_owner: e.card_owner,
                    details,
                    stays: e
                        .stays
                        .into_iter()
                        .map(|s| StayRow {
                            place: s.place,
                            address: s.address,
                            place_phone: s.place_phone,
                            time_in: s.time_in,
                            time_out: s.time_out,
                            overlap: s.overlap_minutes,
                        })
                        .collect(),
                    status: call.status,
                    note: call.note,
                    by: call.by,
                }
            })
            .collect(),
    ))
}

/// True when `phone` is a callable number on the list of the case.
pub fn on_list(desk: &Desk, authority: u16, case_id: &str, phone: &str) -> Result<bool> {
    Ok(rows(desk, authority, case_id)?
        .is_some_and(|r| r.iter().any(|r| r.callable && r.phone == phone)))
}
