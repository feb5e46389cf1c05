//! What a check-in is and the time rules of a stay: how long the user says they stay, the
//! planned end, the slots a stay needs keys for, and the records a check-in keeps and shows.
//! Types and pure rules only; the flow that keeps check-ins is `checkin.rs`.
//!
//! Time rules (docs/app-core.md, "Time rules"):
//! - every stay has a planned end: a fixed stay its chosen length, an open check-in the end the
//!   user chose or confirmed ([`OPEN_DEFAULT_MINUTES`] is what the shells propose), with a
//!   reminder [`REMINDER_BEFORE_MINUTES`] before it; it can be extended up to
//!   [`MAX_OPEN_MINUTES`] after the check-in, and ends at its planned end otherwise;
//! - any stay can be ended early; its records are built only then (or when it is over), with the
//!   real end, so no upload claims presence after the person left;
//! - a new check-in ends the open one, and says so ([`CheckIn::ended`]);
//! - the same code scanned again during its stay merges into that stay ([`CheckIn::merged`])
//!   instead of starting another one.

use spur_protocol::time::{Minute, Slot};

use crate::error::{Error, Result};
use crate::store::outbox;
use crate::texts::Msg;

/// Minutes a "short contact" counts as.
pub const SHORT_CONTACT_MINUTES: u32 = 5;
/// Longest fixed stay.
pub const MAX_FIXED_MINUTES: u32 = 240;
/// Longest any check-in can last (an open one, or a stay extended); the TAG server gives TMP keys
/// for at most this far ahead.
pub const MAX_OPEN_MINUTES: u32 = 1440;
/// The planned end the shells propose for an open check-in: two hours, never a silent 24.
pub const OPEN_DEFAULT_MINUTES: u32 = 120;
/// How long before an open check-in's planned end the reminder is due.
pub const REMINDER_BEFORE_MINUTES: u32 = 15;
/// How long a check-in waits for its TMP keys before it is kept without them (and completed by a
/// later sync): a slow network must not leave a scan unkept for long, since until the keep
/// commits, a kill of the app would drop the scan the user just made.
pub const KEYS_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long the user says they stay.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Stay {
    /// A short contact (passing by, a quick purchase): [`SHORT_CONTACT_MINUTES`].
    Short,
    /// A fixed stay: 15 to 240 minutes in steps of 15.
    Minutes(u32),
    /// Open until check-out, planned to end after [`OPEN_DEFAULT_MINUTES`] (with a reminder).
    Open,
    /// Open until check-out, planned to end after this many minutes (15 to 1440, steps of 15),
    /// as the user chose or confirmed.
    OpenFor(u32),
}

impl Stay {
    /// The choices the shells offer, in order.
    pub fn choices() -> Vec<Stay> {
        let mut v = vec![Stay::Short];
        v.extend([15, 30, 45, 60, 90, 120, 180, 240].map(Stay::Minutes));
        v.push(Stay::Open);
        v
    }

    /// The label to show.
    pub fn label(self) -> Msg {
        match self {
            Stay::Short => Msg::new("stay-short"),
            Stay::Minutes(m) if m % 60 == 0 => Msg::new("stay-hours").num("hours", m / 60),
            Stay::Minutes(m) => Msg::new("stay-minutes").num("minutes", m),
            Stay::Open => Stay::OpenFor(OPEN_DEFAULT_MINUTES).label(),
            Stay::OpenFor(m) if m % 60 == 0 => Msg::new("stay-open").num("hours", m / 60),
            Stay::OpenFor(m) => Msg::new("stay-open-minutes").num("minutes", m),
        }
    }

    /// Planned minutes, and whether the stay is open (ends by check-out, with a reminder).
    pub fn planned(self) -> Result<(u32, bool)> {
        let steps = |m: u32, max: u32| (15..=max).contains(&m) && m.is_multiple_of(15);
        match self {
            Stay::Short => Ok((SHORT_CONTACT_MINUTES, false)),
            Stay::Minutes(m) if steps(m, MAX_FIXED_MINUTES) => Ok((m, false)),
            Stay::Open => Ok((OPEN_DEFAULT_MINUTES, true)),
            Stay::OpenFor(m) if steps(m, MAX_OPEN_MINUTES) => Ok((m, true)),
            Stay::Minutes(_) | Stay::OpenFor(_) => Err(Error::input(Msg::new("stay-invalid"))),
        }
    }
}

/// What a check-in keeps sealed until its records are built: the code's keys and TMP keys.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub(crate) struct VisitSecret {
    pub kind: u8,
    pub qr_id: String,
    pub tag: String,
    pub region: Option<String>,
    pub name: String,
    /// Fetched TMP keys: (slot, hex).
    pub tmp: Vec<(u32, String)>,
    /// A PIN card scanned while its PIN could not be checked online: `sync` checks it before
    /// anything is built, and drops the check-in on a wrong PIN.
    #[serde(default)]
    pub pin_pending: bool,
}

/// A check-in as shown to the user, with what keeping it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckIn {
    /// Local id.
    pub id: i64,
    /// What was scanned. For a fixed stay still running, `time_out` is its planned end.
    pub item: HistoryItem,
    /// True for an open check-in (ends by check-out, with a reminder).
    pub open: bool,
    /// The planned end minute (exclusive) while the stay goes on; its real end once ended.
    pub planned_out: u32,
    /// The open check-in this one ended, with its end.
    pub ended: Option<HistoryItem>,
    /// True when the same code was scanned again during its stay: no new stay was started, the
    /// stay now lasts until `planned_out`.
    pub merged: bool,
    /// True when the TMP keys were fetched at once (the servers were reached); false when the
    /// check-in was kept offline and is completed by a later sync.
    pub online: bool,
    /// True when its records reached the server (after a check-out or end).
    pub sent: bool,
}

/// A check-in that is still going on (open, or a fixed stay not over yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Running {
    /// Local id.
    pub id: i64,
    /// What was scanned (`time_out` is `None`).
    pub item: HistoryItem,
    /// True for an open check-in.
    pub open: bool,
    /// Planned end minute (exclusive): it ends there unless extended or ended before.
    pub planned_out: u32,
    /// When the shells show the reminder (open check-ins only): [`REMINDER_BEFORE_MINUTES`]
    /// before the planned end.
    pub reminder_at: Option<u32>,
}

/// What a scanned text is, before anything is kept.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Scanned {
    /// A place: name and region to show.
    Place {
        /// Name.
        name: String,
        /// Country.
        country: String,
        /// Postcode.
        postcode: String,
    },
    /// A person's code.
    Personal {
        /// True when its owner's PIN is needed.
        pin_protected: bool,
    },
    /// A consent code (see `consent.rs`).
    Consent,
}

/// What the history shows of one check-in (sealed in the `history` table).
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct HistoryItem {
    /// Place name, or empty for a personal code.
    pub name: String,
    /// True for a personal code.
    pub personal: bool,
    /// Check-in minute.
    pub time_in: u32,
    /// Check-out minute; `None` while open.
    pub time_out: Option<u32>,
}

/// The slots a stay from `time_in` until `end` needs keys for.
pub(crate) fn stay_slots(time_in: u32, end: Option<u32>) -> Vec<Slot> {
    let end = end.unwrap_or(time_in);
    Slot::covering(Minute(time_in), Minute(end)).collect()
}

/// True while a check-in goes on (open, or a fixed stay not over).
pub(crate) fn is_running(r: &outbox::VisitRow) -> bool {
    r.state == outbox::state::OPEN || r.state == outbox::state::RUNNING
}

/// Where a check-in still going on ends unless extended or ended before: its planned end, or for
/// a row from before schema version 4, 24 hours after it began.
pub(crate) fn planned_end(r: &outbox::VisitRow) -> u32 {
    r.planned_out
        .unwrap_or_else(|| r.time_in.saturating_add(MAX_OPEN_MINUTES))
}
