//! The protocol's field rules in the user's words. Validation itself is
//! [`spur_protocol::fields`]' alone (one rule in one place); each of its typed refusals
//! ([`CountryProblem`], [`PostcodeProblem`], [`TextProblem`]) becomes one message of
//! `i18n/*/fields.ftl` here, with the arguments the sentence needs.

use spur_protocol::fields::{
    printable, Country, CountryProblem, PostcodeProblem, PostcodeRule, TextProblem,
};

use crate::texts::Msg;

/// A text field the user fills in, named in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextField {
    /// A place's name.
    PlaceName,
    /// A place's description (address, building part, room).
    Description,
    /// The campus id of a registration.
    CampusId,
}

impl TextField {
    /// The selector the Fluent messages use.
    fn id(self) -> &'static str {
        match self {
            Self::PlaceName => "place-name",
            Self::Description => "description",
            Self::CampusId => "campus-id",
        }
    }
}

/// Why the country `typed` was refused.
pub(crate) fn country(p: CountryProblem, typed: &str) -> Msg {
    match p {
        CountryProblem::NotTwoLetters => Msg::new("field-country-not-two-letters"),
        CountryProblem::NotAssigned => {
            Msg::new("field-country-not-assigned").text("country", printable(typed))
        }
    }
}

/// Why a postcode in `country` was refused (typed, or on a scanned place code).
pub(crate) fn postcode(country: Country, p: PostcodeProblem) -> Msg {
    let msg = match p {
        PostcodeProblem::Empty => Msg::new("field-postcode-empty"),
        PostcodeProblem::TooLong => Msg::new("field-postcode-too-long"),
        PostcodeProblem::Character(c) => {
            Msg::new("field-postcode-character").text("character", printable(&c.to_string()))
        }
        PostcodeProblem::Separators => Msg::new("field-postcode-separators"),
        PostcodeProblem::AllZeros => Msg::new("field-postcode-all-zeros"),
        PostcodeProblem::Format(PostcodeRule::FiveDigits) => Msg::new("field-postcode-five-digits"),
        PostcodeProblem::Format(PostcodeRule::FourDigits) => Msg::new("field-postcode-four-digits"),
        PostcodeProblem::Format(PostcodeRule::General) => Msg::new("field-postcode-general"),
    };
    msg.text("country", country.as_str())
}

/// Why the text of `field` was refused; names the character by its code point, since it is
/// one the user cannot see.
pub(crate) fn text(field: TextField, p: TextProblem) -> Msg {
    let id = match p {
        TextProblem::Control(_) => "field-text-control",
        TextProblem::Bidi(_) => "field-text-bidi",
        TextProblem::Invisible(_) => "field-text-invisible",
        TextProblem::LineBreak(_) => "field-text-line-break",
    };
    Msg::new(id)
        .text("field", field.id())
        .text("character", format!("U+{:04X}", u32::from(p.character())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::{Lang, Texts};

    /// Every typed reason the protocol can give, each as the message the user reads.
    fn every_reason() -> Vec<Msg> {
        let de = Country::check("DE").unwrap();
        let mut all = vec![
            country(CountryProblem::NotTwoLetters, "D"),
            country(CountryProblem::NotAssigned, "XX"),
        ];
        for p in [
            PostcodeProblem::Empty,
            PostcodeProblem::TooLong,
            PostcodeProblem::Character('!'),
            PostcodeProblem::Separators,
            PostcodeProblem::AllZeros,
            PostcodeProblem::Format(PostcodeRule::FiveDigits),
            PostcodeProblem::Format(PostcodeRule::FourDigits),
            PostcodeProblem::Format(PostcodeRule::General),
        ] {
            all.push(postcode(de, p));
        }
        for field in [
            TextField::PlaceName,
            TextField::Description,
            TextField::CampusId,
        ] {
            for p in [
                TextProblem::Control('\u{1b}'),
                TextProblem::Bidi('\u{202E}'),
                TextProblem::Invisible('\u{200B}'),
                TextProblem::LineBreak('\u{2028}'),
            ] {
                all.push(text(field, p));
            }
        }
        all
    }

    #[test]
    fn each_reason_is_a_german_and_an_english_sentence() {
        let t = Texts::new();
        for m in every_reason() {
            for lang in [Lang::En, Lang::De] {
                assert!(t.has(lang, m.id), "{} missing in {lang:?}", m.id);
                let said = t.format(lang, &m);
                assert_ne!(said, m.id, "untranslated");
                assert!(!said.contains("field-"), "{said}");
                assert!(!said.contains('{') && !said.contains('$'), "{said}");
                assert!(said.ends_with('.'), "a whole sentence: {said}");
            }
            assert_ne!(t.format(Lang::En, &m), t.format(Lang::De, &m), "{}", m.id);
        }
    }

    #[test]
    fn sentences_carry_their_arguments() {
        let t = Texts::new();
        let de = Country::check("DE").unwrap();
        let m = postcode(de, PostcodeProblem::Format(PostcodeRule::FiveDigits));
        assert_eq!(
            t.format(Lang::En, &m),
            "Postcodes in DE have 5 digits, for example 80331."
        );
        let m = text(TextField::Description, TextProblem::Bidi('\u{202E}'));
        assert!(t
            .format(Lang::De, &m)
            .starts_with("Die Beschreibung enthält"));
        assert!(t.format(Lang::En, &m).contains("(U+202E)"));
        let m = country(CountryProblem::NotAssigned, "X\u{202E}X");
        assert!(
            !t.format(Lang::En, &m).contains('\u{202E}'),
            "typed text made printable"
        );
    }
}
