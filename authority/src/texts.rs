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
