//! The contact list's written forms, all from one [`ContactList`]: spreadsheet-safe CSV (one
//! row per person, headers in the list's language), JSON, lines of text for the screen, and the
//! PDF for printing. The words come from the desk's Fluent files.

use spur_offline::csv::CsvWriter;
use spur_offline::OfflineError;

use crate::contacts::{ContactList, PersonRow, Status, StayRow};
use crate::texts::{Lang, Msg, Texts};

/// What the phone column of the CSV shows: the number, or the status in brackets (the reason
/// has its own column).
fn phone_cell(texts: &Texts, lang: Lang, p: &PersonRow) -> String {
    let id = match p.status {
        Status::Resolved => return p.phone.clone(),
        Status::Pending => "desk-status-pending",
        Status::Deleted => "desk-status-deleted",
        Status::OtherAuthority => "desk-status-other-authority",
    };
    format!("({})", texts.get(lang, id))
}

/// When a stay was: one date when it starts and ends on the same day in the same zone
/// (`07.12.2026, 11:00–12:30 MEZ`), both times in full otherwise.
fn when(texts: &Texts, lang: Lang, s: &StayRow) -> String {
    let a: Vec<&str> = s.time_in.split(' ').collect();
    let b: Vec<&str> = s.time_out.split(' ').collect();
    match (a.as_slice(), b.as_slice()) {
        ([d1, t1, z1], [d2, t2, z2]) if d1 == d2 && z1 == z2 => texts.format(
            lang,
            &Msg::new("desk-stay-day")
                .text("date", *d1)
                .text("from", *t1)
                .text("to", *t2)
                .text("zone", *z1),
        ),
        _ => texts.format(
            lang,
            &Msg::new("desk-stay-span")
                .text("from", s.time_in.clone())
                .text("to", s.time_out.clone()),
        ),
    }
}

/// One stay in one line of words.
pub fn stay_line(texts: &Texts, lang: Lang, s: &StayRow) -> String {
    let part = |v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            format!(", {v}")
        }
    };
    let phone = if s.place_phone.is_empty() {
        String::new()
    } else {
        format!(
            ", {} {}",
            texts.get(lang, "desk-col-place-phone"),
            s.place_phone
        )
    };
    texts.format(
        lang,
        &Msg::new("desk-stay-line")
            .text("when", when(texts, lang, s))
            .text("place", s.place.clone())
            .text("address", part(&s.address))
            .text("phone", phone)
            .num("minutes", s.overlap_minutes),
    )
}

/// The list as CSV, one line per person with their stays in one cell (one stay after another,
/// separated by ` | `), headers in the list's language, every cell spreadsheet-safe
/// ([`spur_offline::csv`]).
pub fn to_csv(list: &ContactList) -> Result<String, OfflineError> {
    let (t, lang) = (Texts::new(), list.language());
    let h = |id: &'static str| t.get(lang, id);
    let mut out = CsvWriter::new();
    out.row(&[
        h("desk-col-case"),
        h("desk-col-phone"),
        h("desk-col-reason"),
        h("desk-col-found"),
        h("desk-col-card-owner"),
        h("desk-col-campus"),
        h("desk-col-country"),
        h("desk-col-postcode"),
        h("desk-col-birth-year"),
        h("desk-col-stays"),
        h("desk-col-stay-details"),
    ])?;
    let (yes, no) = (h("desk-yes"), h("desk-no"));
    for p in &list.people {
        let stays = p
            .stays
            .iter()
            .map(|s| stay_line(&t, lang, s))
            .collect::<Vec<_>>()
            .join(" | ");
        out.row(&[
            list.case_id.clone(),
            phone_cell(&t, lang, p),
            p.reason.clone(),
            p.found_through_text.clone(),
            if p.card_owner {
                yes.clone()
            } else {
                no.clone()
            },
            p.campus_id.clone(),
            p.country.clone(),
            p.postcode.clone(),
            p.birth_year.clone(),
            p.stays.len().to_string(),
            stays,
        ])?;
    }
    out.finish()
}

/// The list as JSON.
pub fn to_json(list: &ContactList) -> String {
    serde_json::to_string_pretty(list).unwrap_or_else(|_| "{}".into())
}

/// The list as lines of text for the screen (and the printed list): title, count, then each
/// person with their details and one line per stay.
pub fn to_lines(list: &ContactList) -> Vec<String> {
    let (t, lang) = (Texts::new(), list.language());
    let mut lines = vec![
        t.format(
            lang,
            &Msg::new("desk-list-title")
                .text("case", list.case_id.clone())
                .text("authority", list.consenting_authority_name.clone()),
        ),
        list.summary.clone(),
    ];
    if list.people.is_empty() {
        lines.push(t.get(lang, "desk-list-empty"));
    }
    for p in &list.people {
        let who = if p.phone.is_empty() {
            format!("({})", p.reason)
        } else {
            p.phone.clone()
        };
        let mut head = format!("{}. {who}", p.number);
        let mut details = vec![t.format(
            lang,
            &Msg::new("desk-person-found").text("found", p.found_through_text.clone()),
        )];
        if p.card_owner {
            details.push(t.get(lang, "desk-card-owner"));
        }
        for (id, v) in [
            ("desk-col-postcode", &p.postcode),
            ("desk-col-birth-year", &p.birth_year),
            ("desk-col-campus", &p.campus_id),
        ] {
            if !v.is_empty() {
                details.push(format!("{} {v}", t.get(lang, id)));
            }
        }
        head.push_str(&format!(" ({})", details.join("; ")));
        lines.push(String::new());
        lines.push(head);
        for s in &p.stays {
            lines.push(format!("   {}", stay_line(&t, lang, s)));
        }
    }
    lines
}

/// The list as plain text.
pub fn to_text(list: &ContactList) -> String {
    let mut s = to_lines(list).join("\n");
    s.push('\n');
    s
}

/// The list as a PDF for printing (A4 pages, [`crate::pdf::list`]).
pub fn to_pdf(list: &ContactList) -> Vec<u8> {
    crate::pdf::list(&to_lines(list))
}
