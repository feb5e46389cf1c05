//! spur's one Fluent catalog, shared by the app core and the authority's desk: the languages spur
//! speaks ([`Lang`]), a message id with its arguments ([`Msg`]) and the parsed bundles of both
//! languages ([`Catalog`]) that turn a message into a sentence, with English as the fallback.
//!
//! Each party keeps its own `.ftl` files (the words are theirs); how a message is looked up,
//! pluralised and filled in is implemented once, here.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages spur speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// Messages worded in the same language as the one they are inserted into, joined by "; "
    /// (the reasons inside a refusal).
    Msgs(Vec<Msg>),
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

    /// Adds messages worded in the same language as this one, joined by "; ".
    pub fn msgs(mut self, name: &'static str, value: Vec<Msg>) -> Self {
        self.args.push((name, Arg::Msgs(value)));
        self
    }
}

/// The parsed message bundles of both languages.
pub struct Catalog {
    en: FluentBundle<FluentResource>,
    de: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, sources: &[&'static str]) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks: screens, sheets and terminals show plain strings.
    b.set_use_isolating(false);
    // The files are compiled in and checked by each party's tests (see [`message_ids`]); a parse
    // error would drop only the broken entries, and a missing message falls back to its id.
    for source in sources {
        let res = match FluentResource::try_new((*source).to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = b.add_resource(res);
    }
    b
}

impl Catalog {
    /// Parses the English and German sources (each a list of `.ftl` file contents).
    pub fn new(en: &[&'static str], de: &[&'static str]) -> Self {
        Self {
            en: bundle("en", en),
            de: bundle("de", de),
        }
    }

    /// The sentence for `msg` in `lang`; English if the language lacks it; the id if both do.
    pub fn format(&self, lang: Lang, msg: &Msg) -> String {
        format_in(self.bundle(lang), msg)
            .or_else(|| format_in(&self.en, msg))
            .unwrap_or_else(|| msg.id.to_owned())
    }

    /// True when `lang` itself has the message `id` (no fallback).
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// Shorthand for a message without arguments.
    pub fn get(&self, lang: Lang, id: &'static str) -> String {
        self.format(lang, &Msg::new(id))
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }
}

fn format_in(b: &FluentBundle<FluentResource>, msg: &Msg) -> Option<String> {
    let pattern = b.get_message(msg.id)?.value()?;
    let mut args = FluentArgs::new();
    for (name, value) in &msg.args {
        match value {
            Arg::Text(t) => args.set(*name, FluentValue::from(t.clone())),
            Arg::Num(n) => args.set(*name, FluentValue::from(*n)),
            Arg::Msgs(list) => {
                let words: Vec<String> = list
                    .iter()
                    .map(|m| format_in(b, m).unwrap_or_else(|| m.id.to_owned()))
                    .collect();
                args.set(*name, FluentValue::from(words.join("; ")));
            }
        }
    }
    let mut errors = Vec::new();
    let s = b.format_pattern(pattern, Some(&args), &mut errors);
    Some(s.into_owned())
}

/// The message ids of `sources`, for the parties' tests: an error names the first `.ftl` source
/// that does not parse or defines a message twice.
pub fn message_ids(sources: &[&str]) -> Result<std::collections::BTreeSet<String>, String> {
    let mut all = std::collections::BTreeSet::new();
    for (i, source) in sources.iter().enumerate() {
        let res = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, e)| format!("source {i} does not parse: {e:?}"))?;
        for e in res.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = e {
                if !all.insert(m.id.name.to_owned()) {
                    return Err(format!("message {} defined twice", m.id.name));
                }
            }
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "days = { $count ->\n    [one] one day\n   *[other] { $count } days\n}\nonly-en = English\n";
    const DE: &str = "days = { $count ->\n    [one] ein Tag\n   *[other] { $count } Tage\n}\n";

    #[test]
    fn plurals_arguments_and_fallbacks() {
        let c = Catalog::new(&[EN], &[DE]);
        assert_eq!(
            c.format(Lang::En, &Msg::new("days").num("count", 1)),
            "one day"
        );
        assert_eq!(
            c.format(Lang::En, &Msg::new("days").num("count", 14)),
            "14 days"
        );
        assert_eq!(
            c.format(Lang::De, &Msg::new("days").num("count", 1)),
            "ein Tag"
        );
        assert_eq!(
            c.format(Lang::De, &Msg::new("days").num("count", 3)),
            "3 Tage"
        );
        assert_eq!(c.get(Lang::De, "only-en"), "English");
        assert!(!c.has(Lang::De, "only-en"));
        assert_eq!(c.get(Lang::De, "no-such-message"), "no-such-message");
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }

    #[test]
    fn inner_messages_take_the_outer_language() {
        let en = "why = refused: { $reasons }\nday = { $n } day\n";
        let de = "why = abgelehnt: { $reasons }\nday = Tag { $n }\n";
        let c = Catalog::new(&[en], &[de]);
        let m = Msg::new("why").msgs(
            "reasons",
            vec![Msg::new("day").num("n", 1), Msg::new("day").num("n", 2)],
        );
        assert_eq!(c.format(Lang::En, &m), "refused: 1 day; 2 day");
        assert_eq!(c.format(Lang::De, &m), "abgelehnt: Tag 1; Tag 2");
    }

    #[test]
    fn ids_reject_duplicates_and_broken_files() {
        assert_eq!(message_ids(&[EN]).map(|s| s.len()), Ok(2));
        assert!(message_ids(&[EN, EN]).is_err());
        assert!(message_ids(&["= broken"]).is_err());
    }
}
