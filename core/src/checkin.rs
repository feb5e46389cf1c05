//! Checking in and out: read a scanned code, choose how long, fetch the TMP keys, and keep the
//! check-in (with its history row and counters) in one transaction; `sync.rs` builds its records
//! when the stay is over or ended early, sends them, and completes what was kept offline.
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
use crate::sync::{hex_to, stay_slots};
use crate::texts::Msg;
use crate::transport::Transport;

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

/// What building a visit needs besides the check-in: fetched before the build's transaction, so
/// the build inside it takes no lock and awaits nothing.
pub(crate) struct Builder {
    pub dir: Directory,
    pub account: AccountRow,
    pub usr: UsrKey,
}

/// How long the user says they stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
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

    /// Checks in at the scanned code for `stay` ([`App::accept_check_in`]), then runs a sync
    /// (offline is not an error: the check-in stays kept). Nothing of this check-in is sent now:
    /// its records are built when the stay is over or ended early.
    pub async fn check_in(&self, text: &str, stay: Stay, pin: Option<String>) -> Result<CheckIn> {
        let item = self.accept_check_in(text, stay, pin).await?;
        let _ = self.sync().await;
        Ok(item)
    }

    /// Accepts a check-in and stores it, without sending. With the network there, the TMP keys
    /// of its planned stay are fetched first, so one transaction keeps the check-in with its
    /// keys, its history row and counters (or merges it into the running stay of the same code,
    /// or ends the open check-in it replaces). Offline, or when the keys do not come within
    /// [`KEYS_WAIT`], the scan is kept alone and [`App::sync`] completes it within the TAG
    /// server's window. A kill before the commit leaves nothing (the check-in was not accepted
    /// yet and nothing was sent); after it, everything needed to build and send it is stored.
    pub async fn accept_check_in(
        &self,
        text: &str,
        stay: Stay,
        pin: Option<String>,
    ) -> Result<CheckIn> {
        let mut secret = self.prepare_check_in(text, pin).await?;
        let (minutes, _) = stay.planned()?;
        let now = self.clock.minute();
        let slots = stay_slots(now.0, Some(now.0.saturating_add(minutes)));
        let online = match self.keys_before_keep(&secret, slots).await? {
            Some(keys) => {
                secret.tmp = keys.iter().map(|(s, k)| (s.0, tmp_hex(k))).collect();
                true
            }
            None => false,
        };
        self.keep_check_in(secret, stay, now, online)
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

    /// Keeps a check-in made at `now`: merges it into the running stay of the same code, or
    /// ends the open one and numbers a new stay; writes history and counters. One transaction.
    pub(crate) fn keep_check_in(
        &self,
        secret: VisitSecret,
        stay: Stay,
        now: Minute,
        online: bool,
    ) -> Result<CheckIn> {
        let (minutes, open) = stay.planned()?;
        let history_on = self.history_enabled()?;
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        // Stays whose planned end passed while no sync ran end there first: they are over and
        // neither merge with this scan nor are ended by it.
        let mut running = Vec::new();
        for r in outbox::running_visits(&tx)? {
            if now.0 >= planned_end(&r) {
                self.end_in(&tx, &r, Minute(planned_end(&r)))?;
            } else {
                running.push(r);
            }
        }
        let open_one = running
            .iter()
            .find(|r| r.state == outbox::state::OPEN)
            .cloned();
        for r in &running {
            let old: VisitSecret = self.key.open_json(Column::Visit, &r.sealed)?;
            if old.kind == secret.kind && old.qr_id == secret.qr_id && old.tag == secret.tag {
                let other_open = open_one.as_ref().filter(|o| o.id != r.id);
                let c = self.merge_in(
                    &tx,
                    r,
                    other_open,
                    old,
                    secret,
                    now,
                    (minutes, open),
                    online,
                )?;
                tx.commit()?;
                return Ok(c);
            }
        }
        let ended = match &open_one {
            Some(o) => Some(self.end_in(&tx, o, now)?),
            None => None,
        };
        let find_index = outbox::visits_starting(&tx, now.0)?;
        if find_index >= spur_protocol::usr::FIND_TAGS_PER_MINUTE {
            return Err(Error::input(Msg::new("error-too-many-check-ins")));
        }
        let planned_out = now.0.saturating_add(minutes);
        let item = HistoryItem {
            name: secret.name.clone(),
            personal: secret.kind == CodeKind::Personal as u8,
            time_in: now.0,
            time_out: (!open).then_some(planned_out),
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
            state: if open {
                outbox::state::OPEN
            } else {
                outbox::state::RUNNING
            },
            time_in: now.0,
            time_out: None,
            planned_out: Some(planned_out),
            find_index,
            history_id,
            sealed: self.key.seal_json(Column::Visit, &secret)?,
            attempts: 0,
            next_try: 0,
        };
        let id = outbox::insert_visit(&tx, &row)?;
        history::count_scan(&tx, now.0)?;
        tx.commit()?;
        Ok(CheckIn {
            id,
            item,
            open,
            planned_out,
            ended,
            merged: false,
            online,
            sent: false,
        })
    }

    /// The same code scanned again during its stay `r`: the stay lasts until the later of its
    /// planned end and the new one (at most [`MAX_OPEN_MINUTES`] after it began), becomes open if
    /// the new scan is open (ending another open check-in), and keeps the keys of both scans.
    #[allow(clippy::too_many_arguments)]
    fn merge_in(
        &self,
        c: &rusqlite::Connection,
        r: &outbox::VisitRow,
        other_open: Option<&outbox::VisitRow>,
        mut old: VisitSecret,
        new: VisitSecret,
        now: Minute,
        (minutes, open): (u32, bool),
        online: bool,
    ) -> Result<CheckIn> {
        let limit = r.time_in.saturating_add(MAX_OPEN_MINUTES);
        let planned_out = planned_end(r).max(now.0.saturating_add(minutes)).min(limit);
        let was_open = r.state == outbox::state::OPEN;
        let open = open || was_open;
        let ended = match other_open {
            Some(o) if open && !was_open => Some(self.end_in(c, o, now)?),
            _ => None,
        };
        for (slot, key) in new.tmp {
            if !old.tmp.iter().any(|(s, _)| *s == slot) {
                old.tmp.push((slot, key));
            }
        }
        let state = if open {
            outbox::state::OPEN
        } else {
            outbox::state::RUNNING
        };
        let item = HistoryItem {
            name: old.name.clone(),
            personal: old.kind == CodeKind::Personal as u8,
            time_in: r.time_in,
            time_out: (!open).then_some(planned_out),
        };
        outbox::replan_visit(
            c,
            r.id,
            state,
            planned_out,
            &self.key.seal_json(Column::Visit, &old)?,
        )?;
        if let Some(h) = r.history_id {
            history::update(c, h, &self.key.seal_json(Column::History, &item)?)?;
        }
        Ok(CheckIn {
            id: r.id,
            item,
            open,
            planned_out,
            ended,
            merged: true,
            online,
            sent: false,
        })
    }

    /// Ends a check-in still going on at `at` (at least one minute after it began, at most at
    /// its planned end): its state, the counters and its history row.
    pub(crate) fn end_in(
        &self,
        c: &rusqlite::Connection,
        open: &outbox::VisitRow,
        at: Minute,
    ) -> Result<HistoryItem> {
        let first = open.time_in.saturating_add(1);
        let end = at.0.clamp(first, planned_end(open).max(first));
        outbox::end_visit(c, open.id, end)?;
        history::count_minutes(c, end.saturating_sub(open.time_in))?;
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

    /// Ends the running check-in `id` now (check-out, or a fixed stay ended early), without
    /// sending: one transaction. `None` when it is not going on (any more).
    pub fn end_stay(&self, id: i64) -> Result<Option<CheckIn>> {
        self.ensure_unlocked()?;
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        let Some(row) = outbox::visit_by_id(&tx, id)?.filter(is_running) else {
            return Ok(None);
        };
        let item = self.end_in(&tx, &row, self.clock.minute())?;
        tx.commit()?;
        Ok(Some(CheckIn {
            id,
            planned_out: item.time_out.unwrap_or(row.time_in),
            item,
            open: row.state == outbox::state::OPEN,
            ended: None,
            merged: false,
            online: true,
            sent: false,
        }))
    }

    /// Ends the running check-in `id` now ([`App::end_stay`]) and sends it when the network is
    /// there ([`CheckIn::sent`] says whether it was).
    pub async fn end_check_in(&self, id: i64) -> Result<Option<CheckIn>> {
        let Some(mut c) = self.end_stay(id)? else {
            return Ok(None);
        };
        let _ = self.sync().await;
        c.sent = outbox::visit_by_id(&self.store()?.conn, id)?
            .is_some_and(|v| v.state == outbox::state::DONE);
        Ok(Some(c))
    }

    /// Ends the open check-in now; `None` if there is none.
    pub async fn check_out(&self) -> Result<Option<CheckIn>> {
        self.ensure_unlocked()?;
        let open = outbox::open_visit(&self.store()?.conn)?;
        match open {
            Some(o) => self.end_check_in(o.id).await,
            None => Ok(None),
        }
    }

    /// Moves the planned end of the running check-in `id` to `minutes` from now (or from its
    /// planned end, when that is later): the "stay longer" answer to the reminder. At most
    /// [`MAX_OPEN_MINUTES`] after the check-in; the keys of the added time are fetched now when
    /// the network is there (else by a later sync).
    pub async fn extend_check_in(&self, id: i64, minutes: u32) -> Result<Running> {
        self.ensure_unlocked()?;
        if !(15..=MAX_OPEN_MINUTES).contains(&minutes) {
            return Err(Error::input(Msg::new("stay-invalid")));
        }
        let now = self.clock.minute();
        let row = outbox::visit_by_id(&self.store()?.conn, id)?
            .filter(is_running)
            .ok_or_else(|| Error::input(Msg::new("error-not-running")))?;
        let secret: VisitSecret = self.key.open_json(Column::Visit, &row.sealed)?;
        let limit = row.time_in.saturating_add(MAX_OPEN_MINUTES);
        let to = planned_end(&row)
            .max(now.0)
            .saturating_add(minutes)
            .min(limit);
        let fresh = match self
            .keys_before_keep(&secret, stay_slots(row.time_in, Some(to)))
            .await?
        {
            Some(keys) => keys.iter().map(|(s, k)| (s.0, tmp_hex(k))).collect(),
            None => Vec::new(),
        };
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        let row = outbox::visit_by_id(&tx, id)?
            .filter(is_running)
            .ok_or_else(|| Error::input(Msg::new("error-not-running")))?;
        let mut secret: VisitSecret = self.key.open_json(Column::Visit, &row.sealed)?;
        for (slot, key) in fresh {
            if !secret.tmp.iter().any(|(s, _)| *s == slot) {
                secret.tmp.push((slot, key));
            }
        }
        let sealed = self.key.seal_json(Column::Visit, &secret)?;
        outbox::replan_visit(&tx, id, row.state, to, &sealed)?;
        if row.state == outbox::state::RUNNING {
            if let Some(h) = row.history_id {
                let item = HistoryItem {
                    name: secret.name.clone(),
                    personal: secret.kind == CodeKind::Personal as u8,
                    time_in: row.time_in,
                    time_out: Some(to),
                };
                history::update(&tx, h, &self.key.seal_json(Column::History, &item)?)?;
            }
        }
        tx.commit()?;
        self.running_view(&outbox::VisitRow {
            planned_out: Some(to),
            sealed,
            ..row
        })
    }

    /// Check-ins still going on, oldest first (ending first those whose planned end passed).
    pub fn running_check_ins(&self) -> Result<Vec<Running>> {
        self.ensure_unlocked()?;
        self.close_overdue()?;
        let rows = outbox::running_visits(&self.store()?.conn)?;
        rows.iter().map(|r| self.running_view(r)).collect()
    }

    /// Open check-ins whose reminder is due now: the shells show "still there?" with check-out
    /// and "stay longer".
    pub fn reminders_due(&self) -> Result<Vec<Running>> {
        let now = self.clock.minute().0;
        Ok(self
            .running_check_ins()?
            .into_iter()
            .filter(|r| r.reminder_at.is_some_and(|t| t <= now))
            .collect())
    }

    fn running_view(&self, r: &outbox::VisitRow) -> Result<Running> {
        let secret: VisitSecret = self.key.open_json(Column::Visit, &r.sealed)?;
        let open = r.state == outbox::state::OPEN;
        let planned_out = planned_end(r);
        Ok(Running {
            id: r.id,
            item: HistoryItem {
                name: secret.name,
                personal: secret.kind == CodeKind::Personal as u8,
                time_in: r.time_in,
                time_out: None,
            },
            open,
            planned_out,
            reminder_at: open.then(|| {
                planned_out
                    .saturating_sub(REMINDER_BEFORE_MINUTES)
                    .max(r.time_in)
            }),
        })
    }

    /// The open check-in, if any.
    pub fn open_check_in(&self) -> Result<Option<Running>> {
        Ok(self.running_check_ins()?.into_iter().find(|r| r.open))
    }

    /// Ends every check-in whose planned end has passed, at that end.
    pub(crate) fn close_overdue(&self) -> Result<()> {
        let now = self.clock.minute();
        let mut store = self.store()?;
        let due: Vec<_> = outbox::running_visits(&store.conn)?
            .into_iter()
            .filter(|r| now.0 >= planned_end(r))
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let tx = store.conn.transaction()?;
        for r in &due {
            self.end_in(&tx, r, Minute(planned_end(r)))?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// True while a check-in goes on (open, or a fixed stay not over).
fn is_running(r: &outbox::VisitRow) -> bool {
    r.state == outbox::state::OPEN || r.state == outbox::state::RUNNING
}

/// Where a check-in still going on ends unless extended or ended before: its planned end, or for
/// a row from before schema version 4, 24 hours after it began.
pub(crate) fn planned_end(r: &outbox::VisitRow) -> u32 {
    r.planned_out
        .unwrap_or_else(|| r.time_in.saturating_add(MAX_OPEN_MINUTES))
}

fn tmp_hex(k: &TmpKey) -> String {
    data_encoding::HEXLOWER.encode(k.expose())
}

impl<T: Transport> App<T> {
    /// What a check-in did, in whole sentences: where and until when, whether it merged into a
    /// running stay, which check-in it ended, and whether the servers were reached or it was kept
    /// offline for later.
    pub fn check_in_words(&self, c: &CheckIn) -> String {
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
    pub fn check_out_words(&self, c: &CheckIn) -> String {
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
    pub fn reminder_words(&self, r: &Running) -> String {
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
