//! DESIGN.md's "Properties the tests must show", end to end: the real `spur` binary as separate
//! processes on 127.0.0.1 — servers, citizens' apps (one data directory each), vault and desks
//! exchanging files. One test per property, named after it (docs/testing.md has the table).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dump::{self, assert_same, db_rows, export_rows, shared_runs};
use common::http::{export, request};
use common::town::{self, town, BEN_CAMPUS, CAFE, CASE};
use common::{date, scan_url, Args, Spur, World};
use spur_wire::api::routes;

/// Longest run of equal bytes two unrelated ciphertexts may share by chance in these tests
/// (random 8-byte collisions among a few hundred records: about 2^-40).
const RUN: usize = 8;

#[test]
fn p1_dump_of_post_server_and_vault_reveals_no_personal_data_and_links_no_scans() {
    let mut t = town();
    let token = std::fs::read_to_string(&t.w.token).unwrap();
    let post_port = t.w.post_port;
    let records = export_rows(&export(post_port, &token));
    // Stop the POST server with SIGKILL: its WAL stays as it is on disk, nothing is tidied away.
    t.w.post.as_mut().unwrap().kill();
    let mut files = dump::files(&t.w.dir().join("post"));
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().ends_with("-wal")),
        "the WAL is part of the dump: {:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    files.extend(dump::files(&t.w.vault));
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    assert!(
        bytes > 50_000,
        "the dump read the databases ({bytes} bytes)"
    );
    let found = dump::find(&files, &t.secrets());
    assert!(found.is_empty(), "personal data in the dump: {found:#?}");

    // Every record of a kind has the same size.
    let mut sizes = std::collections::BTreeMap::<u8, std::collections::BTreeSet<usize>>::new();
    for r in &records {
        sizes.entry(r.kind).or_default().insert(r.body.len());
    }
    for (kind, s) in &sizes {
        assert_eq!(s.len(), 1, "kind {kind} has several sizes: {s:?}");
    }
    assert!(
        sizes.contains_key(&5) && sizes.contains_key(&6),
        "{sizes:?}"
    );
    // No two uploads share a run of bytes (Anna uploaded several: registration, card, visit,
    // consent release; nothing in them links one to another).
    let bodies: Vec<&[u8]> = records.iter().map(|r| r.body.as_slice()).collect();
    let linked = shared_runs(&bodies, RUN);
    assert!(linked.is_empty(), "records sharing {RUN} bytes: {linked:?}");
    // The same in the vault, where the OP layer is open: SCAN layers, AUTH layers, contacts.
    let vault_db = t.w.vault.join("vault.db");
    for (table, column) in [
        ("slot_entries", "scan_layer"),
        ("user_entries", "auth_layer"),
        ("registrations", "sealed_contact"),
        ("codes", "tag_layer"),
    ] {
        let blobs = dump::blobs(&vault_db, table, column);
        assert!(!blobs.is_empty(), "{table} is empty");
        let lens: std::collections::BTreeSet<usize> = blobs.iter().map(Vec::len).collect();
        if table != "codes" {
            assert_eq!(lens.len(), 1, "{table}.{column} sizes {lens:?}");
        }
        let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
        let linked = shared_runs(&refs, RUN);
        assert!(
            linked.is_empty(),
            "{table}.{column} rows share bytes: {linked:?}"
        );
    }
}

/// The phones on a CSV list (digits only, whatever quoting the cell has).
fn phones_on(csv: &str, t: &town::Town) -> Vec<String> {
    [
        &t.anna, &t.ben, &t.carla, &t.dora, &t.emil, &t.finn, &t.greta,
    ]
    .iter()
    .filter(|c| csv.contains(&c.phone[1..]))
    .map(|c| c.phone.clone())
    .collect()
}

#[test]
fn p2_trace_returns_exactly_the_people_whose_stay_overlaps_across_processes() {
    let t = town();
    let munich = t.lists[0].as_deref().expect("the Munich desk has a list");
    let berlin = t.lists[1].as_deref().expect("the Berlin desk has a list");
    // Ben (café, same time) and Finn (scanned Anna's printed card) live in Munich; Dora (café,
    // same time) in Berlin. Carla (bakery, same time), Emil (café, yesterday), Greta (nowhere)
    // and Anna herself are on no list.
    assert_eq!(
        phones_on(munich, &t),
        vec![t.ben.phone.clone(), t.finn.phone.clone()],
        "{munich}"
    );
    assert_eq!(
        phones_on(berlin, &t),
        vec![t.dora.phone.clone()],
        "{berlin}"
    );
    assert!(munich.contains(CAFE), "the place is named: {munich}");
}

#[test]
fn p7_contact_list_csv_is_safe_in_spreadsheets() {
    let t = town();
    let munich = t.lists[0].as_deref().unwrap();
    // Ben's campus id is a formula; it must arrive neutralised, and so must every phone number.
    let neutral = format!("'{}", BEN_CAMPUS.replace('"', "\"\""));
    assert!(munich.contains(&neutral), "{munich}");
    assert!(munich.contains(&format!("'{}", t.ben.phone)), "{munich}");
    for list in t.lists.iter().flatten() {
        for cell in csv_cells(list) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} could run as a formula"
            );
        }
    }
}

/// The cells of a CSV text (quoted cells with doubled quotes, or bare cells).
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',' | '\n', false) => cells.push(std::mem::take(&mut cur)),
            ('\r', false) => {}
            (c, _) => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

#[test]
fn p10_an_authoritys_key_opens_only_what_was_sealed_to_it() {
    let t = town();
    let w = &t.w;
    let step = w.dir().join(format!("trace-{CASE}"));
    // The consent package was sealed to Munich: Berlin's desk cannot open it.
    let consent = common::only(&step.join("1"), "spkg");
    let msg = w
        .desk(1)
        .args(["open", "consent"])
        .arg(&consent)
        .arg("--out")
        .arg(w.dir().join("berlin-try"))
        .fails();
    assert!(msg.contains("spur:"), "{msg}");
    // The contacts file for Berlin (Dora): Munich's desk cannot open it, Berlin's could.
    let berlin_file = common::files_with(&step.join("3"), "spkg")
        .into_iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("contacts-2-")
        })
        .expect("a contacts file for Berlin");
    let msg = w
        .desk(0)
        .args(["open", "contacts"])
        .arg(&berlin_file)
        .arg("--out")
        .arg(w.dir().join("munich-try"))
        .fails();
    assert!(msg.contains("spur:"), "{msg}");
    // Each desk's list holds only people whose contact data was sealed to it.
    let munich = t.lists[0].as_deref().unwrap();
    let berlin = t.lists[1].as_deref().unwrap();
    assert!(!munich.contains(&t.dora.phone[1..]), "{munich}");
    assert!(!berlin.contains(&t.ben.phone[1..]), "{berlin}");
    // Berlin's desk has no case file of Munich's case and cannot write Munich's list.
    let msg = w
        .desk(1)
        .args(["contacts", "--case", CASE, "--authority", "2", "--csv", "-"])
        .fails();
    assert!(msg.contains("no contacts of case"), "{msg}");
}

#[test]
fn p4_forged_altered_expired_and_replayed_consent_codes_are_refused_with_a_clear_message() {
    let w = World::new();
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let today = date(0);
    let consent_rows = || {
        db_rows(&w.post_db)
            .values()
            .flatten()
            .filter(|r| r.starts_with("Integer(7)"))
            .count()
    };
    let refuse = |url: &str, why: &str| -> String {
        let msg = anna
            .app()
            .args(["consent", "--url", url, "--phone", &anna.phone])
            .fails();
        assert!(msg.starts_with("spur: "), "{why}: {msg}");
        assert!(!msg.contains("panicked"), "{why}: {msg}");
        msg
    };
    // Forged: signed by an authority with the same id under another operator's directory.
    let other = World::offline();
    let forged = other.consent_code(0, "M-9", &anna.phone, &today, 1);
    let m = refuse(&forged, "forged");
    assert!(
        m.to_lowercase().contains("signature") || m.contains("forged"),
        "{m}"
    );
    // Altered: one character of a valid code changed.
    let good = w.consent_code(0, "M-2", &anna.phone, &today, 1);
    let mut altered = good.clone().into_bytes();
    let i = altered.len() - 5;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let m = refuse(&String::from_utf8(altered).unwrap(), "altered");
    assert!(!m.is_empty());
    // Expired: made five days ago (the desk's clock moved back), valid 72 hours.
    let expired = w
        .desk(0)
        .shifted(-5)
        .args(["consent-code", "--case", "M-3", "--phone", &anna.phone])
        .args(["--first-day", &date(-6)])
        .args(["--days", "1", "--host", common::HOST, "--out"])
        .arg(w.dir().join("expired"))
        .ok();
    let m = refuse(expired.lines().next().unwrap(), "expired");
    assert!(m.contains("expired"), "{m}");
    assert_eq!(consent_rows(), 0, "nothing was released");
    // Replayed: the valid code works once, then is refused.
    anna.consent(&good);
    let m = refuse(&good, "replayed");
    assert!(m.contains("used") || m.contains("already"), "{m}");
    assert_eq!(consent_rows(), 1, "one release only");
}

#[test]
fn p5_bad_inputs_get_a_clear_error_and_change_nothing() {
    let w = World::new();
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let place = anna.place_code(CAFE, "80331", "+4915100000019");
    anna.check_in(&place, "30", 0);
    // Sent once the stay is over: the phone syncs a day later.
    assert!(anna.sync(1).contains("pending 0"));
    let post_before = db_rows(&w.post_db);
    let app_db = anna.dir.join("spur.db");
    let app_before = db_rows(&app_db);

    // Malformed QR payloads: the app says what is wrong and keeps nothing.
    let url = scan_url(&place);
    // Cut inside the fragment's key part (cutting the name's end would still be a valid code).
    let cut = &url[..url.find('.').unwrap() - 3];
    for bad in [
        "https://spur.e2e/",
        "not a url",
        cut,
        &url.replace("SPUR.E2E", "EVIL.EXAMPLE"),
        &url.replace('#', "#%00"),
        &format!("{url}<script>"),
        "",
    ] {
        let m = anna
            .app()
            .args(["check-in", "--stay", "30", "--url", bad])
            .fails();
        assert!(
            m.starts_with("spur: ") && !m.contains("panicked"),
            "{bad:?}: {m}"
        );
    }
    assert_same(&app_before, &db_rows(&app_db), "the app kept nothing");

    // Garbage, truncated, oversized and mis-kinded uploads, sent raw to the POST server.
    let port = w.post_port;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (routes::VISITS, b"garbage".to_vec(), 400, ""),
        (routes::VISITS, vec![], 400, "malformed"),
        (routes::VISITS, vec![1, 5, 0, 0, 0], 400, "wrong_size"),
        (routes::VISITS, vec![9; 181], 400, "unsupported_version"),
        (
            routes::VISITS,
            [vec![1, 99], vec![0; 179]].concat(),
            400,
            "unknown_kind",
        ),
        (
            routes::REGISTRATIONS,
            [vec![1, 5], vec![0; 179]].concat(),
            400,
            "wrong_kind",
        ),
        (routes::VISITS, vec![0xAB; 200_000], 413, "body_too_large"),
        (routes::CODES, vec![0xFF; 3], 400, ""),
        ("/v1/nothing", b"x".to_vec(), 404, "unknown_route"),
    ];
    for (path, body, status, code) in cases {
        let a = request(port, "POST", path, &[], &body);
        assert_eq!(a.status, status, "{path} {}: {}", body.len(), a.body);
        let got = a
            .error()
            .unwrap_or_else(|| panic!("no error code: {}", a.body));
        if !code.is_empty() {
            assert_eq!(got, code, "{path}: {}", a.body);
        }
        assert!(a.body.contains("\"message\""), "{}", a.body);
    }
    // Garbage to the TAG server.
    let tag_port = w.tag.as_ref().unwrap().port();
    for (path, body) in [
        (routes::TMP_KEYS, b"{not json".to_vec()),
        (routes::TMP_KEYS, br#"{"qr_id":"zz","slots":[1]}"#.to_vec()),
        (routes::TMP_KEYS_HISTORY, vec![0; 94]),
        (routes::QR_IDS, br#"{"count": 100000}"#.to_vec()),
    ] {
        let a = request(tag_port, "POST", path, &[], &body);
        assert!(
            (400..500).contains(&a.status),
            "{path}: {} {}",
            a.status,
            a.body
        );
        assert!(a.error().is_some(), "{}", a.body);
    }
    assert_same(
        &post_before,
        &db_rows(&w.post_db),
        "the POST database is unchanged",
    );

    // Corrupt export files to the vault: refused whole, the vault's tables unchanged.
    let files = w.pull(&w.dir().join("export"));
    let good = std::fs::read(&files[0]).unwrap();
    let vault_db = w.vault.join("vault.db");
    w.vault().arg("status").ok();
    let vault_before = vault_tables(&vault_db);
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x40;
    for (name, bytes) in [
        ("truncated", good[..good.len() - 40].to_vec()),
        ("flipped", flipped),
        ("garbage", vec![0x5A; 4096]),
        ("empty", vec![]),
    ] {
        let f = w.dir().join(format!("{name}.spurx"));
        std::fs::write(&f, bytes).unwrap();
        let m = w.vault().arg("import").arg(&f).fails();
        assert!(m.contains(name) && m.contains("refused"), "{name}: {m}");
        assert_same(
            &vault_before,
            &vault_tables(&vault_db),
            &format!("{name} changed the vault"),
        );
    }
    // And the good file still imports: nothing accepted is lost.
    let out = w.vault().arg("import").arg(&files[0]).ok();
    assert!(out.contains("new"), "{out}");
}

/// The vault's data tables (not its `meta` table, which counts audit lines).
fn vault_tables(db: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut t = db_rows(db);
    t.remove("meta");
    t
}

#[test]
fn p6_tag_server_writes_no_request_log_and_no_ip_address() {
    let mut w = World::new();
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let place = anna.place_code(CAFE, "80331", "+4915100000019");
    anna.check_in(&place, "30", 0);
    let port = w.tag.as_ref().unwrap().port();
    for (m, path, body) in [
        ("POST", routes::QR_IDS, br#"{"count": 3}"#.to_vec()),
        ("GET", routes::DIRECTORY, vec![]),
        ("GET", routes::HEALTH, vec![]),
        ("POST", routes::TMP_KEYS, b"{broken".to_vec()),
        ("POST", routes::TMP_KEYS_HISTORY, vec![7; 94]),
        ("GET", "/no/such/route", vec![]),
        ("DELETE", routes::QR_IDS, vec![]),
    ] {
        let a = request(port, m, path, &[("User-Agent", "e2e-agent/1.0")], &body);
        assert!(a.status > 0);
    }
    let mut tag = w.tag.take().unwrap();
    tag.terminate();
    let printed = format!("{}{}", tag.stdout(), tag.stderr());
    assert_eq!(
        printed.trim(),
        format!("spur tag server ready on port {port}"),
        "the TAG server printed more than its ready line"
    );
    // Its only file is the 32-byte secret; nothing else was written anywhere near it.
    let files = dump::files(w.tag_secret.parent().unwrap());
    assert_eq!(
        files.len(),
        1,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(files[0].1.len(), 32);
    // The POST server keeps no address either: not in its output, not in its files.
    let mut post = w.post.take().unwrap();
    post.terminate();
    let mut all = dump::files(&w.dir().join("post"));
    all.push((
        "post output".into(),
        format!("{}{}", post.stdout(), post.stderr()).into(),
    ));
    all.push(("tag output".into(), printed.into()));
    let needles: Vec<String> = [
        "127.0.0.1",
        "e2e-agent",
        "GET ",
        "POST ",
        "/v1/",
        "HTTP/1.1",
    ]
    .map(String::from)
    .to_vec();
    let found = dump::find(&all, &needles);
    assert!(found.is_empty(), "{found:?}");
    for (p, b) in &all {
        assert!(
            !b.windows(4).any(|x| x == [127, 0, 0, 1]),
            "binary address in {}",
            p.display()
        );
    }
}

#[test]
fn p9_a_photo_of_a_printed_card_gives_nobody_its_owners_history() {
    let w = World::new();
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let finn = w.citizen("finn", "+4915100000006", "80333", None);
    let card = anna.card();
    finn.check_in(&card, "15", 0);
    // What the photo gives: the URL with QR id and TAG key, nothing about Anna.
    let out = Spur::new(["scan", "--image"]).arg(&card).ok();
    assert!(out.contains("personal code, QR id"), "{out}");
    assert!(!out.contains(&anna.phone[1..]), "{out}");
    let id = town::scan_url_id(&card);
    let tag_port = w.tag.as_ref().unwrap().port();
    // The past TMP keys (the card's history) need an authority's signed request.
    let unsigned = vec![0u8; 94];
    let a = request(tag_port, "POST", routes::TMP_KEYS_HISTORY, &[], &unsigned);
    assert_eq!(a.status, 403, "{}", a.body);
    // A request signed by a desk of another operator is refused too.
    let other = World::offline();
    let a = send_history_request(&other, tag_port, &id, -3, 4);
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.error().as_deref(), Some("bad_signature"), "{}", a.body);
    // The open route gives only slots near now, never days back.
    let now_slot = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 1800) as u32;
    let (_, blinded) = spur_protocol::tag::TmpRequest::new(
        &spur_protocol::tag::QrId::from_hex(&id).unwrap(),
        &mut rand_core::OsRng,
    )
    .unwrap();
    let body = format!(
        r#"{{"blinded":"{}","slots":[{}]}}"#,
        data_encoding::HEXLOWER.encode(&blinded.0),
        now_slot - 3 * 48
    );
    let a = request(tag_port, "POST", routes::TMP_KEYS, &[], body.as_bytes());
    assert_eq!(a.status, 422, "{}", a.body);
    // A PIN card: the photo is useless without the PIN.
    let pin_card = anna.dir.join("pin-card");
    anna.app()
        .args(["personal-code", "--pin", "482913", "--out"])
        .arg(&pin_card)
        .ok();
    let m = finn
        .app()
        .args(["check-in", "--stay", "15", "--image"])
        .arg(pin_card.with_extension("png"))
        .fails();
    assert!(m.to_lowercase().contains("pin"), "{m}");
    // The authority's own signed request works (the legitimate path).
    let a = send_history_request(&w, tag_port, &id, -1, 2);
    assert_eq!(a.status, 200, "{}", a.body);
}

/// Has desk 0 of `w` sign a request for a card's past TMP keys (`days` days from `first_day`
/// days from today) and sends it to the TAG server on `tag_port`: the server's answer.
fn send_history_request(
    w: &World,
    tag_port: u16,
    qr_id: &str,
    first_day: i64,
    days: u32,
) -> common::http::Answer {
    let req = w.dir().join("req.bin");
    w.desk(0)
        .args([
            "history-request",
            "--qr-id",
            qr_id,
            "--first-day",
            &date(first_day),
        ])
        .args(["--days", &days.to_string(), "--out"])
        .arg(&req)
        .ok();
    let signed = std::fs::read(&req).unwrap();
    request(tag_port, "POST", routes::TMP_KEYS_HISTORY, &[], &signed)
}

/// With exactly the keys held, what opens of Anna's data in a real POST dump: (any contact data,
/// her find-tags, her visits).
fn opened(
    rows: &[common::dump::Row],
    op: Option<&spur_protocol::keys::SealSecretKey>,
    auth: Option<&spur_protocol::keys::SealSecretKey>,
    usr: Option<&spur_protocol::usr::UsrKey>,
) -> (bool, bool, bool) {
    use spur_protocol::record::registration::{ContactData, RegistrationBody};
    use spur_protocol::record::visit::{open_user_auth_layer, open_visit, UserEntryBody};
    let day = spur_protocol::time::Day(
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            / 86_400) as u32,
    );
    let (mut phone, mut find, mut visits) = (false, false, false);
    let Some(op) = op else {
        // Without OP every record is one sealed box: nothing to try the other keys on.
        return (false, false, false);
    };
    for r in rows.iter().filter(|r| r.kind == 1) {
        let body = RegistrationBody::open(op, &r.body).unwrap();
        phone |= auth.is_some_and(|a| ContactData::open(a, &body.sealed_contact).is_ok());
    }
    let index =
        usr.map(|u| spur_protocol::trace::find_tag_index(&[(day, u.find_key(day).unwrap())]));
    for r in rows.iter().filter(|r| r.kind == 6) {
        let b = UserEntryBody::open(op, &r.body).unwrap();
        find |= index.as_ref().is_some_and(|i| i.contains_key(&b.find_tag));
        if let (Some(a), Some(u)) = (auth, usr) {
            if let Ok(layer) = open_user_auth_layer(a, &b.auth_layer) {
                visits |= open_visit(&u.enc_key(day).unwrap(), &layer).is_ok();
            }
        }
    }
    (phone, find, visits)
}

#[test]
fn p3_each_of_op_auth_usr_alone_opens_nothing_of_a_real_post_dump() {
    let t = town();
    let token = std::fs::read_to_string(&t.w.token).unwrap();
    let rows = export_rows(&export(t.w.post_port, &token));
    let op = common::op_secret(&t.w.vault);
    let auth = common::auth_secret(&t.w.desks[0]);
    let phone = spur_protocol::fields::PhoneNumber::parse(&t.anna.phone).unwrap();
    let usr =
        spur_protocol::usr::UsrKey::derive(&phone, &t.anna.secret, spur_protocol::usr::TEST_KDF)
            .unwrap();
    let nothing = (false, false, false);
    assert_eq!(opened(&rows, Some(&op), None, None), nothing, "OP alone");
    assert_eq!(
        opened(&rows, None, Some(&auth), None),
        nothing,
        "AUTH alone"
    );
    assert_eq!(opened(&rows, None, None, Some(&usr)), nothing, "USR alone");
    assert!(
        !opened(&rows, Some(&op), Some(&auth), None).2,
        "no visits without USR"
    );
    assert!(
        !opened(&rows, None, Some(&auth), Some(&usr)).2,
        "no visits without OP"
    );
    assert!(
        !opened(&rows, Some(&op), None, Some(&usr)).2,
        "no visits without AUTH"
    );
    assert_eq!(
        opened(&rows, Some(&op), Some(&auth), Some(&usr)),
        (true, true, true),
        "all three open Anna's visits"
    );
}
