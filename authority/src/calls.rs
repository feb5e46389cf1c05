//! The tracer's call sheet of a contact list: a call status and a note per contact, kept in the
//! desk's case folder as `calls-<authority>-<case>.json` (0600) so the retention sweep deletes it
//! with the case files (same folder, same 28 days). A sheet whose contact list is gone is not read
//! and is deleted: notes never outlive their case.

use spur_i18n::Msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::case::{self, safe};
use crate::error::{DeskError, Result};

/// The longest note kept (characters); longer notes are refused, not cut.
pub const MAX_NOTE: usize = 2000;

/// Where a call to one contact stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    /// Nobody called yet.
    #[default]
    NotCalled,
    /// Called, nobody answered.
    NoAnswer,
    /// Reached and informed.
    Reached,
    /// Asked to call back.
    CallBack,
    /// The number does not work.
    WrongNumber,
}

impl CallStatus {
    /// Every status, in the order a form lists them.
    pub const ALL: [CallStatus; 5] = [
        Self::NotCalled,
        Self::NoAnswer,
        Self::Reached,
        Self::CallBack,
        Self::WrongNumber,
    ];

    /// The status's short name (form values, CLI, JSON).
    pub fn name(self) -> &'static str {
        match self {
            Self::NotCalled => "not-called",
            Self::NoAnswer => "no-answer",
            Self::Reached => "reached",
            Self::CallBack => "call-back",
            Self::WrongNumber => "wrong-number",
        }
    }

    /// The Fluent id of its words.
    pub fn id(self) -> &'static str {
        match self {
            Self::NotCalled => "web-call-not-called",
            Self::NoAnswer => "web-call-no-answer",
            Self::Reached => "web-call-reached",
            Self::CallBack => "web-call-call-back",
            Self::WrongNumber => "web-call-wrong-number",
        }
    }

    /// Parses a short name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// The call of one contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// Its status.
    pub status: CallStatus,
    /// The tracer's note.
    #[serde(default)]
    pub note: String,
    /// Who changed it last (staff name).
    #[serde(default)]
    pub by: String,
    /// When (minute).
    #[serde(default)]
    pub minute: u32,
}

/// The call sheet of one case: calls by the contact's phone number (E.164, one row per person on
/// the list).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calls {
    /// Calls by phone number.
    pub calls: BTreeMap<String, Call>,
}

/// The sheet's path beside the case's contact file.
pub fn path(cases: &Path, authority: u16, case_id: &str) -> PathBuf {
    cases.join(format!("calls-{authority}-{}.json", safe(case_id)))
}

/// Loads the sheet of a case; an empty one when there is none. A sheet without its contact file
/// (swept, or never there) is deleted and an empty one returned.
pub fn load(cases: &Path, authority: u16, case_id: &str) -> Result<Calls> {
    let p = path(cases, authority, case_id);
    if !case::contacts_path(cases, authority, case_id).exists() {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(DeskError::io(&p, e)),
        }
        return Ok(Calls::default());
    }
    Ok(case::load(&p)?.unwrap_or_default())
}

/// Sets the call of the contact with `phone`: refused when the case has no contact list, when
/// `phone` is not on it, or the note is too long. Rewrites the sheet atomically.
pub fn set(
    cases: &Path,
    authority: u16,
    case_id: &str,
    phone: &str,
    call: Call,
    on_list: impl Fn(&str) -> bool,
) -> Result<()> {
    if !case::contacts_path(cases, authority, case_id).exists() {
        return Err(DeskError::refused(
            Msg::new("desk-err-no-contact-list").text("case", case_id),
        ));
    }
    if !on_list(phone) {
        return Err(DeskError::refused(Msg::new("desk-err-not-on-list")));
    }
    if call.note.chars().count() > MAX_NOTE {
        return Err(DeskError::refused(
            Msg::new("desk-err-note-long").num("max", MAX_NOTE as f64),
        ));
    }
    let mut sheet = load(cases, authority, case_id)?;
    sheet.calls.insert(phone.to_owned(), call);
    case::save(&path(cases, authority, case_id), &sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_kept_and_goes_with_its_contact_list() {
        let d = tempfile::tempdir().unwrap();
        let cases = d.path();
        let call = Call {
            status: CallStatus::Reached,
            note: "informed, isolating".into(),
            by: "anna".into(),
            minute: 5,
        };
        // No contact list: refused.
        assert!(set(cases, 1, "M-1", "+491", call.clone(), |_| true).is_err());
        std::fs::write(case::contacts_path(cases, 1, "M-1"), "{}").unwrap();
        // Not on the list, or a note too long: refused.
        assert!(set(cases, 1, "M-1", "+492", call.clone(), |p| p == "+491").is_err());
        let long = Call {
            note: "x".repeat(MAX_NOTE + 1),
            ..call.clone()
        };
        assert!(set(cases, 1, "M-1", "+491", long, |_| true).is_err());
        set(cases, 1, "M-1", "+491", call.clone(), |p| p == "+491").unwrap();
        assert_eq!(load(cases, 1, "M-1").unwrap().calls["+491"], call);
        // The contact list swept: the notes go too.
        std::fs::remove_file(case::contacts_path(cases, 1, "M-1")).unwrap();
        assert!(load(cases, 1, "M-1").unwrap().calls.is_empty());
        assert!(!path(cases, 1, "M-1").exists());
    }

    #[test]
    fn status_names_round_trip() {
        for s in CallStatus::ALL {
            assert_eq!(CallStatus::parse(s.name()), Some(s));
        }
        assert_eq!(CallStatus::parse("nonsense"), None);
    }
}
