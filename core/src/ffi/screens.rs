//! The whole sentences of the shells' screens that carry data (a running check-in's times, the
//! counters, a history line, a consent's authority and days, a code's id): worded from Fluent
//! (`i18n/*/captions.ftl`, ids `screen-…`) with the arguments filled in here, so no shell glues
//! fragments such as "since" and "until" together in its own word order.

use std::sync::RwLock;

use spur_protocol::time::Minute;

use super::types::{CodeWords, HistoryEntry};
use super::{OwnCode, Spur};
use crate::stay::HistoryItem;
use crate::texts::{Lang, Msg};

/// The device's offset from UTC as the facade last heard it (the core keeps its own copy for the
/// times inside its messages; this one also turns the date).
#[derive(Default)]
pub(super) struct Offset(RwLock<Option<i32>>);

impl Offset {
    /// Keeps `minutes` east of UTC, clamped as the core clamps it.
    pub(super) fn set(&self, minutes: Option<i32>) {
        if let Ok(mut o) = self.0.write() {
            *o = minutes.map(|m| m.clamp(-14 * 60, 14 * 60));
        }
    }

    fn get(&self) -> i32 {
        self.0.read().ok().and_then(|o| *o).unwrap_or(0)
    }
}

impl Spur {
    /// `YYYY-MM-DD HH:MM` of a minute in the device's time (`HH:MM UTC` when no offset was set).
    fn when_text(&self, minute: u32) -> String {
        let local = i64::from(minute) + i64::from(self.offset.get());
        let day = Minute(u32::try_from(local.max(0)).unwrap_or(minute)).day();
        format!("{} {}", day.date_text(), self.app.time_text(minute))
    }

    /// A history item for the shells: personal codes named in words, times in Unix seconds and as
    /// one line.
    pub(super) fn entry(&self, item: HistoryItem) -> HistoryEntry {
        let from = self.when_text(item.time_in);
        let times = match item.time_out {
            Some(out) => Msg::new("screen-history-times")
                .text("from", from)
                .text("until", self.app.time_text(out)),
            None => Msg::new("screen-history-times-open").text("from", from),
        };
        HistoryEntry {
            name: if item.personal {
                self.app.say(&Msg::new("personal-code"))
            } else {
                item.name
            },
            personal: item.personal,
            time_in: u64::from(item.time_in) * 60,
            time_out: item.time_out.map(|m| u64::from(m) * 60),
            times: self.app.say(&times),
        }
    }

    /// "Since 14:05; it ends at 16:05 unless you extend it." for a running check-in.
    pub(super) fn running_times(&self, time_in: u32, planned_out: u32, open: bool) -> String {
        let id = if open {
            "screen-running-open"
        } else {
            "screen-running-fixed"
        };
        self.app.say(
            &Msg::new(id)
                .text("since", self.app.time_text(time_in))
                .text("end", self.app.time_text(planned_out)),
        )
    }

    /// The counters' three lines: scans, contact hours (one decimal in the language's way),
    /// last scan.
    pub(super) fn counter_lines(
        &self,
        scans: u64,
        hours: f64,
        last_scan: Option<u32>,
    ) -> [String; 3] {
        let hours = format!("{hours:.1}");
        let hours = match self.app.lang() {
            Lang::De => hours.replace('.', ","),
            Lang::En => hours,
        };
        let last = match last_scan {
            Some(m) => Msg::new("screen-counters-last-scan").text("when", self.when_text(m)),
            None => Msg::new("screen-counters-never-scanned"),
        };
        [
            self.app
                .say(&Msg::new("screen-counters-scans").text("count", scans.to_string())),
            self.app
                .say(&Msg::new("screen-counters-hours").text("hours", hours)),
            self.app.say(&last),
        ]
    }

    /// The consent screen's lines: authority, case, days.
    pub(super) fn consent_lines(
        &self,
        authority: &str,
        case_id: &str,
        first: &str,
        last: &str,
        count: u32,
    ) -> [String; 3] {
        let days = if first == last {
            Msg::new("screen-consent-day").text("day", first)
        } else {
            Msg::new("screen-consent-days")
                .text("first", first)
                .text("last", last)
                .num("count", count)
        };
        [
            self.app
                .say(&Msg::new("screen-consent-authority").text("authority", authority)),
            self.app
                .say(&Msg::new("screen-consent-case").text("case", case_id)),
            self.app.say(&days),
        ]
    }
}

#[uniffi::export]
impl Spur {
    /// The code view's words for a code this device made: what its picture shows (for screen
    /// readers) and its id line (with "protected by PIN" when it is).
    pub fn code_words(&self, code: OwnCode) -> CodeWords {
        let what = if code.personal {
            self.app.say(&Msg::new("personal-code"))
        } else {
            code.name.clone()
        };
        let id = if code.pin_protected {
            "screen-code-id-pin"
        } else {
            "screen-code-id"
        };
        CodeWords {
            image_label: self
                .app
                .say(&Msg::new("screen-code-image").text("what", what)),
            id_line: self.app.say(&Msg::new(id).text("id", code.qr_id)),
        }
    }
}
