//! The contact list as a tracer works from it: one row per person with every stay, repeated scans
//! merged, how each person was found, the place's address and phone in CSV and JSON, times in the
//! desk's zone, plain reasons for anyone unresolved, and one count everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use spur_authority::case::{CaseFile, ContactFile, ContactStay, Person, PlaceInfo, Stay};
use spur_authority::contacts::{build_with, to_csv, to_json, to_text, Found, Status, View};
use spur_authority::texts::{Lang, Texts};
use spur_protocol::time::Day;
use spur_wire::exchange::Hex;

/// Minute of `hh:mm` UTC on 2026-12-07.
fn at(h: u32, m: u32) -> u32 {
    Day::from_date_text("2026-12-07").unwrap().start().0 + h * 60 + m
}

fn stay(n: u32, kind: u8, from: u32, to: u32) -> Stay {
    Stay {
        stay: n,
        code_kind: kind,
        qr_id: Hex(vec![n as u8; 16]),
        tag: Hex(vec![0; 16]),
        bucket: Hex(vec![0; 12]),
        time_in: from,
        time_out: to,
        own_code: false,
        label: None,
        place: None,
        held_by: None,
        owner_listed: false,
    }
}

fn contact(who: u8, stay: &Stay, from: u32, to: u32, owner: bool) -> ContactStay {
    ContactStay {
        registration_id: Hex(vec![who; 16]),
        stay: stay.stay,
        stay_in: stay.time_in,
        stay_out: stay.time_out,
        own_code: false,
        time_in: from,
        time_out: to,
        overlap_minutes: to.min(stay.time_out) - from.max(stay.time_in),
        region: Hex(vec![0; 12]),
        code_owner: owner,
    }
}

fn case() -> (CaseFile, ContactFile) {
    let mut cafe = stay(0, 1, at(9, 0), at(16, 0));
    cafe.place = Some(PlaceInfo {
        name: "Café Zur Post".into(),
        description: "Hauptstraße 1, 1. Stock".into(),
        region: "DE 80331".into(),
        phone: "+498912345".into(),
    });
    let mut code = stay(1, 2, at(17, 0), at(18, 0));
    code.owner_listed = true;
    let case = CaseFile {
        case_id: "M-1".into(),
        stays: vec![cafe.clone(), code.clone()],
        registration_id: Hex(vec![9; 16]),
        ..Default::default()
    };
    let stays = vec![
        // Ben at the café 10:00–11:00: two slot entries of one visit, and a second scan at 10:30.
        contact(1, &cafe, at(10, 0), at(11, 0), false),
        contact(1, &cafe, at(10, 0), at(11, 0), false),
        contact(1, &cafe, at(10, 30), at(11, 30), false),
        // Ben again in the afternoon, and as the owner of the personal code scanned at 17:00.
        contact(1, &cafe, at(14, 0), at(15, 0), false),
        contact(1, &code, at(17, 0), at(18, 0), true),
        // Dora, not resolved yet; and the infected person's own entry.
        contact(2, &cafe, at(12, 0), at(12, 45), false),
        contact(9, &cafe, at(9, 0), at(16, 0), false),
    ];
    let mut people = BTreeMap::new();
    people.insert(
        data_encoding::HEXLOWER.encode(&[1; 16]),
        Person {
            phone: "+4915100000001".into(),
            campus_id: None,
            country: Some("DE".into()),
            postcode: Some("80331".into()),
            birth_year: Some(1980),
        },
    );
    let cf = ContactFile {
        case_id: "M-1".into(),
        consenting_authority: 1,
        infected: None,
        stays,
        people,
        gone: BTreeMap::new(),
        places: BTreeMap::new(),
    };
    (case, cf)
}

fn names(id: u16) -> String {
    if id == 1 {
        "Gesundheitsamt München".into()
    } else {
        format!("authority {id}")
    }
}

fn view(texts: &Texts, lang: Lang) -> View<'_> {
    View {
        texts,
        lang,
        time_zone: "Europe/Berlin",
        names: &names,
    }
}

#[test]
fn one_person_seen_twice_at_a_place_and_once_through_a_personal_code_is_one_row_with_three_stays() {
    let texts = Texts::new();
    let (case, cf) = case();
    let list = build_with(&view(&texts, Lang::En), &cf, Some(&case));
    assert_eq!(list.people.len(), 2, "{list:#?}");
    assert_eq!(list.stay_count, 4);
    assert_eq!(list.summary, "2 people, 4 stays");
    let ben = &list.people[0];
    assert_eq!(ben.phone, "+4915100000001");
    assert_eq!(ben.status, Status::Resolved);
    assert_eq!(ben.stays.len(), 3, "{ben:#?}");
    assert_eq!(ben.found_through, vec![Found::Place, Found::PersonalCode]);
    assert!(ben.card_owner);
    // The repeated scan is merged into the one morning visit: 10:00–11:30 (CET is UTC+1).
    let morning = &ben.stays[0];
    assert_eq!(morning.time_in, "2026-12-07 11:00 CET");
    assert_eq!(morning.time_out, "2026-12-07 12:30 CET");
    assert_eq!(morning.overlap_minutes, 90);
    assert_eq!(morning.place, "Café Zur Post");
    assert_eq!(morning.address, "Hauptstraße 1, 1. Stock, DE 80331");
    assert_eq!(morning.place_phone, "+498912345");
    assert_eq!(ben.stays[1].time_in, "2026-12-07 15:00 CET");
    assert!(ben.stays[2].card_owner);
    assert_eq!(
        ben.stays[2].place,
        "a personal code (its owner is in this list)"
    );
    // Dora: a plain reason instead of a phone number.
    let dora = &list.people[1];
    assert_eq!(dora.status, Status::Pending);
    assert!(dora.phone.is_empty());
    assert!(
        dora.reason.starts_with("not resolved yet"),
        "{}",
        dora.reason
    );
}

#[test]
fn csv_json_and_text_carry_the_place_phone_and_address_and_the_same_count() {
    let texts = Texts::new();
    let (case, cf) = case();
    let list = build_with(&view(&texts, Lang::De), &cf, Some(&case));
    assert_eq!(list.summary, "2 Personen, 4 Aufenthalte");
    let csv = to_csv(&list).unwrap();
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        3,
        "{csv}"
    );
    assert!(csv.starts_with("\"Fall\",\"Telefon\""), "{csv}");
    assert!(csv.contains("Hauptstraße 1, 1. Stock, DE 80331"), "{csv}");
    assert!(csv.contains("Telefon des Orts +498912345"), "{csv}");
    assert!(
        csv.contains("07.12.2026, 11:00–12:30 MEZ: Café Zur Post"),
        "{csv}"
    );
    // Not resolved: the status in the phone column, the reason in its own.
    assert!(
        csv.contains("\"(noch nicht aufgelöst)\",\"noch nicht aufgelöst: die Antwort des Tresors"),
        "{csv}"
    );
    assert!(csv.contains("\"Anzahl Aufenthalte\""), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&to_json(&list)).unwrap();
    assert_eq!(json["people"].as_array().unwrap().len(), 2);
    assert_eq!(json["stay_count"], 4);
    let stay = &json["people"][0]["stays"][0];
    assert_eq!(stay["place_phone"], "+498912345");
    assert_eq!(stay["address"], "Hauptstraße 1, 1. Stock, DE 80331");
    assert_eq!(stay["found_through"], "place");
    assert_eq!(json["people"][0]["card_owner"], true);
    let text = to_text(&list);
    assert!(text.contains("2 Personen, 4 Aufenthalte"), "{text}");
    assert!(text.contains("Inhaber des persönlichen Codes"), "{text}");
}

#[test]
fn a_stay_of_another_authoritys_case_is_worded_by_its_case_and_times_not_by_a_number() {
    let texts = Texts::new();
    let (_, mut cf) = case();
    cf.consenting_authority = 2;
    let list = build_with(&view(&texts, Lang::En), &cf, None);
    let place = &list.people[0].stays[0].place;
    assert!(!place.contains("stay 0 of case"), "{place}");
    assert!(
        place.starts_with(
            "a stay of case M-1 of authority 2 (2026-12-07 10:00 CET to 2026-12-07 17:00 CET)"
        ),
        "{place}"
    );
}

#[test]
fn deleted_and_other_authoritys_people_say_why() {
    let texts = Texts::new();
    let (case, mut cf) = case();
    cf.gone
        .insert(data_encoding::HEXLOWER.encode(&[2; 16]), "deleted".into());
    let list = build_with(&view(&texts, Lang::De), &cf, Some(&case));
    let dora = &list.people[1];
    assert_eq!(dora.status, Status::Deleted);
    assert!(dora.reason.starts_with("gelöscht"), "{}", dora.reason);
}

#[test]
fn the_printed_list_is_a_pdf_of_as_many_pages_as_it_needs() {
    let texts = Texts::new();
    let (case, mut cf) = case();
    let one =
        spur_authority::contacts::to_pdf(&build_with(&view(&texts, Lang::En), &cf, Some(&case)));
    let text = String::from_utf8_lossy(&one);
    assert!(one.starts_with(b"%PDF-"), "{text}");
    assert!(text.contains("/Count 1"), "{text}");
    assert!(text.contains("(2 people, 4 stays) Tj"), "{text}");
    // 80 people at the café: several pages, each numbered.
    let cafe = case.stays[0].clone();
    for who in 10..90u8 {
        cf.stays
            .push(contact(who, &cafe, at(12, 0), at(13, 0), false));
    }
    let many =
        spur_authority::contacts::to_pdf(&build_with(&view(&texts, Lang::En), &cf, Some(&case)));
    let text = String::from_utf8_lossy(&many);
    let pages: usize = text
        .split("/Count ")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(pages > 1, "{pages}");
    assert!(text.contains(&format!("(2 / {pages}) Tj")), "{text}");
}
