//! Checking in and out: read a scanned code, choose how long, fetch the TMP keys, and keep the
//! check-in (with its history row and counters) in one transaction; `sync.rs` builds its records
//! when the stay is over or ended early, sends them, and completes what was kept offline. This
//! part never sends: `App` runs a sync after a check-in or check-out. The time rules it
//! follows are in `stay.rs`.

use std::sync::Arc;

use spur_protocol::qr::Code;
use spur_protocol::record::visit::CodeKind;
use spur_protocol::tag::{QrId, TagKey, TmpKey};

use crate::tmp::TmpError;
use spur_protocol::time::{Minute, Slot};
use zeroize::Zeroizing;

use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::ground::Ground;
use crate::hex;
use crate::local::History;
use crate::stay::{is_running, planned_end, stay_slots, VisitSecret};
// The FFI layer names these by their old home.
pub use crate::stay::{CheckIn, HistoryItem, Running, Scanned, Stay};
use crate::stay::{KEYS_WAIT, MAX_OPEN_MINUTES, REMINDER_BEFORE_MINUTES};
use crate::store::{history, outbox};
use crate::texts::Msg;
use crate::transport::{NetError, Transport};

/// The check-in flow: scan, stay, and the check-ins kept until `sync.rs` sends them.
pub(crate) struct CheckIns<T> {
    ground: Ground<T>,
    history: Arc<History>,
    directories: Arc<crate::directory::Directories<T>>,
}

impl<T: Transport> CheckIns<T> {
    /// The flow over these parts.
    pub(crate) fn new(
        ground: Ground<T>,
        history: Arc<History>,
        directories: Arc<crate::directory::Directories<T>>,
    ) -> Self {
        Self {
            ground,
            history,
            directories,
        }
    }

    /// What a scanned text is (shown before the user chooses a duration).
    pub(crate) fn preview(&self, text: &str) -> Result<Scanned> {
        Ok(match self.ground.config.read_code(text)? {
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

    /// Accepts a check-in and stores it, without sending. With the network there, the TMP keys
    /// of its planned stay are fetched first, so one transaction keeps the check-in with its
    /// keys, its history row and counters (or merges it into the running stay of the same code,
    /// or ends the open check-in it replaces). Offline, or when the keys do not come within
    /// [`KEYS_WAIT`], the scan is kept alone and a sync completes it within the TAG
    /// server's window. A kill before the commit leaves nothing (the check-in was not accepted
    /// yet and nothing was sent); after it, everything needed to build and send it is stored.
    pub(crate) async fn accept(
        &self,
        text: &str,
        stay: Stay,
        pin: Option<String>,
    ) -> Result<CheckIn> {
        let mut secret = self.prepare(text, pin).await?;
        let (minutes, _) = stay.planned()?;
        let now = self.ground.clock.minute();
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

    /// Checks a PIN card's PIN online: `Ok(true)` when the POST server confirms the card's PIN
    /// check, `Ok(false)` when it cannot be asked now (offline, busy, slow: check later), a
    /// [`Error::wrong_pin`] when it does not confirm (wrong PIN, or a card it does not know), and
    /// [`Error::pin_rate_limited`] after too many wrong PINs for this card within the hour.
    pub(crate) async fn confirm_pin(&self, id: &QrId, tag: &TagKey) -> Result<bool> {
        let asked =
            crate::rt::timeout(KEYS_WAIT, self.ground.net.pin_check(*id, tag.pin_check(id))).await;
        match asked {
            Ok(Ok(true)) => Ok(true),
            Ok(Ok(false)) => Err(Error::wrong_pin()),
            Ok(Err(NetError::Busy { status: 429 })) => Err(Error::pin_rate_limited()),
            _ => Ok(false),
        }
    }

    /// The TMP keys of `slots`, or `None` when they cannot be had now (offline, too slow, or
    /// refused: `sync` retries and decides). An answer that does not verify against the
    /// directory's TAG key is an error: the check-in is not kept with it.
    async fn keys_before_keep(
        &self,
        secret: &VisitSecret,
        slots: Vec<Slot>,
    ) -> Result<Option<Vec<(Slot, TmpKey)>>> {
        let id = QrId(hex::decode::<16>(&secret.qr_id, "stored visit")?);
        let asked = slots.len();
        Ok(
            match crate::rt::timeout(KEYS_WAIT, self.fetch_tmp(id, slots)).await {
                Ok(Ok(keys)) if keys.len() == asked => Some(keys),
                Ok(Err(TmpError::Net(e))) if never_issued(&e) => {
                    return Err(Error::code_not_issued())
                }
                Ok(Err(TmpError::Refused(e))) => return Err(e),
                _ => None,
            },
        )
    }

    /// The verified TMP keys of `id` in `slots`, against the pinned directory's TAG key.
    async fn fetch_tmp(
        &self,
        id: QrId,
        slots: Vec<Slot>,
    ) -> std::result::Result<Vec<(Slot, TmpKey)>, TmpError> {
        let pk = self.directories.get().await.map(|d| d.tag_key);
        crate::tmp::fetch(&*self.ground.net, pk, id, slots).await
    }

    /// Reads the code into what a check-in keeps (derives a PIN card's TAG key).
    async fn prepare(&self, text: &str, pin: Option<String>) -> Result<VisitSecret> {
        if self.ground.db.lock()?.account()?.is_none() {
            return Err(Error::new(
                ErrorKind::NotRegistered,
                Msg::new("error-not-registered"),
            ));
        }
        Ok(match self.ground.config.read_code(text)? {
            Code::Place(p) => VisitSecret {
                kind: CodeKind::Place as u8,
                qr_id: p.id.to_hex(),
                tag: hex::encode(p.tag.expose()),
                region: Some(hex::encode(&p.region.encode())),
                name: p.name,
                tmp: Vec::new(),
                pin_pending: false,
            },
            Code::Personal(c) => {
                let cost = self.ground.config.kdf.cost();
                let pin = pin.map(Zeroizing::new);
                let (id, pin_card) = (c.id, c.pin_protected);
                let tag =
                    crate::rt::blocking(move || c.tag(pin.as_ref().map(|p| p.as_str()), cost))
                        .await
                        .map_err(|_| Error::internal("PIN"))??;
                let pin_pending = pin_card && !self.confirm_pin(&id, &tag).await?;
                VisitSecret {
                    kind: CodeKind::Personal as u8,
                    qr_id: id.to_hex(),
                    tag: hex::encode(tag.expose()),
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
    fn keep_check_in(
        &self,
        secret: VisitSecret,
        stay: Stay,
        now: Minute,
        online: bool,
    ) -> Result<CheckIn> {
        let (minutes, open) = stay.planned()?;
        let history_on = self.history.enabled()?;
        let mut store = self.ground.db.lock()?;
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
            let old: VisitSecret = self.ground.key.open_json(Column::Visit, &r.sealed)?;
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
                &self.ground.key.seal_json(Column::History, &item)?,
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
            sealed: self.ground.key.seal_json(Column::Visit, &secret)?,
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
            &self.ground.key.seal_json(Column::Visit, &old)?,
        )?;
        if let Some(h) = r.history_id {
            history::update(c, h, &self.ground.key.seal_json(Column::History, &item)?)?;
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
        let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &open.sealed)?;
        let item = HistoryItem {
            name: secret.name,
            personal: secret.kind == CodeKind::Personal as u8,
            time_in: open.time_in,
            time_out: Some(end),
        };
        if let Some(h) = open.history_id {
            history::update(c, h, &self.ground.key.seal_json(Column::History, &item)?)?;
        }
        Ok(item)
    }

    /// Ends the running check-in `id` now (check-out, or a fixed stay ended early), without
    /// sending: one transaction. `None` when it is not going on (any more).
    pub(crate) fn end_stay(&self, id: i64) -> Result<Option<CheckIn>> {
        let mut store = self.ground.db.lock()?;
        let tx = store.conn.transaction()?;
        let Some(row) = outbox::visit_by_id(&tx, id)?.filter(is_running) else {
            return Ok(None);
        };
        let item = self.end_in(&tx, &row, self.ground.clock.minute())?;
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

    /// True when the records of check-in `id` reached the server.
    pub(crate) fn sent(&self, id: i64) -> Result<bool> {
        Ok(outbox::visit_by_id(&self.ground.db.lock()?.conn, id)?
            .is_some_and(|v| v.state == outbox::state::DONE))
    }

    /// The id of the open check-in, if any.
    pub(crate) fn open_id(&self) -> Result<Option<i64>> {
        Ok(outbox::open_visit(&self.ground.db.lock()?.conn)?.map(|o| o.id))
    }

    /// Moves the planned end of the running check-in `id` to `minutes` from now (or from its
    /// planned end, when that is later): the "stay longer" answer to the reminder. At most
    /// [`MAX_OPEN_MINUTES`] after the check-in; the keys of the added time are fetched now when
    /// the network is there (else by a later sync).
    pub(crate) async fn extend(&self, id: i64, minutes: u32) -> Result<Running> {
        if !(15..=MAX_OPEN_MINUTES).contains(&minutes) {
            return Err(Error::input(Msg::new("stay-invalid")));
        }
        let now = self.ground.clock.minute();
        let row = outbox::visit_by_id(&self.ground.db.lock()?.conn, id)?
            .filter(is_running)
            .ok_or_else(|| Error::input(Msg::new("error-not-running")))?;
        let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &row.sealed)?;
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
        let mut store = self.ground.db.lock()?;
        let tx = store.conn.transaction()?;
        let row = outbox::visit_by_id(&tx, id)?
            .filter(is_running)
            .ok_or_else(|| Error::input(Msg::new("error-not-running")))?;
        let mut secret: VisitSecret = self.ground.key.open_json(Column::Visit, &row.sealed)?;
        for (slot, key) in fresh {
            if !secret.tmp.iter().any(|(s, _)| *s == slot) {
                secret.tmp.push((slot, key));
            }
        }
        let sealed = self.ground.key.seal_json(Column::Visit, &secret)?;
        outbox::replan_visit(&tx, id, row.state, to, &sealed)?;
        if row.state == outbox::state::RUNNING {
            if let Some(h) = row.history_id {
                let item = HistoryItem {
                    name: secret.name.clone(),
                    personal: secret.kind == CodeKind::Personal as u8,
                    time_in: row.time_in,
                    time_out: Some(to),
                };
                history::update(&tx, h, &self.ground.key.seal_json(Column::History, &item)?)?;
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
    pub(crate) fn running(&self) -> Result<Vec<Running>> {
        self.close_overdue()?;
        let rows = outbox::running_visits(&self.ground.db.lock()?.conn)?;
        rows.iter().map(|r| self.running_view(r)).collect()
    }

    /// Open check-ins whose reminder is due now: the shells show "still there?" with check-out
    /// and "stay longer".
    pub(crate) fn reminders_due(&self) -> Result<Vec<Running>> {
        let now = self.ground.clock.minute().0;
        Ok(self
            .running()?
            .into_iter()
            .filter(|r| r.reminder_at.is_some_and(|t| t <= now))
            .collect())
    }

    fn running_view(&self, r: &outbox::VisitRow) -> Result<Running> {
        let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &r.sealed)?;
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
    pub(crate) fn open(&self) -> Result<Option<Running>> {
        Ok(self.running()?.into_iter().find(|r| r.open))
    }

    /// Ends every check-in whose planned end has passed, at that end.
    pub(crate) fn close_overdue(&self) -> Result<()> {
        let now = self.ground.clock.minute();
        let mut store = self.ground.db.lock()?;
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

/// True when the TAG server says it never issued the QR id asked about.
pub(crate) fn never_issued(e: &NetError) -> bool {
    matches!(e, NetError::Refused { status: 404, code, .. } if code == "unknown_qr_id")
}

fn tmp_hex(k: &TmpKey) -> String {
    hex::encode(k.expose())
}
