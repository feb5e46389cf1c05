//! Checking in and out: read a scanned code, choose how long, fetch the TMP keys, and keep the
//! check-in (with its history row, counters and, for a fixed stay, the built visit queued in the
//! outbox) in one transaction; `sync.rs` sends it, and completes what was kept offline.
//!
//! A new check-in ends the open one. Open check-ins end by check-out or after 24 hours.

use spur_protocol::directory::Directory;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::tag::{QrId, TmpKey};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::UsrKey;
use zeroize::Zeroizing;

use crate::app::App;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::store::records::AccountRow;
use crate::store::{history, outbox};
use crate::sync::{hex_to, stay_slots, ROUTE_VISITS};
use crate::texts::Msg;
use crate::transport::Transport;

/// Minutes a "short contact" counts as.
pub const SHORT_CONTACT_MINUTES: u32 = 5;
/// Longest fixed stay.
pub const MAX_FIXED_MINUTES: u32 = 240;
/// Longest open check-in; it ends by itself after this.
pub const MAX_OPEN_MINUTES: u32 = 1440;
/// How long a check-in waits for its TMP keys before it is kept without them (and completed by a
/// later sync): a slow network must not leave a scan unkept for long, since until the keep
/// commits, a kill of the app would drop the scan the user just made.
pub const KEYS_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What building a visit needs besides the check-in: fetched before the keep's transaction, so
/// the build inside it takes no lock and awaits nothing.
pub(crate) struct Builder {
    pub dir: Directory,
    pub account: AccountRow,
    pub usr: UsrKey,
}

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
    /// A PIN card scanned while its PIN could not be checked online: `sync` checks it before
    /// anything is built, and drops the check-in on a wrong PIN.
    #[serde(default)]
    pub pin_pending: bool,
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

    /// Checks in at the scanned code for `stay` ([`App::accept_check_in`]), then sends what is
    /// due ([`App::sync`]; offline is not an error: the check-in stays kept).
    pub async fn check_in(&self, text: &str, stay: Stay, pin: Option<String>) -> Result<CheckIn> {
        let item = self.accept_check_in(text, stay, pin).await?;
        let _ = self.sync().await;
        Ok(item)
    }

    /// Accepts a check-in and stores it, without sending. With the network there, the TMP keys
    /// are fetched first, so one transaction keeps the check-in, its history row and counters and,
    /// for a fixed stay, queues the built visit's exact bytes in the outbox (an open check-in
    /// keeps its keys for a later check-out). Offline, or when the keys do not come within
    /// [`KEYS_WAIT`], the scan is kept alone and [`App::sync`] completes it within the TAG
    /// server's window. A kill before the commit leaves nothing (the check-in was not accepted
    /// yet and nothing was sent); after it, everything needed to send exactly these bytes is stored.
    pub async fn accept_check_in(
        &self,
        text: &str,
        stay: Stay,
        pin: Option<String>,
    ) -> Result<CheckIn> {
        let mut secret = self.prepare_check_in(text, pin).await?;
        let fixed = stay.fixed_minutes()?;
        let now = self.clock.minute();
        let slots = stay_slots(now.0, fixed.map(|m| now.0 + m));
        let mut builder = None;
        if let Some(keys) = self.keys_before_keep(&secret, slots).await? {
            let hex = |k: &TmpKey| data_encoding::HEXLOWER.encode(k.expose());
            secret.tmp = keys.iter().map(|(s, k)| (s.0, hex(k))).collect();
            if fixed.is_some() && !secret.pin_pending {
                // The directory is cached (memory, then store); without it the visit is built
                // later by sync, as for an offline scan.
                if let Ok(dir) = self.directory().await {
                    let (account, usr, _) = self.account_secret()?;
                    builder = Some(Builder { dir, account, usr });
                }
            }
        }
        self.keep_check_in(secret, stay, now, builder.as_ref())
    }

    /// The TMP keys of `slots`, or `None` when they cannot be had now (offline, too slow, or
    /// refused: `sync` retries and decides).
    async fn keys_before_keep(
        &self,
        secret: &VisitSecret,
        slots: Vec<Slot>,
    ) -> Result<Option<Vec<(Slot, TmpKey)>>> {
        let id = QrId(hex_to::<16>(&secret.qr_id)?);
        let asked = slots.len();
        Ok(
            match tokio::time::timeout(KEYS_WAIT, self.net.tmp_keys(id, slots)).await {
                Ok(Ok(keys)) if keys.len() == asked => Some(keys),
                Ok(Err(e)) if crate::sync::never_issued(&e) => return Err(Error::code_not_issued()),
                _ => None,
            },
        )
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
                pin_pending: false,
            },
            Code::Personal(c) => {
                let cost = self.config.kdf.cost();
                let pin = pin.map(Zeroizing::new);
                let (id, pin_card) = (c.id, c.pin_protected);
                let tag = tokio::task::spawn_blocking(move || {
                    c.tag(pin.as_ref().map(|p| p.as_str()), cost)
                })
                .await
                .map_err(|_| Error::internal("PIN"))??;
                let pin_pending = pin_card && !self.confirm_pin(&id, &tag).await?;
                VisitSecret {
                    kind: CodeKind::Personal as u8,
                    qr_id: id.to_hex(),
                    tag: hex(tag.expose()),
                    region: None,
                    name: String::new(),
                    tmp: Vec::new(),
                    pin_pending,
                }
            }
            Code::Consent(_) => return Err(Error::input(Msg::new("error-consent-not-check-in"))),
        })
    }

    /// Keeps a check-in made at `now`: ends the open one, numbers it, writes history and
    /// counters, and with a `builder` (keys in `secret`, fixed stay) builds the visit and queues
    /// its bytes. One transaction.
    pub(crate) fn keep_check_in(
        &self,
        secret: VisitSecret,
        stay: Stay,
        now: Minute,
        builder: Option<&Builder>,
    ) -> Result<CheckIn> {
        let fixed = stay.fixed_minutes()?;
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
        let builder = builder.filter(|_| fixed.is_some());
        let row = outbox::VisitRow {
            id: 0,
            state: match (fixed, builder) {
                (None, _) => outbox::state::OPEN,
                (Some(_), None) => outbox::state::ENDED,
                (Some(_), Some(_)) => outbox::state::QUEUED,
            },
            time_in: now.0,
            time_out,
            find_index,
            history_id,
            sealed: self.key.seal_json(Column::Visit, &secret)?,
            attempts: 0,
            next_try: 0,
        };
        let body = match builder {
            Some(b) => Some(self.build_visit_body(b, &row, &secret)?),
            None => None,
        };
        let id = outbox::insert_visit(&tx, &row)?;
        if let Some(body) = body {
            outbox::queue(&tx, ROUTE_VISITS, &body, Some(id), self.now())?;
        }
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
