//! Check-ins on their way to the server (`visits`) and the outbox of exact upload bytes
//! (`uploads`).
//!
//! A visit row moves OPEN or RUNNING → ENDED → QUEUED → DONE (or LOST when its TMP keys can no
//! longer be had). OPEN is an open check-in (until check-out, with a planned end the user chose or
//! confirmed); RUNNING is a fixed stay that is not over yet. Neither has records built: they are
//! built when the stay is over or ended early, with the real end, so no upload ever claims
//! presence after the person left. QUEUED means its records were built and stored in `uploads` in the same transaction;
//! from then on the very same bytes are resent until the server accepts them, which makes the
//! upload idempotent (the server stores records by content hash).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// Visit states.
pub mod state {
    /// An open check-in: no check-out time yet.
    pub const OPEN: u8 = 0;
    /// Ended: waiting for TMP keys or for its records to be built.
    pub const ENDED: u8 = 1;
    /// Records built and in the outbox.
    pub const QUEUED: u8 = 2;
    /// Could not be completed: its TMP keys are out of the TAG server's window.
    pub const LOST: u8 = 3;
    /// Uploaded; kept (without keys) only to number same-minute check-ins, until expiry.
    pub const DONE: u8 = 4;
    /// Dropped: the TAG server never issued its code's QR id.
    pub const NOT_ISSUED: u8 = 5;
    /// Dropped: the POST server did not confirm the PIN card's PIN.
    pub const WRONG_PIN: u8 = 6;
    /// A fixed stay that is not over yet (its planned end is in `planned_out`).
    pub const RUNNING: u8 = 7;

    /// True for the states that end a check-in without an upload (its keys are dropped).
    pub fn dropped(s: u8) -> bool {
        matches!(s, LOST | NOT_ISSUED | WRONG_PIN)
    }
}

/// Upload states.
pub mod upload_state {
    /// Waiting to be sent (again).
    pub const PENDING: u8 = 0;
    /// The server refused it for good; kept for the status screen until expiry.
    pub const REFUSED: u8 = 1;
}

/// A check-in row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRow {
    /// Row id.
    pub id: i64,
    /// See [`state`].
    pub state: u8,
    /// Check-in minute.
    pub time_in: u32,
    /// Check-out minute (exclusive); `None` while open or running.
    pub time_out: Option<u32>,
    /// Planned end of an open or running check-in (exclusive); `None` for rows from before
    /// schema version 4 (an open one then ends at most 24 hours after it began).
    pub planned_out: Option<u32>,
    /// Index among this device's check-ins starting in the same minute.
    pub find_index: u8,
    /// The history row showing this check-in, if history is on.
    pub history_id: Option<i64>,
    /// Sealed code keys and fetched TMP keys.
    pub sealed: Vec<u8>,
    /// Failed key fetches so far.
    pub attempts: u32,
    /// Unix seconds before which no retry is made.
    pub next_try: u64,
}

/// An outbox row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    /// Row id.
    pub id: i64,
    /// Server route, e.g. `/v1/visits`.
    pub route: String,
    /// The exact bytes to send.
    pub body: Vec<u8>,
    /// The visit these records belong to.
    pub visit_id: Option<i64>,
    /// Unix seconds when queued.
    pub created: u64,
    /// Failed sends so far.
    pub attempts: u32,
    /// Unix seconds before which no retry is made.
    pub next_try: u64,
}

const VISIT_COLS: &str =
    "id, state, time_in, time_out, find_index, history_id, sealed, attempts, next_try, planned_out";

fn visit(r: &rusqlite::Row<'_>) -> rusqlite::Result<VisitRow> {
    Ok(VisitRow {
        id: r.get(0)?,
        state: r.get(1)?,
        time_in: r.get(2)?,
        time_out: r.get(3)?,
        find_index: r.get(4)?,
        history_id: r.get(5)?,
        sealed: r.get(6)?,
        attempts: r.get(7)?,
        next_try: r.get(8)?,
        planned_out: r.get(9)?,
    })
}

/// Inserts a check-in; returns its id.
pub fn insert_visit(c: &Connection, v: &VisitRow) -> Result<i64> {
    super::exec(c,
        "INSERT INTO visits (state, time_in, time_out, find_index, history_id, sealed, attempts, next_try, planned_out)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7)",
        params![v.state, v.time_in, v.time_out, v.find_index, v.history_id, v.sealed, v.planned_out],
    )?;
    Ok(c.last_insert_rowid())
}

/// The open check-in, if any.
pub fn open_visit(c: &Connection) -> Result<Option<VisitRow>> {
    Ok(super::one(
        c,
        &format!("SELECT {VISIT_COLS} FROM visits WHERE state = ?1 ORDER BY id DESC LIMIT 1"),
        [state::OPEN],
        visit,
    )
    .optional()?)
}

/// Check-ins still going on (open or running), oldest first.
pub fn running_visits(c: &Connection) -> Result<Vec<VisitRow>> {
    visits_in(c, &[state::OPEN, state::RUNNING])
}

/// One check-in by id.
pub fn visit_by_id(c: &Connection, id: i64) -> Result<Option<VisitRow>> {
    Ok(super::one(
        c,
        &format!("SELECT {VISIT_COLS} FROM visits WHERE id = ?1"),
        [id],
        visit,
    )
    .optional()?)
}

/// Sets the planned end (and state, OPEN or RUNNING) of a check-in still going on, with its
/// sealed part (merged keys).
pub fn replan_visit(
    c: &Connection,
    id: i64,
    new_state: u8,
    planned_out: u32,
    sealed: &[u8],
) -> Result<()> {
    super::exec(
        c,
        "UPDATE visits SET state = ?1, planned_out = ?2, sealed = ?3 WHERE id = ?4",
        params![new_state, planned_out, sealed, id],
    )?;
    Ok(())
}

/// Check-ins in `states`, oldest first.
pub fn visits_in(c: &Connection, states: &[u8]) -> Result<Vec<VisitRow>> {
    let list = states
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut st = c.prepare(&format!(
        "SELECT {VISIT_COLS} FROM visits WHERE state IN ({list}) ORDER BY id"
    ))?;
    let rows = st.query_map([], visit)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many check-ins start in `minute` (the next one's find index).
pub fn visits_starting(c: &Connection, minute: u32) -> Result<u8> {
    let n: i64 = super::one(
        c,
        "SELECT COUNT(*) FROM visits WHERE time_in = ?1",
        [minute],
        |r| r.get(0),
    )?;
    Ok(u8::try_from(n).unwrap_or(u8::MAX))
}

/// Ends a check-in at `time_out`.
pub fn end_visit(c: &Connection, id: i64, time_out: u32) -> Result<()> {
    super::exec(
        c,
        "UPDATE visits SET state = ?1, time_out = ?2 WHERE id = ?3",
        params![state::ENDED, time_out, id],
    )?;
    Ok(())
}

/// Replaces a check-in's sealed part (after TMP keys were fetched).
pub fn update_visit_sealed(c: &Connection, id: i64, sealed: &[u8]) -> Result<()> {
    super::exec(
        c,
        "UPDATE visits SET sealed = ?1, attempts = 0, next_try = 0 WHERE id = ?2",
        params![sealed, id],
    )?;
    Ok(())
}

/// Records a failed key fetch and when to try again.
pub fn visit_retry_later(c: &Connection, id: i64, next_try: u64) -> Result<()> {
    super::exec(
        c,
        "UPDATE visits SET attempts = attempts + 1, next_try = ?1 WHERE id = ?2",
        params![next_try, id],
    )?;
    Ok(())
}

/// Sets a check-in's state; DONE and LOST also drop its keys.
pub fn set_visit_state(c: &Connection, id: i64, new_state: u8) -> Result<()> {
    if new_state == state::DONE || state::dropped(new_state) {
        super::exec(
            c,
            "UPDATE visits SET state = ?1, sealed = x'' WHERE id = ?2",
            params![new_state, id],
        )?;
    } else {
        super::exec(
            c,
            "UPDATE visits SET state = ?1 WHERE id = ?2",
            params![new_state, id],
        )?;
    }
    Ok(())
}

/// Queues exact bytes for `route`.
pub fn queue(
    c: &Connection,
    route: &str,
    body: &[u8],
    visit_id: Option<i64>,
    now: u64,
) -> Result<i64> {
    super::exec(
        c,
        "INSERT INTO uploads (route, body, visit_id, created, attempts, next_try, state)
         VALUES (?1, ?2, ?3, ?4, 0, 0, ?5)",
        params![route, body, visit_id, now, upload_state::PENDING],
    )?;
    Ok(c.last_insert_rowid())
}

/// Pending uploads due at `now`, oldest first.
pub fn due_uploads(c: &Connection, now: u64) -> Result<Vec<UploadRow>> {
    let mut st = c.prepare(
        "SELECT id, route, body, visit_id, created, attempts, next_try FROM uploads
         WHERE state = ?1 AND next_try <= ?2 ORDER BY id",
    )?;
    let rows = st.query_map(params![upload_state::PENDING, now], |r| {
        Ok(UploadRow {
            id: r.get(0)?,
            route: r.get(1)?,
            body: r.get(2)?,
            visit_id: r.get(3)?,
            created: r.get(4)?,
            attempts: r.get(5)?,
            next_try: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Removes a sent upload; its visit (if any) becomes DONE. One transaction.
pub fn sent(c: &mut Connection, u: &UploadRow) -> Result<()> {
    let tx = c.transaction()?;
    super::exec(&tx, "DELETE FROM uploads WHERE id = ?1", [u.id])?;
    if let Some(v) = u.visit_id {
        set_visit_state(&tx, v, state::DONE)?;
    }
    tx.commit()?;
    Ok(())
}

/// Records a failed send and when to try again.
pub fn upload_retry_later(c: &Connection, id: i64, next_try: u64) -> Result<()> {
    super::exec(
        c,
        "UPDATE uploads SET attempts = attempts + 1, next_try = ?1 WHERE id = ?2",
        params![next_try, id],
    )?;
    Ok(())
}

/// Marks an upload the server refused for good, with the server's code.
pub fn refused(c: &Connection, id: i64, code: &str) -> Result<()> {
    super::exec(
        c,
        "UPDATE uploads SET state = ?1, refused_code = ?2 WHERE id = ?3",
        params![upload_state::REFUSED, code, id],
    )?;
    Ok(())
}

/// Counts rows: (visits waiting, uploads pending, uploads refused, visits lost).
pub fn counts(c: &Connection) -> Result<(u32, u32, u32, u32)> {
    let q = |sql: &str, p: u8| -> rusqlite::Result<u32> { super::one(c, sql, [p], |r| r.get(0)) };
    let waiting: u32 = super::one(
        c,
        "SELECT COUNT(*) FROM visits WHERE state IN (?1, ?2, ?3)",
        params![state::OPEN, state::ENDED, state::RUNNING],
        |r| r.get(0),
    )?;
    Ok((
        waiting,
        q(
            "SELECT COUNT(*) FROM uploads WHERE state = ?1",
            upload_state::PENDING,
        )?,
        q(
            "SELECT COUNT(*) FROM uploads WHERE state = ?1",
            upload_state::REFUSED,
        )?,
        q("SELECT COUNT(*) FROM visits WHERE state = ?1", state::LOST)?,
    ))
}

/// Counts check-ins dropped for a reason other than time: (code not issued, wrong PIN).
pub fn dropped_counts(c: &Connection) -> Result<(u32, u32)> {
    let q = |s: u8| -> rusqlite::Result<u32> {
        super::one(
            c,
            "SELECT COUNT(*) FROM visits WHERE state = ?1",
            [s],
            |r| r.get(0),
        )
    };
    Ok((q(state::NOT_ISSUED)?, q(state::WRONG_PIN)?))
}

/// Deletes what is older than `oldest_minute` / `oldest_unix`: finished check-ins and outbox rows
/// (the server would drop them anyway).
pub fn expire(c: &Connection, oldest_minute: u32, oldest_unix: u64) -> Result<()> {
    super::exec(
        c,
        "DELETE FROM visits WHERE state IN (?1, ?2, ?4, ?5) AND time_in < ?3",
        params![
            state::DONE,
            state::LOST,
            oldest_minute,
            state::NOT_ISSUED,
            state::WRONG_PIN
        ],
    )?;
    super::exec(
        c,
        "UPDATE visits SET state = ?1, sealed = x'' WHERE state = ?2
         AND id IN (SELECT visit_id FROM uploads WHERE created < ?3)",
        params![state::LOST, state::QUEUED, oldest_unix],
    )?;
    super::exec(c, "DELETE FROM uploads WHERE created < ?1", [oldest_unix])?;
    Ok(())
}
