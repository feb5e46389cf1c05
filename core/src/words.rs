//! What the core says, in whole sentences of the chosen language: the language, the device's
//! time zone for the times in messages, and the sentences of a check-in, a check-out, a reminder,
//! a consent request and a printed card.

use std::sync::{Arc, RwLock};

use spur_protocol::qr::{Code, Payload};

use crate::consent::{day_text, ConsentRequest};
use crate::error::{Error, Result};
use crate::pdf::CardText;
use crate::stay::{CheckIn, HistoryItem, Running, REMINDER_BEFORE_MINUTES};
use crate::texts::{Lang, Msg, Texts};

/// The bundles, the language and the time zone of messages.
pub(crate) struct Words {
    texts: Arc<Texts>,
    lang: RwLock<Lang>,
    /// The device's offset from UTC in minutes, for times in messages; `None` says "UTC".
    utc_offset: RwLock<Option<i32>>,
}

impl Words {
    /// English, times in UTC.
    pub(crate) fn new(texts: Arc<Texts>) -> Self {
        Self {
            texts,
            lang: RwLock::new(Lang::En),
            utc_offset: RwLock::new(None),
        }
    }

    /// The language of messages.
    pub(crate) fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or(Lang::En)
    }

    /// Sets the language of messages.
    pub(crate) fn set_lang(&self, lang: Lang) {
        if let Ok(mut l) = self.lang.write() {
            *l = lang;
        }
    }

    /// Sets the device's offset from UTC (minutes east) for the times in messages; `None`
    /// writes times in UTC and says so.
    pub(crate) fn set_utc_offset_minutes(&self, offset: Option<i32>) {
        if let Ok(mut o) = self.utc_offset.write() {
            *o = offset.map(|m| m.clamp(-14 * 60, 14 * 60));
        }
    }

    /// A minute as the time of day to show in a message: `HH:MM` in the device's time, or
    /// `HH:MM UTC` when no offset was set.
    pub(crate) fn time_text(&self, minute: u32) -> String {
        let offset = self.utc_offset.read().ok().and_then(|o| *o);
        let hhmm = spur_protocol::time::Minute(minute).clock_text(offset.unwrap_or(0));
        match offset {
            Some(_) => hhmm,
            None => format!("{hhmm} UTC"),
        }
    }

    /// A message in the current language.
    pub(crate) fn say(&self, msg: &Msg) -> String {
        self.texts.format(self.lang(), msg)
    }

    /// The consent text to show above the credentials.
    pub(crate) fn consent_text(r: &ConsentRequest) -> Msg {
        let first = r.days.first().map(|d| day_text(*d)).unwrap_or_default();
        let last = r.days.last().map(|d| day_text(*d)).unwrap_or_default();
        Msg::new("consent-text")
            .text("authority", r.authority.clone())
            .text("case", r.case_id.clone())
            .num("days", r.days.len() as f64)
            .text("first", first)
            .text("last", last)
    }

    /// The words printed on a code's card: the place name and how to check in, or for a
    /// personal card what it is for (and that it needs the PIN).
    pub(crate) fn card_text(&self, url: &str) -> Result<CardText> {
        Ok(match Payload::parse(url)?.code {
            Code::Place(p) => CardText {
                title: p.name,
                lines: vec![self.say(&Msg::new("card-place-instructions"))],
            },
            Code::Personal(c) => {
                let mut lines = vec![self.say(&Msg::new("card-instructions"))];
                if c.pin_protected {
                    lines.push(self.say(&Msg::new("card-pin-note")));
                }
                CardText {
                    title: self.say(&Msg::new("card-title")),
                    lines,
                }
            }
            Code::Consent(_) => return Err(Error::input(Msg::new("error-not-spur"))),
        })
    }

    /// What a check-in did, in whole sentences: where and until when, whether it merged into a
    /// running stay, which check-in it ended, and whether the servers were reached or it was kept
    /// offline for later.
    pub(crate) fn check_in_words(&self, c: &CheckIn) -> String {
        let place = |m: Msg, item: &HistoryItem| {
            if item.personal {
                m
            } else {
                m.text("place", item.name.clone())
            }
        };
        let personal = c.item.personal;
        let id = match (c.merged, c.open, personal) {
            (true, _, false) => "checkin-merged-place",
            (true, _, true) => "checkin-merged-personal",
            (false, true, false) => "checkin-open-place",
            (false, true, true) => "checkin-open-personal",
            (false, false, false) => "checkin-fixed-place",
            (false, false, true) => "checkin-fixed-personal",
        };
        let main = place(Msg::new(id), &c.item)
            .text("from", self.time_text(c.item.time_in))
            .text("until", self.time_text(c.planned_out))
            .text(
                "remind",
                self.time_text(
                    c.planned_out
                        .saturating_sub(REMINDER_BEFORE_MINUTES)
                        .max(c.item.time_in),
                ),
            );
        let mut out = vec![self.say(&main)];
        if let Some(e) = &c.ended {
            let id = if e.personal {
                "checkin-ended-previous-personal"
            } else {
                "checkin-ended-previous-place"
            };
            let m = place(Msg::new(id), e).text("time", self.time_text(e.time_out.unwrap_or(0)));
            out.push(self.say(&m));
        }
        out.push(self.say(&Msg::new(if c.online {
            "checkin-online"
        } else {
            "checkin-offline"
        })));
        out.join(" ")
    }

    /// What ending a check-in did, in whole sentences: where, at what time, and whether it was
    /// sent or is kept for later.
    pub(crate) fn check_out_words(&self, c: &CheckIn) -> String {
        let (id, name) = if c.item.personal {
            ("checkout-personal", None)
        } else {
            ("checkout-place", Some(c.item.name.clone()))
        };
        let mut m = Msg::new(id).text("time", self.time_text(c.item.time_out.unwrap_or(0)));
        if let Some(n) = name {
            m = m.text("place", n);
        }
        let sent = Msg::new(if c.sent {
            "checkout-sent"
        } else {
            "checkout-kept"
        });
        format!("{} {}", self.say(&m), self.say(&sent))
    }

    /// The reminder of an open check-in, in whole sentences.
    pub(crate) fn reminder_words(&self, r: &Running) -> String {
        let mut m = Msg::new(if r.item.personal {
            "reminder-personal"
        } else {
            "reminder-place"
        })
        .text("until", self.time_text(r.planned_out));
        if !r.item.personal {
            m = m.text("place", r.item.name.clone());
        }
        self.say(&m)
    }
}
