//! The captions of the shells' screens (buttons, headings, field labels) and the privacy
//! explanation, as one typed record per language: the shells hold no words of their own, and a
//! caption missing from either language fails a test here instead of showing up in the UI.
//! Captions are whole on their own; words around data are whole sentences from `screens.rs`.

use super::Spur;
use crate::texts::{Lang, Texts};

/// Declares the [`Captions`] record (one field per caption, each named by its Fluent id in
/// `i18n/*/captions.ftl`) and the list of those ids.
macro_rules! captions {
    ($($(#[doc = $doc:literal])* $field:ident = $id:literal,)*) => {
        /// Every caption of the shells' screens in one language. Fetch it again after
        /// `setLocale`.
        #[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
        pub struct Captions {
            /// The language of these captions (`en` or `de`).
            pub language_tag: String,
            $($(#[doc = $doc])* pub $field: String,)*
        }

        /// The Fluent id of every caption, in field order.
        #[cfg(test)]
        pub(crate) const CAPTION_IDS: &[&str] = &[$($id),*];

        impl Captions {
            /// The captions in `lang`.
            pub(crate) fn new(texts: &Texts, lang: Lang) -> Self {
                Self {
                    language_tag: lang.tag().to_owned(),
                    $($field: texts.get(lang, $id),)*
                }
            }
        }
    };
}

captions! {
    /// "spur"
    app_name = "caption-app-name",
    /// "Welcome to spur"
    register_title = "caption-register-title",
    /// "What happens with your data"
    privacy_heading = "caption-privacy-heading",
    /// The privacy explanation shown before registration: what happens with the phone number.
    privacy_text = "caption-privacy-text",
    /// "Phone number (with +country code)"
    phone = "caption-phone",
    /// "Secret passphrase" (the USR secret; never a PIN)
    secret = "caption-secret",
    /// Under the proposed passphrase: write it down, what it is needed for, an own one may do.
    secret_hint = "caption-secret-hint",
    /// "Propose another"
    secret_propose = "caption-secret-propose",
    /// "Country (two letters)"
    country = "caption-country",
    /// "Postcode (optional)"
    postcode = "caption-postcode",
    /// "Campus id (optional)"
    campus_id = "caption-campus-id",
    /// "Birth year (optional)"
    birth_year = "caption-birth-year",
    /// "Register"
    register = "caption-register",
    /// "Registered on this device; it will be sent when the network is back."
    registered_offline = "caption-registered-offline",
    /// "spur"
    home_title = "caption-home-title",
    /// "You are checked in"
    open_check_in = "caption-open-check-in",
    /// "Check out"
    check_out = "caption-check-out",
    /// "Checked out"
    checked_out = "caption-checked-out",
    /// "End now" (a fixed stay left early)
    end_early = "caption-end-early",
    /// "Stay one hour longer"
    stay_longer = "caption-stay-longer",
    /// "Still there?" (the reminder's heading)
    reminder_heading = "caption-reminder-heading",
    /// "You are not checked in anywhere."
    no_open_check_in = "caption-no-open-check-in",
    /// "Scan a code"
    scan_code = "caption-scan-code",
    /// "My personal code"
    my_personal_code = "caption-my-personal-code",
    /// "Create a place code"
    create_place_code = "caption-create-place-code",
    /// "History"
    history = "caption-history",
    /// "Consent for the health authority"
    consent = "caption-consent",
    /// "Settings"
    settings = "caption-settings",
    /// "Scan a code"
    scan_title = "caption-scan-title",
    /// "Hold the QR code in front of the camera."
    scan_hint = "caption-scan-hint",
    /// "Turn torch on"
    torch_on = "caption-torch-on",
    /// "Turn torch off"
    torch_off = "caption-torch-off",
    /// "Pick a picture"
    pick_picture = "caption-pick-picture",
    /// "Camera picture"
    camera_preview = "caption-camera-preview",
    /// "This device has no camera. Pick a picture instead."
    no_camera = "caption-no-camera",
    /// "spur needs the camera to read QR codes."
    camera_permission = "caption-camera-permission",
    /// "No QR code found in this picture."
    no_code_in_picture = "caption-no-code-in-picture",
    /// "How long do you stay?"
    stay_title = "caption-stay-title",
    /// "A person's code"
    personal_code_scanned = "caption-personal-code-scanned",
    /// "The owner's PIN"
    owners_pin = "caption-owners-pin",
    /// "Check in"
    check_in = "caption-check-in",
    /// "My personal code"
    personal_title = "caption-personal-title",
    /// "PIN for the code (optional, 4 to 12 digits)"
    optional_pin = "caption-optional-pin",
    /// "For printing (a card for people without a smartphone)"
    for_printing = "caption-for-printing",
    /// "Make the code"
    make_code = "caption-make-code",
    /// "Print a card (A6)"
    print_card = "caption-print-card",
    /// "Print a sheet of four cards (A4)"
    print_sheet = "caption-print-sheet",
    /// "Codes made on this device"
    own_codes = "caption-own-codes",
    /// "Create a place code"
    place_title = "caption-place-title",
    /// "Phone number of the person responsible"
    responsible_phone = "caption-responsible-phone",
    /// "Postcode"
    place_postcode = "caption-place-postcode",
    /// "Name of the place"
    place_name = "caption-place-name",
    /// "Type of place"
    place_type = "caption-place-type",
    /// "Address or room (optional)"
    place_description = "caption-place-description",
    /// "History (28 days)"
    history_title = "caption-history-title",
    /// "No check-ins."
    history_empty = "caption-history-empty",
    /// "History is turned off; only the counters are kept."
    history_off_note = "caption-history-off-note",
    /// "Consent"
    consent_title = "caption-consent-title",
    /// "Release my check-ins"
    release = "caption-release",
    /// "Scan the consent code the health authority gave you."
    scan_consent_hint = "caption-scan-consent-hint",
    /// "Settings"
    settings_title = "caption-settings-title",
    /// "App PIN (4 to 12 digits)"
    app_pin = "caption-app-pin",
    /// "Set app PIN"
    set_pin = "caption-set-pin",
    /// "Remove app PIN"
    remove_pin = "caption-remove-pin",
    /// "Saved."
    pin_saved = "caption-pin-saved",
    /// "Keep a history of my check-ins"
    keep_history = "caption-keep-history",
    /// "Language"
    language = "caption-language",
    /// "English" — each language is named in its own words, the same in both files.
    language_english = "caption-language-english",
    /// "Deutsch"
    language_german = "caption-language-german",
    /// "Delete all data"
    delete_all = "caption-delete-all",
    /// "Yes, delete everything"
    delete_confirm = "caption-delete-confirm",
    /// "This deletes everything on this device and asks the server to drop your registration. It cannot be undone."
    delete_question = "caption-delete-question",
    /// "spur is locked"
    lock_title = "caption-lock-title",
    /// "Unlock"
    unlock = "caption-unlock",
    /// "Wrong PIN."
    wrong_pin = "caption-wrong-pin",
    /// "Back"
    back = "caption-back",
}

#[uniffi::export]
impl Spur {
    /// The captions of every screen in the language set by `setLocale`.
    pub fn captions(&self) -> Captions {
        Captions::new(&self.app.texts, self.app.lang())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_caption_exists_in_both_languages() {
        let texts = Texts::new();
        let missing: Vec<String> = CAPTION_IDS
            .iter()
            .flat_map(|id| [Lang::En, Lang::De].map(|l| (l, *id)))
            .filter(|(l, id)| !texts.has(*l, id))
            .map(|(l, id)| format!("{}: {id}", l.tag()))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        // Only whole captions: the fragments shells once glued together ("since", "until",
        // "ends at", "Code id") became the `screen-…` sentences (screens.rs).
        assert!(CAPTION_IDS.len() > 60, "{}", CAPTION_IDS.len());
        for fragment in [
            "caption-checked-in-since",
            "caption-until",
            "caption-ends-at",
        ] {
            assert!(!CAPTION_IDS.contains(&fragment), "{fragment}");
        }
    }

    #[test]
    fn captions_are_worded_not_ids_and_differ_by_language() {
        let texts = Texts::new();
        let en = Captions::new(&texts, Lang::En);
        let de = Captions::new(&texts, Lang::De);
        assert_eq!(
            (en.language_tag.as_str(), de.language_tag.as_str()),
            ("en", "de")
        );
        assert_eq!(en.register, "Register");
        assert_eq!(de.register, "Registrieren");
        assert!(de.privacy_text.contains("Gesundheitsamt"));
        assert!(en.privacy_text.contains("health authority"));
        // No caption fell back to its id (the debug print lists every field's value).
        let shown = format!("{en:?}{de:?}");
        for id in CAPTION_IDS {
            assert!(!shown.contains(&format!("\"{id}\"")), "{id} not worded");
        }
    }
}
