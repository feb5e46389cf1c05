//! Completing check-ins and emptying the outbox: fetch TMP keys, build the visit's records, queue
//! the exact bytes, send what is due, retry with backoff.
//!
//! A check-in arrives here with its keys (fetched at check-in) or without them (kept offline). Its
//! records are built only once it has ended (check-out, ended early, or its planned end passed:
//! `checkin.rs` ends those first), with the real end, so no upload claims presence after the
//! person left. Each step commits before the next starts,
//! so a kill at any point repeats at most the step it interrupted: a key fetch (harmless), or a
//! send of bytes the server already has (a no-op there, because records are stored by content
//! hash).

use std::sync::Arc;

use rand_core::OsRng;
use spur_protocol::directory::Directory;
use spur_protocol::fields::Region;
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::tag::{QrId, TagKey, TmpKey};

use crate::tmp::TmpError;
use spur_protocol::time::{Minute, Slot, SLOTS_PER_DAY};

use crate::checkin::{never_issued, CheckIns};
use crate::crypt::Column;
use crate::directory::Directories;
use crate::error::{Error, Result};
use crate::ground::Ground;
use crate::hex;
use crate::local::History;
use crate::register::{Account, Registration};
use crate::retry::backoff;
use crate::stay::{planned_end, stay_slots, VisitSecret};
use crate::store::history;
use crate::store::outbox::{self, state};
use crate::transport::{NetError, Transport};

/// Route of visit uploads.
pub const ROUTE_VISITS: &str = spur_wire::api::routes::VISITS;
/// Slots either side of now the TAG server gives TMP keys for (24 hours).
pub const TAG_WINDOW_SLOTS: u32 = SLOTS_PER_DAY;

/// What a sync did and what is left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Uploads the server accepted in this run.
    pub sent: u32,
    /// Uploads that could not be sent for now (offline, server busy); retried later.
    pub failed_offline: u32,
    /// Check-ins still waiting (open, or waiting for keys).
    pub waiting: u32,
    /// Uploads pending in the outbox after this run.
    pub pending: u32,
    /// Uploads the server refused for good.
    pub refused: u32,
    /// Check-ins that could not be completed in the TAG server's window.
    pub lost: u32,
    /// Check-ins dropped because the TAG server never issued their code.
    pub not_issued: u32,
    /// Check-ins dropped because the PIN card's PIN was not confirmed.
    pub wrong_pin: u32,
}

/// What a PIN check at completion decided.
enum PinSettled {
    Confirmed,
    Dropped,
    Later,
}

/// What building a visit needs besides the check-in: fetched before the build's transaction, so
/// the build inside it takes no lock and awaits nothing.
struct Builder {
    dir: Directory,
    account: Account,
}

/// Hex of a stored visit's key or id, as bytes.
fn visit_hex<const N: usize>(text: &str) -> Result<[u8; N]> {
    hex::decode::<N>(text, "stored visit")
}

/// The slots a check-in needs keys for: its stay until its end, or while it goes on until its
/// planned end (so a later check-out needs no network).
fn needed_slots(v: &outbox::VisitRow) -> Vec<Slot> {
    stay_slots(
        v.time_in,
        Some(v.time_out.unwrap_or_else(|| planned_end(v))),
    )
}

/// The sync flow: completes check-ins and empties the outbox into the transport.
pub(crate) struct Outbox<T> {
    ground: Ground<T>,
    directories: Arc<Directories<T>>,
    registration: Arc<Registration<T>>,
    checkins: Arc<CheckIns<T>>,
    history: Arc<History>,
}

impl<T: Transport> Outbox<T> {
    /// The flow over these parts.
    pub(crate) fn new(
        ground: Ground<T>,
        directories: Arc<Directories<T>>,
        registration: Arc<Registration<T>>,
        checkins: Arc<CheckIns<T>>,
        history: Arc<History>,
    ) -> Self {
        Self {
            ground,
            directories,
            registration,
            checkins,
            history,
        }
    }

    /// Expires old data, refreshes the registration when due, completes check-ins and sends
    /// what is due. Offline is not an error here: the report says what is left.
    pub(crate) async fn sync(&self) -> Result<SyncReport> {
        self.history.expire()?;
        self.registration.refresh_if_due()?;
        self.checkins.close_overdue()?;
        self.fetch_keys().await?;
        self.build_ready().await?;
        self.send_due().await
    }

    /// Fetches missing TMP keys of running and ended check-ins; a check-in whose slots left the
    /// TAG server's window before its keys could be had is marked lost.
    async fn fetch_keys(&self) -> Result<()> {
        let now = self.ground.clock.unix_seconds();
        let now_slot = self.ground.clock.minute().slot().0;
        let rows = outbox::visits_in(
            &self.ground.db.lock()?.conn,
            &[state::OPEN, state::RUNNING, state::ENDED],
        )?;
        for v in rows {
            let mut secret: VisitSecret = self.ground.key.open_json(Column::Visit, &v.sealed)?;
            if secret.pin_pending && v.next_try <= now {
                match self.settle_pin(&v, &mut secret).await? {
                    PinSettled::Confirmed => {}
                    PinSettled::Dropped => continue,
                    PinSettled::Later
                        if needed_slots(&v)
                            .first()
                            .is_some_and(|s| now_slot.saturating_sub(s.0) > TAG_WINDOW_SLOTS) =>
                    {
                        // Never checked within the window: as for keys that came too late.
                        outbox::set_visit_state(&self.ground.db.lock()?.conn, v.id, state::LOST)?;
                        continue;
                    }
                    PinSettled::Later => {
                        outbox::visit_retry_later(
                            &self.ground.db.lock()?.conn,
                            v.id,
                            now + backoff(v.attempts),
                        )?;
                        continue;
                    }
                }
            }
            let have: Vec<u32> = secret.tmp.iter().map(|(s, _)| *s).collect();
            let missing: Vec<Slot> = needed_slots(&v)
                .into_iter()
                .filter(|s| !have.contains(&s.0))
                .collect();
            if missing.is_empty() || v.next_try > now {
                continue;
            }
            if missing
                .iter()
                .any(|s| now_slot.saturating_sub(s.0) > TAG_WINDOW_SLOTS)
            {
                outbox::set_visit_state(&self.ground.db.lock()?.conn, v.id, state::LOST)?;
                continue;
            }
            let id = QrId(visit_hex::<16>(&secret.qr_id)?);
            let pk = self.directories.get().await.map(|d| d.tag_key);
            match crate::tmp::fetch(&*self.ground.net, pk, id, missing).await {
                Ok(keys) => {
                    let text = |k: &TmpKey| hex::encode(k.expose());
                    secret.tmp.extend(keys.iter().map(|(s, k)| (s.0, text(k))));
                    let sealed = self.ground.key.seal_json(Column::Visit, &secret)?;
                    outbox::update_visit_sealed(&self.ground.db.lock()?.conn, v.id, &sealed)?;
                }
                Err(TmpError::Net(e)) if never_issued(&e) => {
                    // A code the TAG server never issued (forged, or from another service).
                    self.drop_visit(&v, state::NOT_ISSUED)?;
                }
                // An answer that does not verify against the directory's TAG key (an
                // equivocating server) is never stored; the check-in cannot be completed.
                Err(TmpError::Net(NetError::Refused { .. } | NetError::BadAnswer))
                | Err(TmpError::Refused(_)) => {
                    outbox::set_visit_state(&self.ground.db.lock()?.conn, v.id, state::LOST)?;
                }
                Err(_) => {
                    outbox::visit_retry_later(
                        &self.ground.db.lock()?.conn,
                        v.id,
                        now + backoff(v.attempts),
                    )?;
                    return Ok(()); // offline: the other check-ins wait too
                }
            }
        }
        Ok(())
    }

    /// Builds the records of ended check-ins that have their keys and queues them.
    async fn build_ready(&self) -> Result<()> {
        let ready = outbox::visits_in(&self.ground.db.lock()?.conn, &[state::ENDED])?;
        if ready.is_empty() {
            return Ok(());
        }
        let dir = self.directories.get().await?;
        let account = self.registration.account()?;
        let b = Builder { dir, account };
        for v in ready {
            let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &v.sealed)?;
            if secret.pin_pending {
                continue;
            }
            if needed_slots(&v)
                .iter()
                .any(|s| !secret.tmp.iter().any(|(t, _)| *t == s.0))
            {
                continue;
            }
            let body = self.build_visit_body(&b, &v, &secret)?;
            let mut store = self.ground.db.lock()?;
            let tx = store.conn.transaction()?;
            outbox::queue(
                &tx,
                ROUTE_VISITS,
                &body,
                Some(v.id),
                self.ground.clock.unix_seconds(),
            )?;
            outbox::set_visit_state(&tx, v.id, state::QUEUED)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The upload body of one ended visit: its slot entries and user entries, concatenated.
    /// Takes no lock.
    fn build_visit_body(
        &self,
        b: &Builder,
        v: &outbox::VisitRow,
        secret: &VisitSecret,
    ) -> Result<Vec<u8>> {
        let (account, usr) = (&b.account.row, &b.account.usr);
        let home = b.dir.authority(account.home_authority).ok_or(
            spur_protocol::ProtocolError::UnknownAuthority(account.home_authority),
        )?;
        let id = QrId(visit_hex::<16>(&secret.qr_id)?);
        let tag = TagKey::from_bytes(visit_hex::<16>(&secret.tag)?);
        let time_out = v
            .time_out
            .ok_or_else(|| Error::internal("open visit built"))?;
        let mut scan_keys = Vec::new();
        for slot in Slot::covering(Minute(v.time_in), Minute(time_out)) {
            let (_, tmp) = secret
                .tmp
                .iter()
                .find(|(s, _)| *s == slot.0)
                .ok_or_else(|| Error::internal("TMP key"))?;
            let tmp = TmpKey::from_bytes(visit_hex::<32>(tmp)?);
            scan_keys.push((slot, tag.scan_key(&id, slot, &tmp)?));
        }
        let region = match &secret.region {
            Some(r) => Region::decode(visit_hex::<12>(r)?)?,
            None => None,
        };
        let visitor = Visitor {
            usr,
            registration_id: account.registration_id,
            home_authority: (home.id, &home.seal),
            home_region: Region::decode(account.region)?,
        };
        let input = VisitInput {
            code_kind: CodeKind::decode(secret.kind)?,
            qr_id: id,
            tag,
            region,
            time_in: Minute(v.time_in),
            time_out: Minute(time_out),
            scan_keys,
            find_index: v.find_index,
        };
        let records = build_visit(&mut OsRng, &self.ground.config.op_key, &visitor, &input)?;
        Ok(records
            .slot_entries
            .into_iter()
            .chain(records.user_entries)
            .flatten()
            .collect())
    }

    /// Sends every due upload, oldest first; stops at the first sign of being offline.
    pub(crate) async fn send_due(&self) -> Result<SyncReport> {
        let now = self.ground.clock.unix_seconds();
        let due = outbox::due_uploads(&self.ground.db.lock()?.conn, now)?;
        let mut report = SyncReport::default();
        let mut offline = false;
        for u in due {
            if offline {
                report.failed_offline += 1;
                continue;
            }
            match self.ground.net.upload(&u.route, u.body.clone()).await {
                Ok(()) => {
                    outbox::sent(&mut self.ground.db.lock()?.conn, &u)?;
                    report.sent += 1;
                }
                Err(NetError::Refused { code, .. }) => {
                    outbox::refused(&self.ground.db.lock()?.conn, u.id, &code)?
                }
                Err(e) => {
                    offline = matches!(e, NetError::Offline);
                    outbox::upload_retry_later(
                        &self.ground.db.lock()?.conn,
                        u.id,
                        now + backoff(u.attempts),
                    )?;
                    report.failed_offline += 1;
                }
            }
        }
        let (waiting, pending, refused, lost) = outbox::counts(&self.ground.db.lock()?.conn)?;
        let (not_issued, wrong_pin) = outbox::dropped_counts(&self.ground.db.lock()?.conn)?;
        Ok(SyncReport {
            waiting,
            pending,
            refused,
            lost,
            not_issued,
            wrong_pin,
            ..report
        })
    }

    /// Checks the PIN of a PIN card scanned offline. Confirmed: the mark goes and completion goes
    /// on. Not confirmed: the check-in is dropped as [`state::WRONG_PIN`] (its history row too).
    async fn settle_pin(
        &self,
        v: &outbox::VisitRow,
        secret: &mut VisitSecret,
    ) -> Result<PinSettled> {
        let id = QrId(visit_hex::<16>(&secret.qr_id)?);
        let tag = TagKey::from_bytes(visit_hex::<16>(&secret.tag)?);
        match self.checkins.confirm_pin(&id, &tag).await {
            Ok(true) => {
                secret.pin_pending = false;
                let sealed = self.ground.key.seal_json(Column::Visit, secret)?;
                outbox::update_visit_sealed(&self.ground.db.lock()?.conn, v.id, &sealed)?;
                Ok(PinSettled::Confirmed)
            }
            Ok(false) => Ok(PinSettled::Later),
            Err(e) if e.code.as_deref() == Some(Error::WRONG_PIN) => {
                self.drop_visit(v, state::WRONG_PIN)?;
                Ok(PinSettled::Dropped)
            }
            // Rate-limited: ask again later.
            Err(_) => Ok(PinSettled::Later),
        }
    }

    /// Drops a check-in that was never valid (`reason` is [`state::NOT_ISSUED`] or
    /// [`state::WRONG_PIN`]): its keys, and its history row, so it is not shown as kept.
    fn drop_visit(&self, v: &outbox::VisitRow, reason: u8) -> Result<()> {
        let mut store = self.ground.db.lock()?;
        let tx = store.conn.transaction()?;
        outbox::set_visit_state(&tx, v.id, reason)?;
        if let Some(h) = v.history_id {
            history::delete(&tx, h)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// How many kept check-ins wait for their card's PIN to be checked online.
    pub(crate) fn pins_unchecked(&self) -> Result<u32> {
        let store = self.ground.db.lock()?;
        let mut n = 0u32;
        for v in outbox::visits_in(&store.conn, &[state::OPEN, state::RUNNING, state::ENDED])? {
            let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &v.sealed)?;
            n = n.saturating_add(u32::from(secret.pin_pending));
        }
        Ok(n)
    }

    /// True when the check-in `id` waits for its PIN to be checked online.
    pub(crate) fn pin_unchecked(&self, id: i64) -> Result<bool> {
        let store = self.ground.db.lock()?;
        let rows = outbox::visits_in(&store.conn, &[state::OPEN, state::RUNNING, state::ENDED])?;
        match rows.into_iter().find(|v| v.id == id) {
            Some(v) => {
                let secret: VisitSecret = self.ground.key.open_json(Column::Visit, &v.sealed)?;
                Ok(secret.pin_pending)
            }
            None => Ok(false),
        }
    }
}
