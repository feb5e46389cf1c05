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

    /// The sentence for `msg` in `lang`; English if German lacks it; the id if both do.
    pub fn format(&self, lang: Lang, msg: &Msg) -> String {
        self.catalog.format(lang, msg)
    }

    /// Shorthand for a message without arguments.
    pub fn get(&self, lang: Lang, id: &'static str) -> String {
        self.catalog.get(lang, id)
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
}
