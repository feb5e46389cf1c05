//! Issue 12, points 1–4, played by a hostile client against the real `spur` processes: a
//! registered stranger builds consent releases by hand (`common::forge`, the protocol crate's
//! builders, only public inputs) and uploads them to the real POST server over HTTP. Each test
//! asserts the contact list is exactly right, nothing was released or traced that should not be,
//! and the refusal is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::dump::db_rows;
use common::forge::{code_of, guessed_code, signed_code_url, Hostile};
use common::*;
use spur_protocol::time::{Day, Minute};

const CAFE: &str = "Cafe Zaunkoenig";
const BAKERY: &str = "Baeckerei Zuckerschnecke";
const RESPONSIBLE: &str = "+4915100000019";

/// Anna (to be infected) and Ben at the café, Hugo (the hostile one) and Carla at the bakery,
/// all now; Greta made the place codes.
struct Scene {
    w: World,
    anna: Citizen,
    ben: Citizen,
    carla: Citizen,
    hugo: Citizen,
    greta: Citizen,
}

fn scene() -> Scene {
    let w = World::new();
    let greta = w.citizen("greta", "+4915100000009", "80333", None);
    let cafe = greta.place_code(CAFE, "80331", RESPONSIBLE);
    let bakery = greta.place_code(BAKERY, "80336", RESPONSIBLE);
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let ben = w.citizen("ben", "+4915100000002", "80335", None);
    let carla = w.citizen("carla", "+4915100000003", "80337", None);
    let hugo = w.citizen("hugo", "+4915100000007", "80339", None);
    for (c, code, stay) in [
        (&anna, &cafe, "120"),
        (&ben, &cafe, "60"),
        (&hugo, &bakery, "60"),
        (&carla, &bakery, "60"),
    ] {
        c.check_in(code, stay, 0);
    }
    // A stay is sent once it is over: the phones sync a day later.
    for c in [&anna, &ben, &hugo, &carla] {
        assert!(c.sync(1).contains("pending 0"));
    }
    Scene {
        w,
        anna,
        ben,
        carla,
        hugo,
        greta,
    }
}

impl Scene {
    /// The phones of the scene's people that a contact list names.
    fn phones_on(&self, csv: &str) -> Vec<String> {
        [&self.anna, &self.ben, &self.carla, &self.hugo, &self.greta]
            .iter()
            .filter(|c| csv.contains(&c.phone[1..]))
            .map(|c| c.phone.clone())
            .collect()
    }

    /// Asserts the trace's lists: Munich names exactly Ben, Berlin has none.
    fn assert_exact(&self, lists: &[Option<String>; 2]) {
        let munich = lists[0].as_deref().expect("the Munich desk has a list");
        assert_eq!(
            self.phones_on(munich),
            vec![self.ben.phone.clone()],
            "{munich}"
        );
        assert!(lists[1].is_none(), "Berlin got contacts: {:?}", lists[1]);
    }

    fn audit(&self) -> String {
        let out = self.w.vault().args(["audit", "verify"]).ok();
        assert!(out.contains("audit log verifies"), "{out}");
        std::fs::read_to_string(self.w.vault.join("audit.log")).unwrap()
    }

    fn register(&self) -> String {
        std::fs::read_to_string(self.w.desks[0].join("register.json")).unwrap_or_default()
    }

    fn consent_rows(&self) -> usize {
        db_rows(&self.w.post_db)
            .values()
            .flatten()
            .filter(|r| r.starts_with("Integer(7)"))
            .count()
    }
}

fn events(audit: &str, event: &str) -> Vec<String> {
    let tag = format!("\"event\":\"{event}\"");
    audit
        .lines()
        .filter(|l| l.contains(&tag))
        .map(str::to_owned)
        .collect()
}

fn today() -> Day {
    Day((std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400) as u32)
}

fn now() -> Minute {
    Minute::from_unix_seconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

#[test]
fn point1_a_release_answering_no_code_is_never_traced_and_its_refusal_is_audited() {
    let s = scene();
    let hostile = Hostile::new(&s.w);
    // Hugo knows the desk's case ids are short and sequential: he uploads a release for M-1 with
    // his own keys and a nonce of his own, before any code for M-1 exists.
    let forged = hostile.release(&s.hugo, &guessed_code("M-1", today(), 1), &s.hugo.phone);
    hostile.upload_release(&forged);
    // The desk then issues M-1 to Anna; she consents.
    let url = s.w.consent_code(0, "M-1", &s.anna.phone, &date(0), 1);
    s.anna.consent(&url);
    assert_eq!(s.consent_rows(), 2);

    let lists = s.w.trace("M-1", &[]);
    // Ben only: Carla (next to Hugo at the bakery) is on no list.
    s.assert_exact(&lists);
    let audit = s.audit();
    let unanswered = events(&audit, "consent-unanswered");
    assert_eq!(unanswered.len(), 1, "{audit}");
    assert!(unanswered[0].contains("\"releases\":1"), "{audit}");
    let taken = events(&audit, "consent");
    assert_eq!(taken.len(), 1, "{audit}");
    assert!(taken[0].contains("\"candidates\":1"), "{audit}");
    // Hugo's release is still waiting, never taken: no code the desk issued answers it.
    let list = s.w.vault().args(["consent", "list"]).ok();
    assert_eq!(
        list.lines().filter(|l| l.contains("case M-1")).count(),
        1,
        "{list}"
    );
    // Handing the vault a code the desk did not sign does not take it either.
    let bogus = s.w.dir().join("bogus.code");
    let mut c = guessed_code("M-1", today(), 1);
    c.nonce = code_of(&url).nonce;
    let payload = spur_protocol::qr::Payload {
        host: HOST.into(),
        code: spur_protocol::qr::Code::Consent(c),
    };
    std::fs::write(&bogus, payload.to_url().unwrap()).unwrap();
    let m =
        s.w.vault()
            .args(["consent", "take", "--code"])
            .arg(&bogus)
            .fails();
    assert!(m.contains("consent code refused"), "{m}");
    assert_eq!(events(&s.audit(), "consent-refused").len(), 1);
}

#[test]
fn point2_planted_releases_for_the_same_case_do_not_stall_the_real_one() {
    let s = scene();
    let hostile = Hostile::new(&s.w);
    let url = s.w.consent_code(0, "M-2", &s.anna.phone, &date(0), 1);
    let code = code_of(&url);
    // Planted before Anna consents: a guessed nonce for the same case; with the code's nonce (a
    // photo of the sheet) a release for yesterday too, and one naming another authority.
    hostile.upload_release(&hostile.release(
        &s.hugo,
        &guessed_code("M-2", today(), 1),
        &s.hugo.phone,
    ));
    let mut wider = code.clone();
    wider.first_day = Day(code.first_day.0 - 1);
    wider.days = 2;
    hostile.upload_release(&hostile.release(&s.hugo, &wider, &s.hugo.phone));
    let mut berlin = code.clone();
    berlin.authority = 2;
    hostile.upload_release(&hostile.release(&s.hugo, &berlin, &s.hugo.phone));
    s.anna.consent(&url);
    assert_eq!(s.consent_rows(), 4);

    let (pkg, out) = s.w.take_consent("M-2");
    assert!(out.contains("1 release(s), 1 candidate(s)"), "{out}");
    assert_eq!(out.matches("refused release").count(), 2, "{out}");
    assert!(out.contains("does not ask for"), "{out}");
    assert!(out.contains("authority 2"), "{out}");
    assert!(out.contains("answer no code handed to this vault"), "{out}");
    let opened = s.w.open_consent("M-2", &pkg, &[], &[]);
    assert!(opened.contains("case M-2"), "{opened}");
    let lists = s.w.finish_trace("M-2");
    s.assert_exact(&lists);
    let audit = s.audit();
    assert_eq!(
        events(&audit, "consent-release-refused").len(),
        2,
        "{audit}"
    );
    assert_eq!(events(&audit, "consent-unanswered").len(), 1, "{audit}");
}

#[test]
fn point3_one_code_two_devices_merge_another_persons_app_and_release_are_refused() {
    let s = scene();
    let hostile = Hostile::new(&s.w);
    let url = s.w.consent_code(0, "M-4", &s.anna.phone, &date(0), 1);
    // Another person's honest app refuses the code: it was made for Anna.
    let m = s
        .ben
        .app()
        .args(["consent", "--url", &url, "--phone", &s.ben.phone])
        .fails();
    assert!(m.contains("made for another person"), "{m}");
    assert_eq!(s.consent_rows(), 0, "Ben's app released nothing");
    // Anna consents on her phone and again on a second device of the same registration.
    s.anna.consent(&url);
    let mut second =
        s.w.unregistered("anna-tablet", &s.anna.phone, &s.anna.postcode);
    second.secret = s.anna.secret.clone();
    second.register(None);
    second.consent(&url);
    // Hugo saw the code and answers it with a release of his own (his phone in the AUTH part).
    hostile.upload_release(&hostile.release(&s.hugo, &code_of(&url), &s.hugo.phone));
    assert_eq!(s.consent_rows(), 3);

    let (pkg, out) = s.w.take_consent("M-4");
    assert!(out.contains("3 release(s), 2 candidate(s)"), "{out}");
    let opened = s.w.open_consent("M-4", &pkg, &[], &[]);
    assert!(
        opened.contains("refused: it was made by another person"),
        "{opened}"
    );
    let lists = s.w.finish_trace("M-4");
    s.assert_exact(&lists);
    let register = s.register();
    assert!(register.contains("made by another person"), "{register}");
    assert!(events(&s.audit(), "consent")[0].contains("\"candidates\":2"));

    // Ida knows Anna's number and saw the next code: her release carries Anna's phone. Two
    // registrations now match the person; the desk lists them and the tracer chooses.
    let ida = s.w.citizen("ida", "+4915100000008", "80331", None);
    let url = s.w.consent_code(0, "M-5", &s.anna.phone, &date(0), 1);
    s.anna.consent(&url);
    hostile.upload_release(&hostile.release(&ida, &code_of(&url), &s.anna.phone));
    let (pkg, _) = s.w.take_consent("M-5");
    let listing =
        s.w.desk(0)
            .args(["open", "consent"])
            .arg(&pkg)
            .arg("--out")
            .arg(s.w.step_dir("M-5").join("2"))
            .fails();
    assert!(listing.contains("--candidate N"), "{listing}");
    let anna_line = listing
        .lines()
        .find(|l| l.contains("candidate") && l.contains("1 visits"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        listing.contains("no visits"),
        "Ida checked in nowhere: {listing}"
    );
    let n = anna_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .trim_end_matches(':')
        .to_owned();
    s.w.open_consent("M-5", &pkg, &[], &["--candidate", &n]);
    let lists = s.w.finish_trace("M-5");
    s.assert_exact(&lists);
}

#[test]
fn point4_future_days_overlong_lifetimes_and_days_past_the_calendar_are_refused_everywhere() {
    let s = scene();
    let hostile = Hostile::new(&s.w);
    let desk = |first: &str, days: &str, hours: &str| {
        s.w.desk(0)
            .args(["consent-code", "--case", "M-6", "--phone", &s.anna.phone])
            .args(["--first-day", first, "--days", days, "--valid-hours", hours])
            .args(["--host", HOST, "--out"])
            .arg(s.w.dir().join("refused"))
            .fails()
    };
    // The desk refuses, saying what to do.
    let m = desk(&date(1), "1", "72");
    assert!(
        m.contains("after today") && m.contains("--first-day"),
        "{m}"
    );
    let m = desk(&date(-1), "3", "72");
    assert!(m.contains("after today"), "{m}");
    let m = desk(&date(-30), "2", "72");
    assert!(m.contains("older than 28 days"), "{m}");
    let m = desk(&date(0), "1", "4294967295");
    assert!(m.contains("--valid-hours must be 1 to 168"), "{m}");
    let m = desk(&date(0), "1", "169");
    assert!(m.contains("--valid-hours"), "{m}");
    assert!(!s.register().contains("M-6"), "nothing registered");

    // Codes signed with the desk's real key by a desk that skips its checks: the app refuses them.
    let t = now();
    let tomorrow = today().0 + 1;
    let d = &s.w.desks[0];
    let phone = s.anna.phone.clone();
    let future = signed_code_url(d, "M-6", &phone, tomorrow, 1, t, t.plus(60));
    let ahead = signed_code_url(
        d,
        "M-6",
        &phone,
        tomorrow,
        1,
        Day(tomorrow).start(),
        Day(tomorrow).start().plus(60),
    );
    let forever = signed_code_url(d, "M-6", &phone, today().0, 1, t, Minute(u32::MAX));
    let wrap = signed_code_url(d, "M-6", &phone, u32::MAX - 1, 14, t, t.plus(60));
    let refuse = |url: &str| {
        let m = s
            .anna
            .app()
            .args(["consent", "--url", url, "--phone", &s.anna.phone])
            .fails();
        assert!(!m.contains("panicked") && !m.contains("0 days"), "{m}");
        m
    };
    assert!(refuse(&future).contains("have not happened"));
    assert!(refuse(&ahead).contains("have not happened"));
    assert!(refuse(&forever).contains("more than 7 days"));
    assert!(refuse(&wrap).contains("calendar"));
    assert_eq!(s.consent_rows(), 0, "the app released nothing");

    // A modified app releases the future-days code anyway; the vault refuses every such code.
    hostile.upload_release(&hostile.release(&s.anna, &code_of(&future), &s.anna.phone));
    hostile.upload_release(&hostile.release(&s.anna, &code_of(&forever), &s.anna.phone));
    s.w.pull_and_import("export-hostile");
    for (name, url, why) in [
        ("future", &future, "have not happened"),
        ("forever", &forever, "more than 7 days"),
        ("wrap", &wrap, "calendar"),
    ] {
        let f = s.w.dir().join(format!("{name}.code"));
        std::fs::write(&f, url).unwrap();
        let m =
            s.w.vault()
                .args(["consent", "take", "--code"])
                .arg(&f)
                .fails();
        assert!(
            m.contains("consent code refused") && m.contains(why),
            "{name}: {m}"
        );
    }
    let audit = s.audit();
    assert_eq!(events(&audit, "consent-refused").len(), 3, "{audit}");
    assert!(
        events(&audit, "consent").is_empty(),
        "nothing taken: {audit}"
    );
    let list = s.w.vault().args(["consent", "list"]).ok();
    assert_eq!(
        list.lines().filter(|l| l.contains("case M-6")).count(),
        2,
        "{list}"
    );

    // The honest path still works, and lists exactly Ben.
    let url = s.w.consent_code(0, "M-7", &s.anna.phone, &date(0), 1);
    s.anna.consent(&url);
    let lists = s.w.trace("M-7", &[]);
    s.assert_exact(&lists);
}
