//! The app's form checks for countries, postcodes, names and ids. The rules are the protocol's
//! ([`spur_protocol::fields`], one rule in one place); this module turns each typed refusal into
//! a translated sentence that says what to fix, and asks the signed directory whether some
//! authority covers the postcode, so a typo is said instead of silently routed to the default.

use spur_protocol::directory::{Authority, Directory};
use spur_protocol::fields::{
    printable, Country, CountryProblem, Postcode, PostcodeProblem, PostcodeRule, Region,
    TextProblem,
};

use crate::app::App;
use crate::codes::PlaceForm;
use crate::error::{Error, Result};
use crate::texts::Msg;
use crate::transport::Transport;

/// A text field the user fills in, named in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextField {
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

/// Checks a country code: two letters of an assigned ISO 3166-1 code.
pub fn check_country(text: &str) -> Result<Country> {
    let t = text.trim();
    Country::check(t).map_err(|p| match p {
        CountryProblem::NotTwoLetters => Error::input(Msg::new("country-invalid")),
        CountryProblem::NotAssigned => {
            Error::input(Msg::new("country-unknown").text("country", printable(t)))
        }
    })
}

/// Checks a postcode in `country`'s format.
pub fn check_postcode(country: Country, text: &str) -> Result<Postcode> {
    Postcode::check_in(country, text).map_err(|p| postcode_refused(country, p))
}

/// The translated refusal of a postcode in `country` (typed, or on a scanned place code).
pub(crate) fn postcode_refused(country: Country, p: PostcodeProblem) -> Error {
    {
        let msg = match p {
            PostcodeProblem::Empty => Msg::new("postcode-required"),
            PostcodeProblem::TooLong => Msg::new("postcode-too-long"),
            PostcodeProblem::Character(c) => {
                Msg::new("postcode-bad-character").text("character", printable(&c.to_string()))
            }
            PostcodeProblem::Separators => Msg::new("postcode-separators"),
            PostcodeProblem::AllZeros => Msg::new("postcode-zeros"),
            PostcodeProblem::Format(PostcodeRule::FiveDigits) => Msg::new("postcode-five-digits"),
            PostcodeProblem::Format(PostcodeRule::FourDigits) => Msg::new("postcode-four-digits"),
            PostcodeProblem::Format(PostcodeRule::General) => Msg::new("postcode-invalid"),
        };
        Error::input(msg.text("country", country.as_str()))
    }
}

/// Checks a country and an optional postcode (empty counts as not given).
pub fn check_region(country: &str, postcode: Option<&str>) -> Result<Region> {
    let country = check_country(country)?;
    let postcode = postcode
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| check_postcode(country, p))
        .transpose()?;
    Ok(Region { country, postcode })
}

/// Checks the characters of a name or id by the protocol's text rule (lengths are the caller's).
pub fn check_text(field: TextField, text: &str) -> Result<()> {
    spur_protocol::fields::check_text(text).map_err(|p| {
        let id = match p {
            TextProblem::Control(_) => "text-control",
            TextProblem::Bidi(_) => "text-bidi",
            TextProblem::Invisible(_) => "text-invisible",
            TextProblem::LineBreak(_) => "text-line-break",
        };
        Error::input(
            Msg::new(id)
                .text("field", field.id())
                .text("character", format!("U+{:04X}", u32::from(p.character()))),
        )
    })
}

/// The authority responsible for `region`: the one covering its postcode, or the default when
/// no postcode is given. A postcode no authority covers is refused with a message (a place
/// needs a covering authority; a person may leave the postcode empty instead).
pub fn responsible(dir: &Directory, region: &Region, place: bool) -> Result<Authority> {
    let Some(postcode) = region.postcode else {
        return Ok(dir.route(None)?.clone());
    };
    match dir.covering(region) {
        Some(a) => Ok(a.clone()),
        None => {
            let msg = if place {
                Msg::new("place-postcode-not-covered")
            } else {
                let default = dir.route(None)?;
                Msg::new("postcode-not-covered").text("default", printable(&default.name))
            };
            Err(Error::input(
                msg.text("postcode", postcode.as_str())
                    .text("country", region.country.as_str()),
            ))
        }
    }
}

/// A place form whose fields passed every check, with the authority its postcode belongs to.
pub(crate) struct CheckedPlace {
    /// Country and postcode.
    pub region: Region,
    /// The trimmed name.
    pub name: String,
    /// The trimmed description.
    pub description: String,
    /// The authority covering the postcode.
    pub authority: Authority,
}

impl<T: Transport> App<T> {
    /// Checks a place form's country, postcode, name and description, and that an authority
    /// covers the postcode (from the pinned directory).
    pub(crate) async fn check_place_form(&self, form: &PlaceForm) -> Result<CheckedPlace> {
        if form.postcode.trim().is_empty() {
            return Err(Error::input(Msg::new("postcode-required")));
        }
        let region = check_region(&form.country, Some(&form.postcode))?;
        let name = form.name.trim().to_owned();
        if name.is_empty() || name.len() > spur_protocol::qr::MAX_PLACE_NAME {
            return Err(Error::input(Msg::new("place-name-invalid")));
        }
        check_text(TextField::PlaceName, &name)?;
        let description = form.description.trim().to_owned();
        if description.len() > spur_protocol::record::place::MAX_DESCRIPTION {
            return Err(Error::input(Msg::new("place-description-invalid")));
        }
        check_text(TextField::Description, &description)?;
        // The protocol's own check of the name, in case it ever asks more than the above.
        spur_protocol::qr::validate_place_name(&name)
            .map_err(|_| Error::input(Msg::new("place-name-invalid")))?;
        let dir = self.directory().await?;
        let authority = responsible(&dir, &region, true)?;
        Ok(CheckedPlace {
            region,
            name,
            description,
            authority,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_message() {
        let id = |c: &str, p: Option<&str>| check_region(c, p).unwrap_err().msg.id;
        assert_eq!(id("XX", None), "country-unknown");
        assert_eq!(id("D", None), "country-invalid");
        assert_eq!(id("DE", Some("ABCDE")), "postcode-five-digits");
        assert_eq!(id("DE", Some("8033")), "postcode-five-digits");
        assert_eq!(id("DE", Some("00000")), "postcode-zeros");
        assert_eq!(id("AT", Some("0999")), "postcode-four-digits");
        assert_eq!(id("GB", Some("-1-1")), "postcode-separators");
        assert_eq!(id("GB", Some("SW1A!")), "postcode-bad-character");
        assert_eq!(id("GB", Some("12345678901")), "postcode-too-long");
        assert!(check_region("de", Some(" ")).unwrap().postcode.is_none());
        assert_eq!(
            check_region("de", Some("80331")).unwrap().to_string(),
            "DE-80331"
        );
        let t = |s: &str| check_text(TextField::PlaceName, s).unwrap_err().msg.id;
        assert_eq!(t("M\u{202E}nehcnü"), "text-bidi");
        assert_eq!(t("a\u{200B}b"), "text-invisible");
        assert_eq!(t("a\u{2028}b"), "text-line-break");
        assert_eq!(t("a\u{1b}[2J"), "text-control");
        assert!(check_text(TextField::CampusId, "ga12bcd").is_ok());
    }
}
