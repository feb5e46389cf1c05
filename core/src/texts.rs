//! Every user-facing word of the app, in German and English, from the Fluent files in `i18n/`:
//! `messages.ftl` (what the core says) and `captions.ftl` (the shells' captions and the privacy
//! explanation, exported as the facade's `Captions` record).
//!
//! The core never hands a shell a sentence it did not take from here, so both shells show the
//! same reviewed words. A [`Msg`] is a message id with its arguments; [`Texts`] turns it into a
//! sentence in the chosen language (English when the language is unknown).

use spur_i18n::Catalog;
pub use spur_i18n::{Arg, Lang, Msg};

const EN: [&str; 3] = [
    include_str!("../i18n/en/messages.ftl"),
    include_str!("../i18n/en/captions.ftl"),
    include_str!("../i18n/en/fields.ftl"),
];
const DE: [&str; 3] = [
    include_str!("../i18n/de/messages.ftl"),
    include_str!("../i18n/de/captions.ftl"),
    include_str!("../i18n/de/fields.ftl"),
];

/// The app's words in both languages (spur-i18n's catalog over the app's `.ftl` files).
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(sources: [&str; 3]) -> BTreeSet<String> {
        spur_i18n::message_ids(&sources).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn both_languages_parse_and_have_the_same_messages() {
        let en = ids(EN);
        let de = ids(DE);
        assert!(en.len() > 40, "{}", en.len());
        assert_eq!(
            en.difference(&de).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in de"
        );
        assert_eq!(
            de.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en"
        );
    }

    #[test]
    fn every_id_the_code_uses_exists() {
        let en = ids(EN);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut used = 0;
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let src = std::fs::read_to_string(&p).unwrap();
                for pat in ["Msg::new(\"", "msg(\"", "texts_get(\""] {
                    for part in src.split(pat).skip(1) {
                        let id = part.split('"').next().unwrap();
                        used += 1;
                        if !en.contains(id) {
                            missing.push(format!("{}: {id}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 30, "found only {used} uses");
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn arguments_and_fallbacks() {
        let t = Texts::new();
        let m = Msg::new("stay-minutes").num("minutes", 45);
        assert_eq!(t.format(Lang::En, &m), "45 minutes");
        assert_eq!(t.format(Lang::De, &m), "45 Minuten");
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(t.get(Lang::De, "no-such-message"), "no-such-message");
    }
}
