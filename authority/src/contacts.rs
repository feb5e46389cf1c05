//! The contact list the authority's staff phone through: one row per person with every stay next
//! to the infected person (place, its address and responsible phone, time in and out in the
//! desk's time zone, overlap), how they were found, and a plain reason for anyone not resolved.
//! Repeated scans of one visit are merged; the infected person's own entries are left out by
//! their registration id. [`build`] makes the one [`ContactList`] the CLI and the web desk show;
//! its CSV, JSON, text and PDF forms are in [`crate::listing`] (re-exported here).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use spur_protocol::fields::Region;
use spur_protocol::record::visit::CodeKind;
use spur_protocol::time::{overlap_minutes, Minute};
use spur_wire::exchange::Hex;

use crate::case::{CaseFile, ContactFile, ContactStay, Person, PlaceInfo, Stay};
use crate::desk::Desk;
use crate::texts::{Lang, Msg, Texts};

pub use crate::listing::{stay_line, to_csv, to_json, to_lines, to_pdf, to_text};

/// How a contact was found at one stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Found {
    /// At a place the infected person visited.
    Place,
    /// At a personal code the infected person scanned (its owner, or others who scanned it).
    PersonalCode,
    /// They scanned the infected person's own card or personal code.
    Card,
    /// A stay of another authority's case: this desk does not know its kind.
    Stay,
}

impl Found {
    fn msg(self) -> &'static str {
        match self {
            Self::Place => "desk-found-place",
            Self::PersonalCode => "desk-found-personal-code",
            Self::Card => "desk-found-card",
            Self::Stay => "desk-found-stay",
        }
    }
}

/// Whether a person's contact data is on this desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Phone number and details are here.
    Resolved,
    /// Still to be resolved (the vault's answer is to be opened).
    Pending,
    /// The person deleted their data or it expired.
    Deleted,
    /// Another authority holds their contact data.
    OtherAuthority,
}

/// One stay of a contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StayRow {
    /// Where: the place's name, or in words what is known about it.
    pub place: String,
    /// The place's address or description and postcode (empty when unknown).
    pub address: String,
    /// Phone number of the person responsible for the place (empty when unknown).
    pub place_phone: String,
    /// How the contact was found at this stay.
    pub found_through: Found,
    /// True when the contact is here as the owner of a personal code the infected person scanned.
    pub card_owner: bool,
    /// Contact's check-in, in the desk's time zone with the zone named.
    pub time_in: String,
    /// Contact's check-out.
    pub time_out: String,
    /// Check-in as a protocol minute (UTC), for sorting.
    pub time_in_minute: u32,
    /// Check-out as a protocol minute.
    pub time_out_minute: u32,
    /// Minutes shared with the infected person.
    pub overlap_minutes: u32,
}

/// One person on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonRow {
    /// Number on the list, from 1.
    pub number: usize,
    /// Phone number (E.164); empty when not resolved (see `reason`).
    pub phone: String,
    /// Whether the contact data is here.
    pub status: Status,
    /// Why there is no phone number, in plain words; empty when resolved.
    pub reason: String,
    /// How they were found, over all their stays.
    pub found_through: Vec<Found>,
    /// The same in words.
    pub found_through_text: String,
    /// True when they own a personal code (card) the infected person scanned.
    pub card_owner: bool,
    /// Campus id.
    pub campus_id: String,
    /// Country.
    pub country: String,
    /// Postcode.
    pub postcode: String,
    /// Birth year.
    pub birth_year: String,
    /// Stays with the infected person, earliest first.
    pub stays: Vec<StayRow>,
}

/// The whole list of one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactList {
    /// Case id of the consenting authority.
    pub case_id: String,
    /// The consenting authority.
    pub consenting_authority: u16,
    /// Its name.
    pub consenting_authority_name: String,
    /// The language of the list's words (`de`, `en`).
    pub lang: String,
    /// The time zone its times are in.
    pub time_zone: String,
    /// People, resolved first, then by their first stay.
    pub people: Vec<PersonRow>,
    /// Stays over all people.
    pub stay_count: usize,
    /// `2 people, 6 stays`: the count every message about this list uses.
    pub summary: String,
}

impl ContactList {
    /// The language of the list.
    pub fn language(&self) -> Lang {
        Lang::from_tag(&self.lang)
    }
}

/// How the list is worded: language, time zone and authority names.
pub struct View<'a> {
    /// The desk's words.
    pub texts: &'a Texts,
    /// The language.
    pub lang: Lang,
    /// The IANA time zone.
    pub time_zone: &'a str,
    /// The name of an authority by id.
    pub names: &'a dyn Fn(u16) -> String,
}

impl View<'_> {
    fn say(&self, msg: &Msg) -> String {
        self.texts.format(self.lang, msg)
    }

    fn time(&self, m: u32) -> String {
        crate::texts::local_time(self.texts, self.lang, self.time_zone, Minute(m))
    }
}

/// `YYYY-MM-DD HH:MM` of a minute (UTC).
pub fn time_text(minute: u32) -> String {
    Minute(minute).date_time_text()
}

/// `2 people, 6 stays` in `lang`.
pub fn summary(texts: &Texts, lang: Lang, people: usize, stays: usize) -> String {
    texts.format(
        lang,
        &Msg::new("desk-people-stays")
            .num("people", people as f64)
            .num("stays", stays as f64),
    )
}

/// The reason a registration will not be resolved (`gone` reason or `pending`), in words.
pub fn reason_text(texts: &Texts, lang: Lang, reason: &str) -> String {
    let id = match reason {
        "pending" => "desk-reason-pending",
        "deleted" => "desk-reason-deleted",
        "other-authority" => "desk-reason-other-authority",
        "outside-case" => "desk-reason-outside-case",
        "does-not-open" => "desk-reason-does-not-open",
        _ => "desk-reason-bad-field",
    };
    texts.get(lang, id)
}

/// Builds the list of `cf` on `desk`, worded in the desk's language and time zone. `case` is this
/// desk's own case file when the case is its own (place names, addresses, phones).
pub fn build(desk: &Desk, cf: &ContactFile, case: Option<&CaseFile>) -> ContactList {
    let names = |id: u16| desk.authority_name(id);
    build_with(
        &View {
            texts: desk.texts(),
            lang: desk.lang(),
            time_zone: &desk.settings.time_zone,
            names: &names,
        },
        cf,
        case,
    )
}

/// One contact stay after repeated scans of one visit were merged.
struct Merged {
    stay: u32,
    stay_in: u32,
    stay_out: u32,
    own_code: bool,
    time_in: u32,
    time_out: u32,
    overlap: u32,
    code_owner: bool,
}

/// Merges the stays of one person: the same stay of the case with overlapping or touching times
/// is one visit (several slot entries, repeated scans), whatever else differs.
fn merge(mut stays: Vec<&ContactStay>) -> Vec<Merged> {
    stays.sort_by_key(|s| (s.stay, s.time_in, s.time_out));
    let mut out: Vec<Merged> = Vec::new();
    for s in stays {
        if let Some(m) = out
            .last_mut()
            .filter(|m| m.stay == s.stay && s.time_in <= m.time_out)
        {
            m.time_out = m.time_out.max(s.time_out);
            m.code_owner |= s.code_owner;
            m.overlap = overlap_minutes(
                Minute(m.time_in),
                Minute(m.time_out),
                Minute(m.stay_in),
                Minute(m.stay_out),
            )
            .max(m.overlap)
            .max(s.overlap_minutes);
            continue;
        }
        out.push(Merged {
            stay: s.stay,
            stay_in: s.stay_in,
            stay_out: s.stay_out,
            own_code: s.own_code,
            time_in: s.time_in,
            time_out: s.time_out,
            overlap: s.overlap_minutes,
            code_owner: s.code_owner,
        });
    }
    out
}

/// How a stay was found and what the desk can say about its place: (found, place, address,
/// the place's phone).
fn place_of(
    view: &View<'_>,
    cf: &ContactFile,
    case: Option<&CaseFile>,
    m: &Merged,
) -> (Found, String, String, String) {
    let Some(stay) = case.and_then(|c| c.stays.iter().find(|s| s.stay == m.stay)) else {
        // Another authority's case: the place when its desk sent a label for the stay.
        if let Some(p) = cf
            .places
            .get(&m.stay)
            .filter(|_| !m.own_code && !m.code_owner)
        {
            return (Found::Place, p.name.clone(), address(p), p.phone.clone());
        }
        // Otherwise this desk has the stay's number and times, not its place.
        let (found, id) = if m.own_code {
            (Found::Card, "desk-forwarded-card")
        } else if m.code_owner {
            (Found::PersonalCode, "desk-forwarded-owner")
        } else {
            (Found::Stay, "desk-forwarded-stay")
        };
        let authority = (view.names)(cf.consenting_authority);
        let text = view.say(
            &Msg::new(id)
                .text("case", cf.case_id.clone())
                .text("authority", authority)
                .text("from", view.time(m.stay_in))
                .text("to", view.time(m.stay_out)),
        );
        return (found, text, String::new(), String::new());
    };
    own_place(view, stay, m)
}

/// A place's address: its description and postcode.
fn address(p: &PlaceInfo) -> String {
    [p.description.as_str(), p.region.as_str()]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

fn own_place(view: &View<'_>, stay: &Stay, m: &Merged) -> (Found, String, String, String) {
    let elsewhere =
        |id: &'static str, a: u16| view.say(&Msg::new(id).text("authority", (view.names)(a)));
    if stay.own_code || m.own_code {
        return (
            Found::Card,
            view.texts.get(view.lang, "desk-own-code"),
            String::new(),
            String::new(),
        );
    }
    let found = if stay.code_kind == CodeKind::Place as u8 {
        Found::Place
    } else {
        Found::PersonalCode
    };
    if let Some(p) = &stay.place {
        return (found, p.name.clone(), address(p), p.phone.clone());
    }
    let text = match (found, stay.held_by, &stay.label) {
        (_, _, Some(legacy)) => legacy.clone(),
        (Found::Place, Some(a), _) => elsewhere("desk-place-elsewhere", a),
        (Found::Place, None, _) => view.texts.get(view.lang, "desk-place-unresolved"),
        (_, Some(a), _) => elsewhere("desk-code-owner-elsewhere", a),
        _ if stay.owner_listed => view.texts.get(view.lang, "desk-code-owner-listed"),
        _ => view.texts.get(view.lang, "desk-code-unresolved"),
    };
    (found, text, String::new(), String::new())
}

/// [`build`] with the wording given.
pub fn build_with(view: &View<'_>, cf: &ContactFile, case: Option<&CaseFile>) -> ContactList {
    // The infected person's own slot entries open with their SCAN keys like everyone's; they are
    // left out exactly by the registration id the consenting desk sent (sealed) with the trace.
    let infected = cf
        .infected
        .clone()
        .or_else(|| case.map(|c| c.registration_id.clone()))
        .filter(|id| !id.0.is_empty());
    let mut by_person: BTreeMap<&Hex, Vec<&ContactStay>> = BTreeMap::new();
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
    let mut people: Vec<PersonRow> = by_person
        .into_iter()
        .map(|(id, stays)| person_row(view, cf, case, id, stays))
        .collect();
    people.sort_by(|a, b| {
        let first = |p: &PersonRow| p.stays.first().map_or(u32::MAX, |s| s.time_in_minute);
        (a.status, first(a), &a.phone).cmp(&(b.status, first(b), &b.phone))
    });
    for (i, p) in people.iter_mut().enumerate() {
        p.number = i + 1;
    }
    let stay_count = people.iter().map(|p| p.stays.len()).sum();
    ContactList {
        case_id: cf.case_id.clone(),
        consenting_authority: cf.consenting_authority,
        consenting_authority_name: (view.names)(cf.consenting_authority),
        lang: view.lang.tag().into(),
        time_zone: view.time_zone.into(),
        summary: summary(view.texts, view.lang, people.len(), stay_count),
        people,
        stay_count,
    }
}

fn person_row(
    view: &View<'_>,
    cf: &ContactFile,
    case: Option<&CaseFile>,
    id: &Hex,
    stays: Vec<&ContactStay>,
) -> PersonRow {
    let key = data_encoding::HEXLOWER.encode(&id.0);
    let person: Option<&Person> = cf.people.get(&key);
    let region = stays
        .first()
        .and_then(|s| s.region.array::<12>())
        .and_then(|r| Region::decode(r).ok().flatten());
    let mut rows: Vec<StayRow> = merge(stays)
        .iter()
        .map(|m| {
            let (found, place, address, place_phone) = place_of(view, cf, case, m);
            StayRow {
                place,
                address,
                place_phone,
                found_through: found,
                card_owner: m.code_owner,
                time_in: view.time(m.time_in),
                time_out: view.time(m.time_out),
                time_in_minute: m.time_in,
                time_out_minute: m.time_out,
                overlap_minutes: m.overlap,
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.time_in_minute, &a.place).cmp(&(b.time_in_minute, &b.place)));
    let found: BTreeSet<Found> = rows.iter().map(|s| s.found_through).collect();
    let found_through: Vec<Found> = found.into_iter().collect();
    let found_through_text = found_through
        .iter()
        .map(|f| view.texts.get(view.lang, f.msg()))
        .collect::<Vec<_>>()
        .join(", ");
    let (status, why) = match (person, cf.gone.get(&key).map(String::as_str)) {
        (Some(_), _) => (Status::Resolved, None),
        (None, Some("deleted")) => (Status::Deleted, Some("deleted")),
        (None, Some("other-authority")) => (Status::OtherAuthority, Some("other-authority")),
        (None, _) => (Status::Pending, Some("pending")),
    };
    let reason = why.map_or_else(String::new, |w| reason_text(view.texts, view.lang, w));
    PersonRow {
        number: 0,
        phone: person.map(|p| p.phone.clone()).unwrap_or_default(),
        status,
        reason,
        found_through_text,
        found_through,
        card_owner: rows.iter().any(|s| s.card_owner),
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
        stays: rows,
    }
}
