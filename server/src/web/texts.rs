//! The web host's words in German and English (server/i18n/*/web.ftl through spur-i18n's
//! catalog), and the language a request asks for (`Accept-Language`, de or en).

use std::sync::OnceLock;

use axum::http::{header, HeaderMap};
use spur_i18n::Catalog;
pub use spur_i18n::{Lang, Msg};

const EN: [&str; 1] = [include_str!("../../i18n/en/web.ftl")];
const DE: [&str; 1] = [include_str!("../../i18n/de/web.ftl")];

/// Both languages, parsed once.
pub fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::new(&EN, &DE))
}

/// The language the browser prefers among German and English (by quality value, first wins on a
/// tie); English when it names neither or sends no header.
pub fn lang(headers: &HeaderMap) -> Lang {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Lang::En;
    };
    let mut best: Option<(f32, Lang)> = None;
    for item in value.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let lang = if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, v.parse().unwrap());
        h
    }

    #[test]
    fn picks_the_preferred_of_de_and_en() {
        assert_eq!(lang(&HeaderMap::new()), Lang::En);
        assert_eq!(lang(&with("de-DE,de;q=0.9,en;q=0.8")), Lang::De);
        assert_eq!(lang(&with("fr-FR,en;q=0.5,de;q=0.7")), Lang::De);
        assert_eq!(lang(&with("en-GB,de;q=0.9")), Lang::En);
        assert_eq!(lang(&with("fr")), Lang::En);
        assert_eq!(lang(&with("de;q=0,en;q=0.1")), Lang::En);
        assert_eq!(lang(&with(";;;,q=,de;q=abc")), Lang::De);
    }

    #[test]
    fn both_languages_parse_and_have_the_same_messages() {
        let en: BTreeSet<String> = spur_i18n::message_ids(&EN).unwrap();
        let de: BTreeSet<String> = spur_i18n::message_ids(&DE).unwrap();
        assert!(en.len() > 15, "{}", en.len());
        assert_eq!(en, de);
    }
}
