//! The history table (sealed rows, one per check-in) and the concept's counters.

use rusqlite::{params, Connection};

use crate::error::Result;

/// A history row as stored: its day (for expiry) and the sealed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// Row id.
    pub id: i64,
    /// UTC day of the check-in.
    pub day: u32,
    /// Sealed place name, kind and times.
    pub sealed: Vec<u8>,
}

/// The counters kept even with history off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CounterRow {
    /// Number of scans (check-ins).
    pub scans: u64,
    /// Minutes of finished stays.
    pub contact_minutes: u64,
    /// Minute of the last scan.
    pub last_scan: Option<u32>,
}

/// Adds a history row; returns its id.
pub fn insert(c: &Connection, day: u32, sealed: &[u8]) -> Result<i64> {
    super::exec(
        c,
        "INSERT INTO history (day, sealed) VALUES (?1, ?2)",
        params![day, sealed],
    )?;
    Ok(c.last_insert_rowid())
}

/// Replaces a row's sealed content (check-out time known).
pub fn update(c: &Connection, id: i64, sealed: &[u8]) -> Result<()> {
    super::exec(
        c,
        "UPDATE history SET sealed = ?1 WHERE id = ?2",
        params![sealed, id],
    )?;
    Ok(())
}

/// Removes a row (a check-in dropped as never valid: wrong PIN, code nobody issued).
pub fn delete(c: &Connection, id: i64) -> Result<()> {
    super::exec(c, "DELETE FROM history WHERE id = ?1", params![id])?;
    Ok(())
}

/// Every row, newest first.
pub fn all(c: &Connection) -> Result<Vec<HistoryRow>> {
    let mut st =
        c.prepare_cached("SELECT id, day, sealed FROM history ORDER BY day DESC, id DESC")?;
    let rows = st.query_map([], |r| {
        Ok(HistoryRow {
            id: r.get(0)?,
            day: r.get(1)?,
            sealed: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes every row (history turned off) and unlinks the check-ins from them.
pub fn clear(c: &Connection) -> Result<()> {
    super::exec(c, "DELETE FROM history", [])?;
    super::exec(c, "UPDATE visits SET history_id = NULL", [])?;
    Ok(())
}

/// Deletes rows of days before `oldest_day`.
pub fn expire(c: &Connection, oldest_day: u32) -> Result<()> {
    super::exec(c, "DELETE FROM history WHERE day < ?1", [oldest_day])?;
    Ok(())
}

/// The counters.
pub fn counters(c: &Connection) -> Result<CounterRow> {
    Ok(super::one(
        c,
        "SELECT scans, contact_minutes, last_scan FROM counters WHERE id = 1",
        [],
        |r| {
            Ok(CounterRow {
                scans: r.get(0)?,
                contact_minutes: r.get(1)?,
                last_scan: r.get(2)?,
            })
        },
    )?)
}

/// Counts a scan at `minute`.
pub fn count_scan(c: &Connection, minute: u32) -> Result<()> {
    super::exec(
        c,
        "UPDATE counters SET scans = scans + 1, last_scan = ?1 WHERE id = 1",
        [minute],
    )?;
    Ok(())
}

/// Adds the minutes of a finished stay.
pub fn count_minutes(c: &Connection, minutes: u32) -> Result<()> {
    super::exec(
        c,
        "UPDATE counters SET contact_minutes = contact_minutes + ?1 WHERE id = 1",
        [minutes],
    )?;
    Ok(())
}
