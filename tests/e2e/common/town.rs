//! The small town most property tests run: seven citizens, two places, a printed card, one day
//! "yesterday", a consent and the whole trace — every step a separate `spur` process.

use std::path::PathBuf;

use super::{date, scan_url, Args, Citizen, Spur, World};

/// The café where the infected person met people.
pub const CAFE: &str = "Cafe Zaunkoenig";
/// The bakery where someone else was at the same time.
pub const BAKERY: &str = "Baeckerei Zuckerschnecke";
/// The infected person's campus id (must never show in a dump).
pub const ANNA_CAMPUS: &str = "TUM-ANNA-47110815";
/// A contact's hostile campus id: a spreadsheet formula.
pub const BEN_CAMPUS: &str = "=cmd|' /C calc'!A0";
/// The place owner's phone number, only inside the place records.
pub const RESPONSIBLE: &str = "+4915100000019";
/// The case id.
pub const CASE: &str = "M-1";

/// The town after the trace.
pub struct Town {
    /// Operator, desks and servers.
    pub w: World,
    /// Infected; Munich; at the café today for 2 h; owns a printed card.
    pub anna: Citizen,
    /// Munich; at the café today for 1 h: a contact.
    pub ben: Citizen,
    /// Munich; at the bakery at the same time: not a contact.
    pub carla: Citizen,
    /// Berlin; at the café today for 30 min: a contact for the Berlin desk.
    pub dora: Citizen,
    /// Munich; at the café yesterday (other slots): not a contact.
    pub emil: Citizen,
    /// Munich; scanned Anna's printed card: a contact.
    pub finn: Citizen,
    /// Munich; made the place codes, went nowhere: not a contact.
    pub greta: Citizen,
    /// The café's code picture.
    pub cafe: PathBuf,
    /// Anna's card picture.
    pub card: PathBuf,
    /// The consent URL Anna scanned.
    pub consent_url: String,
    /// CSV lists of the Munich and Berlin desks.
    pub lists: [Option<String>; 2],
}

impl Town {
    /// Every phone number, place name and campus id of the town.
    pub fn secrets(&self) -> Vec<String> {
        let mut v = Vec::new();
        for c in [
            &self.anna,
            &self.ben,
            &self.carla,
            &self.dora,
            &self.emil,
            &self.finn,
            &self.greta,
        ] {
            v.push(c.phone.clone());
            // Also the number without "+" and in national form.
            v.push(c.phone[1..].to_owned());
            v.push(format!("0{}", &c.phone[3..]));
        }
        v.push(RESPONSIBLE.into());
        v.push(RESPONSIBLE[1..].into());
        for s in [CAFE, BAKERY, ANNA_CAMPUS, BEN_CAMPUS, "GRETA-CAMPUS-31337"] {
            v.push(s.into());
        }
        v
    }
}

/// Builds the town and runs the trace.
pub fn town() -> Town {
    let mut w = World::new();
    let greta = w.citizen(
        "greta",
        "+4915100000009",
        "80333",
        Some("GRETA-CAMPUS-31337"),
    );
    let cafe = greta.place_code(CAFE, "80331", RESPONSIBLE);
    let bakery = greta.place_code(BAKERY, "80336", RESPONSIBLE);
    let anna = w.citizen("anna", "+4915100000001", "80331", Some(ANNA_CAMPUS));
    let ben = w.citizen("ben", "+4915100000002", "80335", Some(BEN_CAMPUS));
    let carla = w.citizen("carla", "+4915100000003", "80337", None);
    let dora = w.citizen("dora", "+4915100000004", "10115", None);
    let finn = w.citizen("finn", "+4915100000006", "80333", None);
    // Yesterday: Emil's app and a TAG replica (same secret) run one day back.
    let yesterday = w.start_tag(0, -1);
    let today_tag = std::mem::replace(
        &mut w.tag_url,
        format!("http://127.0.0.1:{}", yesterday.port()),
    );
    let emil = w.citizen("emil", "+4915100000005", "80339", None);
    w.tag_url = today_tag;
    let out = emil.check_in(&cafe, "60", -1);
    assert!(out.contains(CAFE), "{out}");
    drop(yesterday);

    let card = anna.card();
    for (c, code, stay) in [
        (&anna, &cafe, "120"),
        (&ben, &cafe, "60"),
        (&dora, &cafe, "30"),
        (&carla, &bakery, "120"),
        (&finn, &card, "15"),
    ] {
        c.check_in(code, stay, 0);
    }
    // A stay is sent once it is over (never with an end the person may not stay until): the
    // phones sync a day later, when every stay has ended; Emil's of yesterday is over today.
    for c in [&anna, &ben, &dora, &carla, &finn] {
        let out = c.sync(1);
        assert!(
            out.contains("pending 0") && out.contains("waiting 0"),
            "{out}"
        );
    }
    assert!(emil.sync(0).contains("pending 0"));

    let consent_url = w.consent_code(0, CASE, &anna.phone, &date(-1), 2);
    anna.consent(&consent_url);

    // Anna's own card: the desk signs a request for its past TMP keys, sends it to the TAG
    // server and keeps the answer once every proof verifies.
    let card_id = scan_url_id(&card);
    let req = w.dir().join("history-request.bin");
    let answer = w.dir().join("history-answer.json");
    let tag_url = w.tag_url.clone();
    w.desk(0)
        .args([
            "history-request",
            "--qr-id",
            &card_id,
            "--first-day",
            &date(-1),
        ])
        .args(["--days", "2", "--tag-url", &tag_url, "--answer"])
        .arg(&answer)
        .arg("--out")
        .arg(&req)
        .ok();

    let lists = w.trace(CASE, &[answer]);
    Town {
        w,
        anna,
        ben,
        carla,
        dora,
        emil,
        finn,
        greta,
        cafe,
        card,
        consent_url,
        lists,
    }
}

/// The QR id `spur scan --image` shows for a personal code.
pub fn scan_url_id(picture: &std::path::Path) -> String {
    let out = Spur::new(["scan", "--image"]).arg(picture).ok();
    let _ = scan_url(picture);
    out.lines()
        .find_map(|l| l.strip_prefix("personal code, QR id "))
        .map(|l| l.split(',').next().unwrap().trim().to_owned())
        .unwrap_or_else(|| panic!("no personal code in {out}"))
}
