//! The desk's contact-list CSV neutralises a formula trigger after any leading white space or
//! invisible character, in every column a modified client or a foreign code can fill.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use spur_authority::contacts::{to_csv, ContactList, Found, PersonRow, Status, StayRow};

/// Every leading run the issue names, with the triggers it names.
const CASES: [&str; 16] = [
    "=HYPERLINK(\"http://x\")",
    " =1+1",
    "\u{A0}=1+1",
    "\u{3000}=1+1",
    "\u{2028}=1+1",
    "\u{200B}=1+1",
    "\u{FEFF}=1+1",
    "\u{FEFF}@SUM(A1)",
    " \u{200B}+1",
    "\u{202E}-1",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
];

fn list(campus_id: &str, place: &str) -> ContactList {
    ContactList {
        case_id: "GA-1".into(),
        consenting_authority: 1,
        consenting_authority_name: "GA".into(),
        lang: "en".into(),
        time_zone: "Europe/Berlin".into(),
        people: vec![PersonRow {
            number: 1,
            phone: "+4915100000001".into(),
            status: Status::Resolved,
            reason: String::new(),
            found_through: vec![Found::Place],
            found_through_text: "a place".into(),
            card_owner: false,
            campus_id: campus_id.into(),
            country: "DE".into(),
            postcode: "-1-1".into(),
            birth_year: String::new(),
            stays: vec![StayRow {
                place: place.into(),
                address: place.into(),
                place_phone: "+4989100000".into(),
                found_through: Found::Place,
                card_owner: false,
                time_in: "2026-11-20 12:00 CET".into(),
                time_out: "2026-11-20 13:00 CET".into(),
                time_in_minute: 0,
                time_out_minute: 60,
                overlap_minutes: 60,
            }],
        }],
        stay_count: 1,
        summary: "1 person, 1 stay".into(),
    }
}

/// The cells of the one data line (every cell is quoted; quotes inside are doubled).
fn cells(csv: &str) -> Vec<String> {
    let line = csv.split("\r\n").nth(1).unwrap();
    let inner = line.strip_prefix('"').unwrap().strip_suffix('"').unwrap();
    inner.split("\",\"").map(str::to_owned).collect()
}

#[test]
fn every_leading_invisible_before_a_trigger_is_neutralised_in_the_desk_list() {
    for value in CASES {
        let csv = to_csv(&list(value, value)).unwrap();
        let c = cells(&csv);
        assert_eq!(c.len(), 11, "{csv:?}");
        let escaped = value.replace('"', "\"\"");
        assert_eq!(c[5], format!("'{escaped}"), "campus id {value:?}");
        assert_eq!(c[7], "'-1-1", "postcode");
        assert_eq!(c[1], "'+4915100000001", "phone");
        // Place name and address stand inside the stays cell, after the stay's time.
        assert!(
            c[10].starts_with("2026-11-20, 12:00–13:00 CET: "),
            "{csv:?}"
        );
        assert!(
            c[10].contains(&format!(": {escaped}, {escaped}")),
            "place {value:?}"
        );
    }
    let csv = to_csv(&list("ga12bcd", "Café Zur Post")).unwrap();
    let c = cells(&csv);
    assert_eq!(c[5], "ga12bcd");
    assert_eq!(
        c[10],
        "2026-11-20, 12:00–13:00 CET: Café Zur Post, Café Zur Post, phone of the place +4989100000, overlap 60 minutes"
    );
}
