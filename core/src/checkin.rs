//! Checking in and out: read a scanned code, choose how long, keep the check-in (and its history
//! row and counters) in one transaction, then let `sync.rs` fetch TMP keys and upload.
//!
//! A new check-in ends the open one. Open check-ins end by check-out or after 24 hours.

use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::time::Minute;
use zeroize::Zeroizing;

use crate::app::App;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::store::{history, outbox};
use crate::texts::Msg;
use crate::transport::Transport;

/// Minutes a "short contact" counts as.
pub const SHORT_CONTACT_MINUTES: u32 = 5;
/// Longest fixed stay.
pub const MAX_FIXED_MINUTES: u32 = 240;
/// Longest open check-in; it ends by itself after this.
pub const MAX_OPEN_MINUTES: u32 = 1440;

/// How long the user says they stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stay {
    /// A short contact (passing by, a quick purchase): [`SHORT_CONTACT_MINUTES`].
    Short,
    /// A fixed stay: 15 to 240 minutes in steps of 15.
    Minutes(u32),
    /// Open until check-out, at most 24 hours.
    Open,
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
            Stay::Open => Msg::new("stay-open"),
        }
    }

    fn fixed_minutes(self) -> Result<Option<u32>> {
        match self {
            Stay::Short => Ok(Some(SHORT_CONTACT_MINUTES)),
            Stay::Minutes(m) if (15..=MAX_FIXED_MINUTES).contains(&m) && m % 15 == 0 => Ok(Some(m)),
            Stay::Minutes(_) => Err(Error::input(Msg::new("stay-invalid"))),
            Stay::Open => Ok(None),
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

/// A check-in as shown to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckIn {
    /// Local id.
    pub id: i64,
    /// What was scanned.
    pub item: HistoryItem,
}

/// What a scanned text is, before anything is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
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

impl<T: Transport> App<T> {
    /// Parses a scanned text and checks it belongs to this service.
    pub(crate) fn parse_code(&self, text: &str) -> Result<Code> {
        let p = Payload::parse(text.trim())?;
        if p.host != self.config.host {
            return Err(Error::new(
                ErrorKind::NotASpurCode,
                Msg::new("error-other-service").text("host", p.host),
            ));
        }
        Ok(p.code)
    }

    /// What a scanned text is (shown before the user chooses a duration).
    pub fn preview(&self, text: &str) -> Result<Scanned> {
        Ok(match self.parse_code(text)? {
            Code::Place(p) => Scanned::Place {
                name: p.name,
                country: p.region.country.as_str().to_owned(),
                postcode: p
                    .region
                    .postcode
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default(),
            },
            Code::Personal(c) => Scanned::Personal {
                pin_protected: c.pin_protected,
            },
            Code::Consent(_) => Scanned::Consent,
        })
    }

    /// Checks in at the scanned code for `stay`. Kept locally at once (offline too); keys are
    /// fetched and records uploaded by [`App::sync`], which this calls.
    pub async fn check_in(&self, text: &str, stay: Stay, pin: Option<String>) -> Result<CheckIn> {
        let secret = self.prepare_check_in(text, pin).await?;
        let item = self.keep_check_in(secret, stay)?;
        let _ = self.sync().await;
        Ok(item)
    }

    /// Reads the code into what a check-in keeps (derives a PIN card's TAG key).
    pub(crate) async fn prepare_check_in(
        &self,
        text: &str,
        pin: Option<String>,
    ) -> Result<VisitSecret> {
        self.ensure_unlocked()?;
        if self.store()?.account()?.is_none() {
            return Err(Error::new(
                ErrorKind::NotRegistered,
                Msg::new("error-not-registered"),
            ));
        }
        let hex = |b: &[u8]| data_encoding::HEXLOWER.encode(b);
        Ok(match self.parse_code(text)? {
            Code::Place(p) => VisitSecret {
                kind: CodeKind::Place as u8,
                qr_id: p.id.to_hex(),
                tag: hex(p.tag.expose()),
                region: Some(hex(&p.region.encode())),
                name: p.name,
                tmp: Vec::new(),
            },
            Code::Personal(c) => {
                let cost = self.config.kdf.cost();
                let pin = pin.map(Zeroizing::new);
                let id = c.id;
                let tag = tokio::task::spawn_blocking(move || {
                    c.tag(pin.as_ref().map(|p| p.as_str()), cost)
                })
                .await
                .map_err(|_| Error::internal("PIN"))??;
                VisitSecret {
                    kind: CodeKind::Personal as u8,
                    qr_id: id.to_hex(),
                    tag: hex(tag.expose()),
                    region: None,
                    name: String::new(),
                    tmp: Vec::new(),
                }
            }
            Code::Consent(_) => return Err(Error::input(Msg::new("error-consent-not-check-in"))),
        })
    }

    /// Keeps a check-in: ends the open one, numbers it, writes history and counters. One transaction.
    pub(crate) fn keep_check_in(&self, secret: VisitSecret, stay: Stay) -> Result<CheckIn> {
        let fixed = stay.fixed_minutes()?;
        let now = self.clock.minute();
        let history_on = self.history_enabled()?;
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        if let Some(open) = outbox::open_visit(&tx)? {
            self.end_in(&tx, &open, now)?;
        }
        let find_index = outbox::visits_starting(&tx, now.0)?;
        if find_index >= spur_protocol::usr::FIND_TAGS_PER_MINUTE {
            return Err(Error::input(Msg::new("error-too-many-check-ins")));
        }
        let time_out = fixed.map(|m| now.0 + m);
        let item = HistoryItem {
            name: secret.name.clone(),
            personal: secret.kind == CodeKind::Personal as u8,
            time_in: now.0,
            time_out,
        };
        let history_id = if history_on {
            Some(history::insert(
                &tx,
                now.day().0,
                &self.key.seal_json(Column::History, &item)?,
            )?)
        } else {
            None
        };
        let row = outbox::VisitRow {
            id: 0,
            state: if fixed.is_some() {
                outbox::state::ENDED
            } else {
                outbox::state::OPEN
            },
            time_in: now.0,
            time_out,
            find_index,
            history_id,
            sealed: self.key.seal_json(Column::Visit, &secret)?,
            attempts: 0,
            next_try: 0,
        };
        let id = outbox::insert_visit(&tx, &row)?;
        history::count_scan(&tx, now.0)?;
        if let Some(m) = fixed {
            history::count_minutes(&tx, m)?;
        }
        tx.commit()?;
        Ok(CheckIn { id, item })
    }

    /// Ends an open check-in at `at` (at least one minute after it began): its state, the
    /// counters and its history row.
    pub(crate) fn end_in(
        &self,
        c: &rusqlite::Connection,
        open: &outbox::VisitRow,
        at: Minute,
    ) -> Result<HistoryItem> {
        let end =
            at.0.clamp(open.time_in + 1, open.time_in + MAX_OPEN_MINUTES);
        outbox::end_visit(c, open.id, end)?;
        history::count_minutes(c, end - open.time_in)?;
        let secret: VisitSecret = self.key.open_json(Column::Visit, &open.sealed)?;
        let item = HistoryItem {
            name: secret.name,
            personal: secret.kind == CodeKind::Personal as u8,
            time_in: open.time_in,
            time_out: Some(end),
        };
        if let Some(h) = open.history_id {
            history::update(c, h, &self.key.seal_json(Column::History, &item)?)?;
        }
        Ok(item)
    }

    /// Ends the open check-in now; `None` if there is none.
    pub async fn check_out(&self) -> Result<Option<CheckIn>> {
        self.ensure_unlocked()?;
        let ended = {
            let mut store = self.store()?;
            let tx = store.conn.transaction()?;
            let Some(open) = outbox::open_visit(&tx)? else {
                return Ok(None);
            };
            let item = self.end_in(&tx, &open, self.clock.minute())?;
            tx.commit()?;
            CheckIn { id: open.id, item }
        };
        let _ = self.sync().await;
        Ok(Some(ended))
    }

    /// The open check-in, if any.
    pub fn open_check_in(&self) -> Result<Option<CheckIn>> {
        self.ensure_unlocked()?;
        let store = self.store()?;
        let Some(open) = outbox::open_visit(&store.conn)? else {
            return Ok(None);
        };
        let secret: VisitSecret = self.key.open_json(Column::Visit, &open.sealed)?;
        Ok(Some(CheckIn {
            id: open.id,
            item: HistoryItem {
                name: secret.name,
                personal: secret.kind == CodeKind::Personal as u8,
                time_in: open.time_in,
                time_out: None,
            },
        }))
    }
}
