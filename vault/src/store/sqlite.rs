//! The SQLite store: one file, WAL journal, full sync, one transaction per import.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use spur_protocol::time::{Day, SLOTS_PER_DAY};

use super::{
    schema, CodeRow, ConsentRow, Counts, ImportCounts, Opened, RawStat, RegistrationRow, Store,
};
use crate::error::{Result, VaultError};

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
}

fn arr<const N: usize>(v: Vec<u8>) -> Result<[u8; N]> {
    v.try_into()
        .map_err(|_| VaultError::Store("a stored key has the wrong size".into()))
}

/// Counts the rows of `sql` (each a day and a 12-byte region) per (day, region) in one pass
/// into a map as small as the days times the regions. SQLite's `GROUP BY` without an index on
/// those columns sorts every row first (a temporary B-tree, N log N): at 10^7 slot entries it took
/// 3.2× a bare scan and grew with slope 1.25 in `spur bench scale` (docs/scale.md).
fn count_per_day_region(
    conn: &Connection,
    sql: &str,
) -> Result<std::collections::HashMap<(u32, [u8; 12]), u64>> {
    let mut st = conn.prepare(sql)?;
    let mut rows = st.query([])?;
    let mut counts = std::collections::HashMap::new();
    while let Some(row) = rows.next()? {
        let day: u32 = row.get(0)?;
        let region: [u8; 12] = row
            .get_ref(1)?
            .as_blob()
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| VaultError::Store("a stored region has the wrong size".into()))?;
        *counts.entry((day, region)).or_insert(0u64) += 1;
    }
    Ok(counts)
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Creates `path` empty with mode 0600 unless it exists.
fn private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(VaultError::io(path, e)),
    }
}

/// Takes group and other permissions off `path` if it exists.
fn owner_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o077 != 0 => {
            let mode = m.permissions().mode() & 0o700;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| VaultError::io(path, e))
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(VaultError::io(path, e)),
    }
}

impl SqliteStore {
    /// Opens (and creates) the store at `path` and brings its schema to the newest version (a
    /// store from a newer build is refused with [`VaultError::StoreTooNew`]). The file holds every record with its OP layer
    /// removed: it is created owner-only (0600), and so are its WAL and shared-memory files
    /// (SQLite gives them the database file's mode); a store found readable by others is made
    /// owner-only again.
    pub fn open(path: &Path) -> Result<Self> {
        private_file(path)?;
        let conn = Connection::open(path)?;
        let store = Self::setup(conn)?;
        for suffix in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            owner_only(Path::new(&p))?;
        }
        owner_only(path)?;
        Ok(store)
    }

    /// A store in memory (tests).
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "cache_size", -262_144i64)?;
        spur_migrate::migrate(
            &mut spur_migrate::sqlite::Sqlite(&mut conn),
            &schema::sqlite(),
        )?;
        Ok(Self { conn })
    }

    /// Bulk-loads slot entries without an import file (benchmarks build large vaults this way).
    pub fn bulk_slots(&mut self, rows: &[super::SlotRow]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO slot_entries (slot, code_kind, bucket, id, stat_region, scan_layer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for r in rows {
                st.execute(params![
                    r.slot,
                    r.code_kind,
                    r.bucket,
                    r.id,
                    r.stat_region,
                    r.scan_layer
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Bulk-loads user entries (benchmarks).
    pub fn bulk_users(&mut self, rows: &[super::UserRow]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO user_entries (find_tag, id, day, auth_layer) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for r in rows {
                st.execute(params![r.find_tag, r.id, r.day.0, r.auth_layer])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn insert(tx: &rusqlite::Transaction<'_>, row: &Opened) -> Result<bool> {
    let n = match row {
        Opened::Slot(r) => tx
            .prepare_cached(
                "INSERT OR IGNORE INTO slot_entries (slot, code_kind, bucket, id, stat_region, scan_layer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![r.slot, r.code_kind, r.bucket, r.id, r.stat_region, r.scan_layer])?,
        Opened::User(r) => tx
            .prepare_cached(
                "INSERT OR IGNORE INTO user_entries (find_tag, id, day, auth_layer) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![r.find_tag, r.id, r.day.0, r.auth_layer])?,
        Opened::Registration(r) => {
            let dead: Option<i64> = tx
                .prepare_cached("SELECT day FROM tombstones WHERE handle = ?1")?
                .query_row(params![r.handle], |x| x.get(0))
                .optional()?;
            if dead.is_some_and(|d| d >= i64::from(r.day.0)) {
                0
            } else {
                tx.prepare_cached(
                    "INSERT INTO registrations (handle, id, day, registration_id, home_authority, region, sealed_contact)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (handle) DO UPDATE SET id = excluded.id, day = excluded.day,
                       registration_id = excluded.registration_id, home_authority = excluded.home_authority,
                       region = excluded.region, sealed_contact = excluded.sealed_contact
                     WHERE excluded.day >= registrations.day AND excluded.id != registrations.id",
                )?
                .execute(params![
                    r.handle,
                    r.id,
                    r.day.0,
                    r.registration_id,
                    r.home_authority,
                    r.region,
                    r.sealed_contact
                ])?
            }
        }
        Opened::Tombstone { handle, day, .. } => {
            let a = tx
                .prepare_cached(
                    "INSERT INTO tombstones (handle, day) VALUES (?1, ?2)
                     ON CONFLICT (handle) DO UPDATE SET day = excluded.day WHERE excluded.day > tombstones.day",
                )?
                .execute(params![handle, day.0])?;
            let b = tx
                .prepare_cached("DELETE FROM registrations WHERE handle = ?1 AND day <= ?2")?
                .execute(params![handle, day.0])?;
            a + b
        }
        Opened::Place(r) | Opened::Personal(r) => {
            let personal = matches!(row, Opened::Personal(_));
            tx.prepare_cached(
                "INSERT OR IGNORE INTO codes (personal, qr_id, id, day, region, place_kind, tag_layer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![personal, r.qr_id, r.id, r.day.0, r.region, r.place_kind, r.tag_layer])?
        }
        Opened::Consent(r) => tx
            .prepare_cached(
                "INSERT OR IGNORE INTO consent_releases (id, day, case_id, consenting_authority, nonce, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![r.id, r.day.0, r.case_id, r.consenting_authority, r.nonce, r.sealed])?,
        Opened::Unopened { id, day, kind, key, body } => tx
            .prepare_cached(
                "INSERT OR IGNORE INTO unopened (id, day, kind, k, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, day.0, kind, key, body])?,
    };
    Ok(n > 0)
}

impl Store for SqliteStore {
    fn import(&mut self, digest: &[u8; 32], name: &str, rows: &[Opened]) -> Result<ImportCounts> {
        let tx = self.conn.transaction()?;
        let seen: Option<i64> = tx
            .query_row(
                "SELECT rows FROM imported_files WHERE digest = ?1",
                params![digest],
                |r| r.get(0),
            )
            .optional()?;
        let mut c = ImportCounts {
            rows: rows.len() as u64,
            ..Default::default()
        };
        if seen.is_some() {
            c.already_imported = true;
            return Ok(c);
        }
        for row in rows {
            if matches!(row, Opened::Unopened { .. }) {
                c.unopened += 1;
            }
            if insert(&tx, row)? {
                c.new += 1;
            } else {
                c.duplicates += 1;
            }
        }
        tx.execute(
            "INSERT INTO imported_files (digest, name, rows, at) VALUES (?1, ?2, ?3, ?4)",
            params![digest, name, rows.len() as i64, now_secs()],
        )?;
        tx.commit()?;
        Ok(c)
    }

    fn user_entries(&mut self, tags: &[[u8; 32]]) -> Result<Vec<([u8; 32], Vec<u8>)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT auth_layer FROM user_entries WHERE find_tag = ?1")?;
        let mut out = Vec::new();
        for t in tags {
            let mut rows = st.query(params![t])?;
            while let Some(r) = rows.next()? {
                out.push((*t, r.get(0)?));
            }
        }
        Ok(out)
    }

    fn slot_layers(&mut self, slot: u32, code_kind: u8, bucket: &[u8; 12]) -> Result<Vec<Vec<u8>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT scan_layer FROM slot_entries WHERE slot = ?1 AND code_kind = ?2 AND bucket = ?3",
        )?;
        let rows = st.query_map(params![slot, code_kind, bucket], |r| r.get::<_, Vec<u8>>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn registration(&mut self, registration_id: &[u8; 16]) -> Result<Option<RegistrationRow>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT handle, id, day, home_authority, region, sealed_contact FROM registrations
                 WHERE registration_id = ?1 ORDER BY day DESC LIMIT 1",
            )?
            .query_row(params![registration_id], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u16>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                ))
            })
            .optional()?;
        row.map(|(handle, id, day, home, region, sealed)| {
            Ok(RegistrationRow {
                handle: arr(handle)?,
                id: arr(id)?,
                day: Day(day),
                registration_id: *registration_id,
                home_authority: home,
                region: arr(region)?,
                sealed_contact: sealed,
            })
        })
        .transpose()
    }

    fn code(&mut self, personal: bool, qr_id: &[u8; 16]) -> Result<Vec<CodeRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, day, region, place_kind, tag_layer FROM codes WHERE personal = ?1 AND qr_id = ?2",
        )?;
        let rows = st.query_map(params![personal, qr_id], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, u8>(3)?,
                r.get::<_, Vec<u8>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, day, region, place_kind, tag_layer) = row?;
            out.push(CodeRow {
                qr_id: *qr_id,
                id: arr(id)?,
                day: Day(day),
                region: arr(region)?,
                place_kind,
                tag_layer,
            });
        }
        Ok(out)
    }

    fn pending_consents(&mut self) -> Result<Vec<ConsentRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, day, case_id, consenting_authority, nonce, sealed FROM consent_releases c
             WHERE NOT EXISTS (SELECT 1 FROM used_nonces u WHERE u.nonce = c.nonce) ORDER BY day, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u16>(3)?,
                r.get::<_, Vec<u8>>(4)?,
                r.get::<_, Vec<u8>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, day, case_id, consenting_authority, nonce, sealed) = row?;
            out.push(ConsentRow {
                id: arr(id)?,
                day: Day(day),
                case_id,
                consenting_authority,
                nonce: arr(nonce)?,
                sealed,
            });
        }
        Ok(out)
    }

    fn use_nonce(&mut self, nonce: &[u8; 16], case_id: &str, authority: u16) -> Result<bool> {
        let day = Day(u32::try_from(now_secs() / 86_400).unwrap_or(0));
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO used_nonces (nonce, case_id, authority, day) VALUES (?1, ?2, ?3, ?4)",
            params![nonce, case_id, authority, day.0],
        )?;
        Ok(n == 1)
    }

    fn nonce_case(&mut self, nonce: &[u8; 16]) -> Result<Option<(String, u16)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT case_id, authority FROM used_nonces WHERE nonce = ?1",
                params![nonce],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn raw_stats(&mut self) -> Result<Vec<RawStat>> {
        let regs = count_per_day_region(&self.conn, "SELECT day, region FROM registrations")?;
        let slots = count_per_day_region(
            &self.conn,
            &format!("SELECT slot / {SLOTS_PER_DAY}, stat_region FROM slot_entries"),
        )?;
        let mut map = std::collections::BTreeMap::<(u32, [u8; 12]), (u64, u64)>::new();
        for (key, n) in regs {
            map.entry(key).or_default().0 += n;
        }
        for (key, n) in slots {
            map.entry(key).or_default().1 += n;
        }
        Ok(map
            .into_iter()
            .map(|((d, region), (r, s))| RawStat {
                day: Day(d),
                region,
                registrations: r,
                slot_entries: s,
            })
            .collect())
    }

    fn sweep(&mut self, keep_from: Day) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let mut n = 0u64;
        for (sql, by_slot) in schema::SWEEPS {
            let p = if by_slot {
                keep_from.0.saturating_mul(SLOTS_PER_DAY)
            } else {
                keep_from.0
            };
            n += tx.execute(sql, params![p])? as u64;
        }
        tx.commit()?;
        Ok(n)
    }

    fn reach_get(&mut self, authority: u16, case_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT reach FROM case_reach WHERE authority = ?1 AND case_id = ?2",
                params![authority, case_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn reach_put(&mut self, authority: u16, case_id: &str, reach: &str) -> Result<()> {
        let day = u32::try_from(now_secs() / 86_400).unwrap_or(0);
        self.conn.execute(
            "INSERT INTO case_reach (authority, case_id, day, reach) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (authority, case_id) DO UPDATE SET day = excluded.day, reach = excluded.reach",
            params![authority, case_id, day, reach],
        )?;
        Ok(())
    }

    fn meta_get(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT v FROM meta WHERE k = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn meta_set(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (k, v) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            params![key, value],
        )?;
        Ok(())
    }

    fn counts(&mut self) -> Result<Counts> {
        let q = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(Counts {
            registrations: q("SELECT COUNT(*) FROM registrations")?,
            places: q("SELECT COUNT(*) FROM codes WHERE personal = 0")?,
            personal: q("SELECT COUNT(*) FROM codes WHERE personal = 1")?,
            slot_entries: q("SELECT COUNT(*) FROM slot_entries")?,
            user_entries: q("SELECT COUNT(*) FROM user_entries")?,
            consent_releases: q("SELECT COUNT(*) FROM consent_releases")?,
            unopened: q("SELECT COUNT(*) FROM unopened")?,
        })
    }
}
