//! Every word the desk shows or prints, in German and English, from the Fluent files in
//! `authority/i18n/`: `desk.ftl` (contact lists, sheets, messages) and `web.ftl` (the web pages).
//! The CLI and the web pages format through the same [`Texts`], so they cannot say different things.

use spur_i18n::Catalog;
pub use spur_i18n::{Arg, Lang, Msg};

const EN: [&str; 2] = [
    include_str!("../i18n/en/desk.ftl"),
    include_str!("../i18n/en/web.ftl"),
];
const DE: [&str; 2] = [
    include_str!("../i18n/de/desk.ftl"),
    include_str!("../i18n/de/web.ftl"),
];

/// The desk's words in both languages.
pub struct Texts {
    catalog: Catalog,
}

impl Default for Texts {
    fn default() -> Self {
        Self::new()
    }
}

impl Texts {
    /// Loads both languages.
    pub fn new() -> Self {
        Self {
            catalog: Catalog::new(&EN, &DE),
        }
    }
}

/// The catalog's `format`, `get` and `has`, in this party's words.
impl std::ops::Deref for Texts {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        &self.catalog
    }
}

/// What a step skipped, by reason and count (desk.ftl `desk-skips`), or `None` when nothing was:
/// the CLI and the web pages say the same.
pub fn skipped(skips: &spur_offline::skip::Skips) -> Option<Msg> {
    if skips.is_empty() {
        return None;
    }
    let parts = spur_offline::skip::SkipReason::ALL
        .iter()
        .filter(|r| skips.count(**r) > 0)
        .map(|r| {
            let id = match r {
                spur_offline::skip::SkipReason::UnknownAuthority => "desk-skip-unknown-authority",
                spur_offline::skip::SkipReason::DoesNotOpen => "desk-skip-does-not-open",
                spur_offline::skip::SkipReason::BadField => "desk-skip-bad-field",
                spur_offline::skip::SkipReason::Deleted => "desk-skip-deleted",
                spur_offline::skip::SkipReason::OutsideCase => "desk-skip-outside-case",
                spur_offline::skip::SkipReason::OtherAuthority => "desk-skip-other-authority",
            };
            Msg::new(id).num("count", skips.count(*r) as f64)
        })
        .collect();
    Some(
        Msg::new("desk-skips")
            .num("total", skips.total() as f64)
            .msgs("parts", parts),
    )
}

/// `minute` in the IANA time zone `zone` as the desk writes times, the zone named by its
/// abbreviation (`07.12.2026 14:05 MEZ`, `2026-12-07 14:05 CET`); UTC when the zone is unknown.
pub fn local_time(
    texts: &Texts,
    lang: Lang,
    zone: &str,
    minute: spur_protocol::time::Minute,
) -> String {
    let Some(t) = spur_protocol::time::local_time(minute, zone)
        .or_else(|| spur_protocol::time::local_time(minute, "UTC"))
    else {
        // Past the year 9999: the protocol's own text, in UTC.
        return format!("{} UTC", minute.date_time_text());
    };
    texts.format(
        lang,
        &Msg::new("desk-local-time")
            .text("year", format!("{:04}", t.year))
            .text("month", format!("{:02}", t.month))
            .text("day", format!("{:02}", t.day))
            .text("time", format!("{:02}:{:02}", t.hour, t.minute))
            .text("zone", t.zone),
    )
}

/// A UTC day (`spur_protocol::time::Day`) as the desk writes dates: `01.11.2026`, `2026-11-01`.
pub fn date(texts: &Texts, lang: Lang, day: spur_protocol::time::Day) -> String {
    let text = day.date_text();
    let mut parts = text.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => texts.format(
            lang,
            &Msg::new("desk-date")
                .text("year", y)
                .text("month", m)
                .text("day", d),
        ),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_parse_and_have_the_same_messages() {
        let en = spur_i18n::message_ids(&EN).unwrap_or_else(|e| panic!("en: {e}"));
        let de = spur_i18n::message_ids(&DE).unwrap_or_else(|e| panic!("de: {e}"));
        assert!(!en.is_empty());
        assert_eq!(
            en, de,
            "the German and English files must define the same messages"
        );
        let t = Texts::new();
        assert_eq!(t.get(Lang::De, "web-title"), "Kontaktnachverfolgung");
    }

    #[test]
    fn every_id_the_desk_code_uses_exists() {
        let en = spur_i18n::message_ids(&EN).unwrap_or_else(|e| panic!("en: {e}"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![root.join("src"), root.join("../cli/src/authority.rs")];
        let (mut used, mut missing) = (0, Vec::new());
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                for entry in std::fs::read_dir(&p).unwrap_or_else(|e| panic!("{e}")) {
                    stack.push(entry.unwrap_or_else(|e| panic!("{e}")).path());
                }
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}"));
            // `Msg::new(` also in the form rustfmt breaks over two lines.
            let flat = src.replace([' ', '\n'], "");
            for pat in ["Msg::new(\"", "refuse(\"desk-"] {
                for part in flat.split(pat).skip(1) {
                    let id = part.split('"').next().unwrap_or_default();
                    let id = if pat.ends_with("desk-") {
                        format!("desk-{id}")
                    } else {
                        id.to_owned()
                    };
                    // This test's own patterns are not ids.
                    if !id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        continue;
                    }
                    used += 1;
                    if !en.contains(&id) {
                        missing.push(format!("{}: {id}", p.display()));
                    }
                }
            }
        }
        assert!(used > 100, "found only {used} uses");
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn refusals_speak_the_desk_language() {
        use crate::DeskError;
        let e = DeskError::refused(Msg::new("desk-err-no-case-file").text("case", "M-1"));
        assert_eq!(
            e.to_string(),
            "refused: no case file for case M-1 on this desk"
        );
        assert_eq!(e.say(Lang::En), e.to_string());
        assert_eq!(
            e.say(Lang::De),
            "abgelehnt: keine Falldatei zum Fall M-1 an diesem Schreibtisch"
        );
        let nested = DeskError::refused(Msg::new("desk-err-no-release").text("case", "M-2").msgs(
            "reasons",
            vec![Msg::new("desk-reason-candidate")
                    .num("number", 1)
                    .msgs("reason", vec![Msg::new("desk-reason-other-days")])],
        ));
        assert!(
            nested
                .say(Lang::De)
                .contains("(Freigabe 1 abgelehnt: sie gibt Tage frei"),
            "{}",
            nested.say(Lang::De)
        );
        assert!(nested
            .to_string()
            .contains("(release 1 refused: it releases days the code does not ask for)"));
        assert_eq!(
            DeskError::NotPinned.say(Lang::De),
            "abgelehnt: dieser Schreibtisch hat noch kein Verzeichnis: führen Sie zuerst `spur authority pin` aus"
        );
    }

    #[test]
    fn skips_are_counted_by_reason_in_both_languages() {
        use spur_offline::skip::{SkipReason, Skips};
        let t = Texts::new();
        assert_eq!(skipped(&Skips::new()), None);
        let mut s = Skips::new();
        s.add(SkipReason::DoesNotOpen);
        let m = skipped(&s).unwrap_or_else(|| panic!("a skip"));
        assert_eq!(
            t.format(Lang::En, &m),
            "1 record skipped: 1 does not open with the key it is meant for"
        );
        s.add(SkipReason::BadField);
        s.add(SkipReason::BadField);
        let m = skipped(&s).unwrap_or_else(|| panic!("skips"));
        assert_eq!(
            t.format(Lang::En, &m),
            "3 records skipped: 1 does not open with the key it is meant for; 2 carry invalid fields"
        );
        assert_eq!(
            t.format(Lang::De, &m),
            "3 Datensätze übersprungen: 1 lässt sich mit dem vorgesehenen Schlüssel nicht öffnen; \
             2 enthalten ungültige Felder"
        );
    }

    #[test]
    fn plurals_of_one_and_two_in_both_languages() {
        let t = Texts::new();
        let ps = |lang, p: u32, s: u32| {
            t.format(
                lang,
                &Msg::new("desk-people-stays")
                    .num("people", p)
                    .num("stays", s),
            )
        };
        assert_eq!(ps(Lang::En, 1, 1), "1 person, 1 stay");
        assert_eq!(ps(Lang::En, 2, 6), "2 people, 6 stays");
        assert_eq!(ps(Lang::De, 1, 1), "1 Person, 1 Aufenthalt");
        assert_eq!(ps(Lang::De, 2, 6), "2 Personen, 6 Aufenthalte");
        let days = |lang, n: u32| t.format(lang, &Msg::new("desk-days").num("days", n));
        assert_eq!(days(Lang::En, 1), "1 day");
        assert_eq!(days(Lang::En, 2), "2 days");
        assert_eq!(days(Lang::De, 1), "1 Tag");
        assert_eq!(days(Lang::De, 2), "2 Tage");
        let entries =
            |lang, n: u32| t.format(lang, &Msg::new("desk-slot-entries").num("entries", n));
        assert_eq!(entries(Lang::En, 1), "1 slot entry");
        assert_eq!(entries(Lang::De, 2), "2 Slot-Einträge");
    }

    #[test]
    fn local_time_names_the_zone_in_the_desk_language() {
        let t = Texts::new();
        // 2026-12-07 13:05 UTC.
        let m = spur_protocol::time::Day::from_date_text("2026-12-07")
            .map(|d| d.start().plus(13 * 60 + 5))
            .unwrap_or_else(|| panic!("a date"));
        assert_eq!(
            local_time(&t, Lang::De, "Europe/Berlin", m),
            "07.12.2026 14:05 MEZ"
        );
        assert_eq!(
            local_time(&t, Lang::En, "Europe/Berlin", m),
            "2026-12-07 14:05 CET"
        );
        let summer = spur_protocol::time::Day::from_date_text("2026-07-01")
            .map(|d| d.start().plus(12 * 60))
            .unwrap_or_else(|| panic!("a date"));
        assert_eq!(
            local_time(&t, Lang::De, "Europe/Berlin", summer),
            "01.07.2026 14:00 MESZ"
        );
        assert_eq!(local_time(&t, Lang::En, "UTC", m), "2026-12-07 13:05 UTC");
    }
}
