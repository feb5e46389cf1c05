//! Local data the user sees and controls: the history of check-ins, the counters, the history
//! switch, and the 28-day expiry of everything kept; plus what "delete all data" reports.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use spur_protocol::time::{Minute, RETENTION_DAYS};

use crate::clock::Clock;
use crate::crypt::{Column, LocalKey};
use crate::error::Result;
use crate::stay::HistoryItem;
use crate::store::history::{self, CounterRow};
use crate::store::{outbox, Db};

/// Setting key of the history switch (`off` when turned off).
const HISTORY_SETTING: &str = "history";

/// What "delete all data" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Local data wiped; the server confirmed dropping the registration (or there was none).
    Everything,
    /// Local data wiped; the server's delete request is queued (offline) and sent by the next sync.
    ServerPending,
}

/// History, counters and expiry.
pub(crate) struct History {
    db: Db,
    key: Arc<LocalKey>,
    clock: Arc<dyn Clock>,
    /// When expiry last ran (it needs to run at most hourly).
    last_expiry: AtomicU64,
}

impl History {
    /// The history kept in `db`, sealed with `key`.
    pub(crate) fn new(db: Db, key: Arc<LocalKey>, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            key,
            clock,
            last_expiry: AtomicU64::new(0),
        }
    }

    /// True unless the user turned history off.
    pub(crate) fn enabled(&self) -> Result<bool> {
        Ok(self.db.lock()?.setting(HISTORY_SETTING)?.as_deref() != Some(b"off"))
    }

    /// Turns history on or off; off deletes every history row and keeps only the counters.
    pub(crate) fn set_enabled(&self, on: bool) -> Result<()> {
        let mut store = self.db.lock()?;
        let tx = store.conn.transaction()?;
        if on {
            tx.execute("DELETE FROM settings WHERE key = ?1", [HISTORY_SETTING])?;
        } else {
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, x'6f6666')",
                [HISTORY_SETTING],
            )?;
            history::clear(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The last 28 days of check-ins, newest first.
    pub(crate) fn items(&self) -> Result<Vec<HistoryItem>> {
        self.expire()?;
        let rows = history::all(&self.db.lock()?.conn)?;
        rows.iter()
            .map(|r| self.key.open_json(Column::History, &r.sealed))
            .collect()
    }

    /// The counters of the concept: scans, contact minutes, last scan.
    pub(crate) fn counters(&self) -> Result<CounterRow> {
        history::counters(&self.db.lock()?.conn)
    }

    /// Deletes history, finished check-ins and outbox rows older than 28 days.
    pub(crate) fn expire(&self) -> Result<()> {
        // Hourly is enough for a 28-day retention; every sync would cost a write per check-in.
        let unix = self.clock.unix_seconds();
        let last = self.last_expiry.load(Ordering::SeqCst);
        if last != 0 && unix >= last && unix - last < 3600 {
            return Ok(());
        }
        self.last_expiry.store(unix, Ordering::SeqCst);
        let now = self.clock.minute();
        let oldest_day = now.day().0.saturating_sub(RETENTION_DAYS);
        let oldest_minute = Minute(oldest_day * 1440).0;
        let oldest_unix = self
            .clock
            .unix_seconds()
            .saturating_sub(u64::from(RETENTION_DAYS) * 86_400);
        let mut store = self.db.lock()?;
        let tx = store.conn.transaction()?;
        history::expire(&tx, oldest_day)?;
        outbox::expire(&tx, oldest_minute, oldest_unix)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::Store;

    #[test]
    fn turning_history_off_keeps_only_the_counters() {
        let db = Db::new(Store::in_memory().unwrap());
        let key = Arc::new(LocalKey::from_platform(&[7u8; 32]).unwrap());
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let h = History::new(db.clone(), key.clone(), clock.clone());
        let item = HistoryItem {
            name: "Café".into(),
            personal: false,
            time_in: clock.minute().0,
            time_out: None,
        };
        {
            let store = db.lock().unwrap();
            let sealed = key.seal_json(Column::History, &item).unwrap();
            history::insert(&store.conn, clock.minute().day().0, &sealed).unwrap();
            history::count_scan(&store.conn, item.time_in).unwrap();
        }
        assert!(h.enabled().unwrap());
        assert_eq!(h.items().unwrap(), vec![item]);
        h.set_enabled(false).unwrap();
        assert!(!h.enabled().unwrap());
        assert!(h.items().unwrap().is_empty());
        assert_eq!(h.counters().unwrap().scans, 1, "counters stay");
        h.set_enabled(true).unwrap();
        assert!(h.enabled().unwrap());
    }
}
