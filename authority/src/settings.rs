//! The desk's settings, `settings.json` in its folder: the language its sheets, lists and
//! messages are in and the IANA time zone its times are shown in. Chosen at `spur authority init`;
//! a folder made before there were settings reads as German and `Europe/Berlin`.

use spur_i18n::Msg;
use std::path::Path;

use serde::{Deserialize, Serialize};
use spur_i18n::Lang;

use crate::error::{DeskError, Result};

/// The settings file's name in the desk's folder.
pub const FILE: &str = "settings.json";
/// The default language: the desks are German health offices.
pub const DEFAULT_LANG: &str = "de";
/// The default time zone.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// Language and time zone of one desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `de` or `en`.
    pub lang: String,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: DEFAULT_LANG.into(),
            time_zone: DEFAULT_TIME_ZONE.into(),
        }
    }
}

impl Settings {
    /// Checked settings: `lang` must be `de` or `en`, `time_zone` a zone the compiled-in
    /// database knows.
    pub fn new(lang: &str, time_zone: &str) -> Result<Self> {
        let lang = lang.trim().to_ascii_lowercase();
        if lang != "de" && lang != "en" {
            return Err(DeskError::refused(Msg::new("desk-err-language").text(
                "lang",
                format!("{:?}", spur_protocol::fields::printable(&lang)),
            )));
        }
        let time_zone = time_zone.trim();
        if !spur_protocol::time::is_time_zone(time_zone) {
            return Err(DeskError::refused(Msg::new("desk-err-time-zone").text(
                "zone",
                format!("{:?}", spur_protocol::fields::printable(time_zone)),
            )));
        }
        Ok(Self {
            lang,
            time_zone: time_zone.to_owned(),
        })
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        Lang::from_tag(&self.lang)
    }

    /// Reads the settings of the desk in `dir`; the defaults when the folder has none (made
    /// before settings existed). A file that does not parse or names an unknown language or zone
    /// is refused rather than guessed at.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(DeskError::io(&path, e)),
        };
        let s: Self = serde_json::from_str(&text)
            .map_err(|e| DeskError::bad_file("desk settings", e.to_string()))?;
        Self::new(&s.lang, &s.time_zone)
    }

    /// Writes the settings into the desk's folder.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| DeskError::bad_file("desk settings", e.to_string()))?;
        Ok(spur_offline::private::write_private_file(
            &dir.join(FILE),
            format!("{json}\n").as_bytes(),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_settings_reads_as_german_and_berlin_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let s = Settings::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, Settings::default());
        assert_eq!(s.lang(), Lang::De);
        let en = Settings::new("EN", "America/New_York").unwrap_or_else(|e| panic!("{e}"));
        en.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Settings::load(dir.path()).ok(), Some(en));
        assert!(Settings::new("fr", "Europe/Berlin").is_err());
        assert!(Settings::new("de", "Europe/Atlantis").is_err());
        std::fs::write(dir.path().join(FILE), br#"{"lang":"xx","time_zone":"UTC"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(Settings::load(dir.path()).is_err());
    }
}
