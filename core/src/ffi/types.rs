//! The records and enums the facade exchanges with the shells, and their conversions. The core's
//! own domain types cross as they are ([`Scanned`], [`Stay`], [`OwnCode`]: uniffi derives on
//! them); the records here are views the core words for the user (sentences, translated names,
//! Unix seconds) or forms whose core shape cannot cross (a secret in wiped memory, the protocol's
//! place kind).

use spur_protocol::fields::PlaceKind;

pub use crate::codes::OwnCode;
pub use crate::stay::{Scanned, Stay};

/// How to reach and trust the service. Shells ship it with the app.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, uniffi::Record)]
pub struct SpurConfig {
    /// Directory for the app's database (created if missing).
    pub data_dir: String,
    /// Host named by the codes, e.g. `spur.example`.
    pub host: String,
    /// TAG server base URL (`https://…`; `http://` only on loopback).
    pub tag_url: String,
    /// POST server base URL.
    pub post_url: String,
    /// The operator's OP public key, 64 hex digits (pinned).
    pub op_public_key: String,
    /// The directory root key, 64 hex digits (pinned).
    pub directory_root_key: String,
    /// Language of messages (`de`, `en`, …; unknown means English).
    pub locale: String,
}

/// How the USR secret policy judges a secret (core/src/secret_policy.rs).
#[derive(serde::Serialize, Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SecretLevel {
    /// Below the minimum (2^50 guesses): refused for a new registration.
    Refused,
    /// At or above the minimum.
    Enough,
    /// At or above 2^64 guesses.
    Strong,
}

/// A secret's judgement with the words to show.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SecretStrengthInfo {
    /// The level.
    pub level: SecretLevel,
    /// Plain words for the user: the reason of a refusal, or how strong it is.
    pub words: String,
}

/// The registration form (also used to log in again on a new device).
#[derive(serde::Deserialize, Clone, uniffi::Record)]
pub struct RegistrationForm {
    /// Phone number with country code.
    pub phone: String,
    /// The USR secret: the proposed passphrase or the user's own (never a PIN).
    pub secret: String,
    /// Country (two letters).
    pub country: String,
    /// Postcode, optional.
    pub postcode: Option<String>,
    /// Campus id, optional.
    pub campus_id: Option<String>,
    /// Birth year, optional.
    pub birth_year: Option<u16>,
}

/// What a check-in did.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CheckInResult {
    /// The check-in's local id (for `end_check_in` and `extend_check_in`).
    pub id: i64,
    /// The check-in as the history shows it.
    pub entry: HistoryEntry,
    /// True for an open check-in (ends by check-out, with a reminder).
    pub open: bool,
    /// Planned end, Unix seconds.
    pub planned_out: u64,
    /// True when the same code was scanned again during its stay: no second stay was started.
    pub merged: bool,
    /// True when the servers were reached; false when it was kept offline for later.
    pub online: bool,
    /// The open check-in this one ended, if any.
    pub ended: Option<HistoryEntry>,
    /// What to tell the user, in whole sentences (where, until when, what it ended, online or
    /// kept offline).
    pub message: String,
    /// "PIN not checked yet …" when this check-in at a PIN card waits for its PIN to be checked
    /// online; `None` otherwise.
    pub pin_not_checked: Option<String>,
}

/// What ending a check-in did.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CheckOutResult {
    /// The ended check-in, with its real end.
    pub entry: HistoryEntry,
    /// True when its records reached the server.
    pub sent: bool,
    /// What to tell the user, in whole sentences.
    pub message: String,
}

/// A check-in that is still going on: show it with its end, check-out / "end early" and, when
/// due, the reminder.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct RunningCheckIn {
    /// Local id.
    pub id: i64,
    /// The check-in (`time_out` is `None`).
    pub entry: HistoryEntry,
    /// True for an open check-in; false for a fixed stay not over yet.
    pub open: bool,
    /// Planned end, Unix seconds: it ends there unless extended or ended before.
    pub planned_out: u64,
    /// When to show the reminder (open check-ins), Unix seconds.
    pub reminder_at: Option<u64>,
    /// True when the reminder is due now.
    pub reminder_due: bool,
    /// The reminder's words (empty for a fixed stay).
    pub reminder: String,
    /// Its times in one sentence: "Since 14:05; it ends at 16:05 unless you extend it."
    pub times: String,
}

/// A stay choice with its label.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct StayOption {
    /// The choice.
    pub stay: Stay,
    /// What to show.
    pub label: String,
}

/// One check-in as shown in the history.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    /// Place name; for a personal code the translated words "Personal code".
    pub name: String,
    /// True for a personal code.
    pub personal: bool,
    /// Check-in, Unix seconds.
    pub time_in: u64,
    /// Check-out, Unix seconds; `None` while open.
    pub time_out: Option<u64>,
    /// Its times as one line: "2026-12-07 14:05 – 15:05" or "… – still open".
    pub times: String,
}

/// The counters kept even with history off.
#[derive(serde::Serialize, Clone, Debug, PartialEq, uniffi::Record)]
pub struct Counters {
    /// Number of scans.
    pub scans: u64,
    /// Hours of finished stays.
    pub contact_hours: f64,
    /// Last scan, Unix seconds.
    pub last_scan: Option<u64>,
    /// "Scans: 3"
    pub scans_line: String,
    /// "Contact hours: 1.5" (one decimal, in the language's way)
    pub hours_line: String,
    /// "Last scan: 2026-12-07 14:05" or "Last scan: never"
    pub last_scan_line: String,
}

/// What is waiting or was sent.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SyncStatus {
    /// Uploads accepted in this run.
    pub sent: u32,
    /// Check-ins still open or waiting for keys.
    pub waiting: u32,
    /// Uploads waiting in the outbox.
    pub pending: u32,
    /// Uploads the server refused for good.
    pub refused: u32,
    /// Check-ins dropped because their keys could not be had in time.
    pub lost: u32,
    /// A sentence about what is left, empty when nothing is.
    pub message: String,
    /// The same sentences one by one (`message` joins them with spaces).
    pub sentences: Vec<String>,
}

/// Kinds of place.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum PlaceType {
    /// Restaurants, cafés, bars.
    Gastronomy,
    /// Shops.
    Retail,
    /// Companies and offices.
    Company,
    /// Schools, universities.
    Education,
    /// Events.
    Event,
    /// Anything else.
    Other,
}

/// A place type with its label.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct PlaceTypeOption {
    /// The type.
    pub kind: PlaceType,
    /// What to show.
    pub label: String,
}

/// The form for a place code.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, uniffi::Record)]
pub struct PlaceForm {
    /// Phone number of the person responsible.
    pub responsible_phone: String,
    /// Country (two letters).
    pub country: String,
    /// Postcode.
    pub postcode: String,
    /// Name shown when scanning.
    pub name: String,
    /// Type of place.
    pub kind: PlaceType,
    /// Address, building part or room (optional, may be empty).
    pub description: String,
}

/// What a consent code asks for, after verification.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ConsentInfo {
    /// The authority's name from the pinned directory.
    pub authority: String,
    /// The case id.
    pub case_id: String,
    /// First day asked for, `YYYY-MM-DD`.
    pub first_day: String,
    /// Last day asked for, `YYYY-MM-DD`.
    pub last_day: String,
    /// Number of days.
    pub day_count: u32,
    /// The consent text to show above the credentials.
    pub text: String,
    /// "Health authority: …"
    pub authority_line: String,
    /// "Case: …"
    pub case_line: String,
    /// "Days: 2026-12-01 – 2026-12-04 (4)"
    pub days_line: String,
}

/// The code view's words for a code this device made.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CodeWords {
    /// What the code's picture shows, for screen readers: "QR code of Café Zur Post".
    pub image_label: String,
    /// "Code id: 0a1b… · protected by PIN"
    pub id_line: String,
}

/// Print layout of a code.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardLayout {
    /// One A6 card.
    A6,
    /// An A4 sheet of four A6 cards to cut.
    A4Sheet,
}

/// What "delete all data" did.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DeleteResult {
    /// True when the server confirmed dropping the registration (or there was none).
    pub server_confirmed: bool,
    /// What to tell the user.
    pub message: String,
}

impl RegistrationForm {
    /// The core's form; the secret moves into memory that is wiped when dropped.
    pub(crate) fn into_core(self) -> crate::register::RegistrationForm {
        crate::register::RegistrationForm {
            phone: self.phone,
            secret: zeroize::Zeroizing::new(self.secret),
            country: self.country,
            postcode: self.postcode,
            campus_id: self.campus_id,
            birth_year: self.birth_year,
        }
    }
}

impl From<PlaceKind> for PlaceType {
    fn from(kind: PlaceKind) -> Self {
        Self::from_kind(kind)
    }
}

impl PlaceType {
    pub(crate) fn kind(self) -> PlaceKind {
        match self {
            Self::Gastronomy => PlaceKind::Gastronomy,
            Self::Retail => PlaceKind::Retail,
            Self::Company => PlaceKind::Company,
            Self::Education => PlaceKind::Education,
            Self::Event => PlaceKind::Event,
            Self::Other => PlaceKind::Other,
        }
    }

    pub(crate) fn from_kind(kind: PlaceKind) -> Self {
        match kind {
            PlaceKind::Gastronomy => Self::Gastronomy,
            PlaceKind::Retail => Self::Retail,
            PlaceKind::Company => Self::Company,
            PlaceKind::Education => Self::Education,
            PlaceKind::Event => Self::Event,
            PlaceKind::Other => Self::Other,
        }
    }
}

/// What a camera frame or picture showed.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ScannedImage {
    /// A spur code's text: pass it to `scan`.
    Spur {
        /// The text.
        text: String,
    },
    /// A QR code that is not a spur code.
    OtherCode {
        /// What to tell the user, in their language.
        message: String,
    },
    /// No readable QR code.
    Nothing,
}
