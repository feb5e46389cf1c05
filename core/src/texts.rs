//! Every user-facing word of the app, in German and English, from the Fluent files in `i18n/`:
//! `messages.ftl` (what the core says) and `captions.ftl` (the shells' captions and the privacy
//! explanation, exported as the facade's `Captions` record).
//!
//! The core never hands a shell a sentence it did not take from here, so both shells show the
//! same reviewed words. A [`Msg`] is a message id with its arguments; [`Texts`] turns it into a
//! sentence in the chosen language (English when the language is unknown).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

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

/// The languages the core speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English (the fallback).
    En,
    /// German.
    De,
}

impl Lang {
    /// From a BCP 47 tag such as `de`, `de-AT` or `en-GB`; anything else is English.
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if primary == "de" {
            Self::De
        } else {
            Self::En
        }
    }

    /// The primary language subtag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }
}

/// An argument value of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Text, inserted as it is.
    Text(String),
    /// A number (Fluent picks plural forms by it).
    Num(f64),
}

/// A message id with its arguments, not yet in any language.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    /// The Fluent message id.
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    /// A message without arguments.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds a text argument.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// Adds a number argument.
    pub fn num(mut self, name: &'static str, value: impl Into<f64>) -> Self {
        self.args.push((name, Arg::Num(value.into())));
        self
    }
}

/// The parsed message bundles of both languages.
pub struct Texts {
    en: FluentBundle<FluentResource>,
    de: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, sources: [&'static str; 3]) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: the shells show plain strings.
    b.set_use_isolating(false);
    // The files are compiled in and checked by the tests below; a parse error would drop only
    // the broken entries, and a missing message falls back to its id.
    for source in sources {
        let res = match FluentResource::try_new(source.to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = b.add_resource(res);
    }
    b
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
            en: bundle("en", EN),
            de: bundle("de", DE),
        }
    }

    /// The sentence for `msg` in `lang`; English if the language lacks it; the id if both do.
    pub fn format(&self, lang: Lang, msg: &Msg) -> String {
        let primary = match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        };
        format_in(primary, msg)
            .or_else(|| format_in(&self.en, msg))
            .unwrap_or_else(|| msg.id.to_owned())
    }

    /// True when `lang` itself has the message `id` (no fallback).
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        match lang {
            Lang::En => self.en.has_message(id),
            Lang::De => self.de.has_message(id),
        }
    }

    /// Shorthand for a message without arguments.
    pub fn get(&self, lang: Lang, id: &'static str) -> String {
        self.format(lang, &Msg::new(id))
    }
}

fn format_in(b: &FluentBundle<FluentResource>, msg: &Msg) -> Option<String> {
    let pattern = b.get_message(msg.id)?.value()?;
    let mut args = FluentArgs::new();
    for (name, value) in &msg.args {
        match value {
            Arg::Text(t) => args.set(*name, FluentValue::from(t.clone())),
            Arg::Num(n) => args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    let s = b.format_pattern(pattern, Some(&args), &mut errors);
    Some(s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(sources: [&str; 3]) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for source in sources {
            let res =
                FluentResource::try_new(source.to_owned()).unwrap_or_else(|(_, e)| panic!("{e:?}"));
            for e in res.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = e {
                    assert!(all.insert(m.id.name.to_owned()), "{} twice", m.id.name);
                }
            }
        }
        all
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
