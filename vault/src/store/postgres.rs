//! The PostgreSQL store, for vaults too large for one SQLite file: same tables, same semantics.

use postgres::{Client, NoTls, Transaction};
use spur_migrate::connect::Connector;
use spur_protocol::time::{Day, SLOTS_PER_DAY};

use super::{
    schema, CodeRow, ConsentRow, Counts, ImportCounts, Opened, RawStat, RegistrationRow, Store,
};
use crate::error::{Result, VaultError};

/// The PostgreSQL store.
pub struct PostgresStore {
    client: Client,
}

fn arr<const N: usize>(v: Vec<u8>) -> Result<[u8; N]> {
    v.try_into()
        .map_err(|_| VaultError::Store("a stored key has the wrong size".into()))
}

fn day_of(v: i64) -> Result<Day> {
    u32::try_from(v)
        .map(Day)
        .map_err(|_| VaultError::Store("a stored day is out of range".into()))
}

fn small<T: TryFrom<i32>>(v: i32) -> Result<T> {
    T::try_from(v).map_err(|_| VaultError::Store("a stored number is out of range".into()))
}

impl PostgresStore {
    /// Connects to `url` and uses (and creates) the tables in `schema`, so several vaults or test
    /// runs can share one database; brings them to the newest version first (a store from a
    /// newer build is refused with [`VaultError::StoreTooNew`]).
    pub fn connect(url: &str, schema_name: &str) -> Result<Self> {
        Self::connect_with(url, schema_name, &Connector::plain())
    }

    /// [`PostgresStore::connect`] through `connector` (TLS as the operator configured it: the
    /// same connection code as the POST server's).
    pub fn connect_with(url: &str, schema_name: &str, connector: &Connector) -> Result<Self> {
        if schema_name.is_empty()
            || !schema_name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        {
            return Err(VaultError::Store(
                "the schema name may hold only a-z, 0-9 and _".into(),
            ));
        }
        let mut client = connector.connect(url)?;
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema_name}; SET search_path TO {schema_name};"
        ))?;
        spur_migrate::migrate(
            &mut spur_migrate::postgres::Postgres::new(&mut client, schema::POSTGRES_VERSION_TABLE),
            &schema::postgres(),
        )?;
        Ok(Self { client })
    }

    /// Drops a schema and everything in it (test clean-up).
    pub fn drop_schema(url: &str, schema_name: &str) -> Result<()> {
        let mut client = Client::connect(url, NoTls)?;
        client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema_name} CASCADE"))?;
        Ok(())
    }
}

fn insert(tx: &mut Transaction<'_>, row: &Opened) -> Result<bool> {
    let n = match row {
        Opened::Slot(r) => tx.execute(
            "INSERT INTO slot_entries (slot, code_kind, bucket, id, stat_region, scan_layer)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            &[&i64::from(r.slot), &i16::from(r.code_kind), &&r.bucket[..], &&r.id[..], &&r.stat_region[..], &r.scan_layer],
        )?,
        Opened::User(r) => tx.execute(
            "INSERT INTO user_entries (find_tag, id, day, auth_layer) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&&r.find_tag[..], &&r.id[..], &i64::from(r.day.0), &r.auth_layer],
        )?,
        Opened::Registration(r) => {
            let dead = tx.query_opt("SELECT day FROM tombstones WHERE handle = $1", &[&&r.handle[..]])?;
            let dead: Option<i64> = dead.map(|row| row.get(0));
            if dead.is_some_and(|d| d >= i64::from(r.day.0)) {
                0
            } else {
                tx.execute(
                    "INSERT INTO registrations (handle, id, day, registration_id, home_authority, region, sealed_contact)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (handle) DO UPDATE SET id = excluded.id, day = excluded.day,
                       registration_id = excluded.registration_id, home_authority = excluded.home_authority,
                       region = excluded.region, sealed_contact = excluded.sealed_contact
                     WHERE excluded.day >= registrations.day AND excluded.id != registrations.id",
                    &[
                        &&r.handle[..],
                        &&r.id[..],
                        &i64::from(r.day.0),
                        &&r.registration_id[..],
                        &i32::from(r.home_authority),
                        &&r.region[..],
                        &r.sealed_contact,
                    ],
                )?
            }
        }
        Opened::Tombstone { handle, day, .. } => {
            let a = tx.execute(
                "INSERT INTO tombstones (handle, day) VALUES ($1, $2)
                 ON CONFLICT (handle) DO UPDATE SET day = excluded.day WHERE excluded.day > tombstones.day",
                &[&&handle[..], &i64::from(day.0)],
            )?;
            let b = tx.execute(
                "DELETE FROM registrations WHERE handle = $1 AND day <= $2",
                &[&&handle[..], &i64::from(day.0)],
            )?;
            a + b
        }
        Opened::Place(r) | Opened::Personal(r) => {
            let personal = i16::from(matches!(row, Opened::Personal(_)));
            tx.execute(
                "INSERT INTO codes (personal, qr_id, id, day, region, place_kind, tag_layer)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                &[
                    &personal,
                    &&r.qr_id[..],
                    &&r.id[..],
                    &i64::from(r.day.0),
                    &&r.region[..],
                    &i16::from(r.place_kind),
                    &r.tag_layer,
                ],
            )?
        }
        Opened::Consent(r) => tx.execute(
            "INSERT INTO consent_releases (id, day, case_id, consenting_authority, nonce, sealed)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            &[
                &&r.id[..],
                &i64::from(r.day.0),
                &r.case_id,
                &i32::from(r.consenting_authority),
                &&r.nonce[..],
                &r.sealed,
            ],
        )?,
        Opened::Unopened { id, day, kind, key, body } => tx.execute(
            "INSERT INTO unopened (id, day, kind, k, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[&&id[..], &i64::from(day.0), &i16::from(*kind), key, body],
        )?,
    };
    Ok(n > 0)
}

impl Store for PostgresStore {
    fn import(&mut self, digest: &[u8; 32], name: &str, rows: &[Opened]) -> Result<ImportCounts> {
        let mut tx = self.client.transaction()?;
        let mut c = ImportCounts {
            rows: rows.len() as u64,
            ..Default::default()
        };
        if tx
            .query_opt(
                "SELECT rows FROM imported_files WHERE digest = $1",
                &[&&digest[..]],
            )?
            .is_some()
        {
            c.already_imported = true;
            return Ok(c);
        }
        for row in rows {
            if matches!(row, Opened::Unopened { .. }) {
                c.unopened += 1;
            }
            if insert(&mut tx, row)? {
                c.new += 1;
            } else {
                c.duplicates += 1;
            }
        }
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        tx.execute(
            "INSERT INTO imported_files (digest, name, rows, at) VALUES ($1, $2, $3, $4)",
            &[&&digest[..], &name, &(rows.len() as i64), &at],
        )?;
        tx.commit()?;
        Ok(c)
    }

    fn user_entries(&mut self, tags: &[[u8; 32]]) -> Result<Vec<([u8; 32], Vec<u8>)>> {
        let mut out = Vec::new();
        for chunk in tags.chunks(4096) {
            let list: Vec<&[u8]> = chunk.iter().map(|t| &t[..]).collect();
            for row in self.client.query(
                "SELECT find_tag, auth_layer FROM user_entries WHERE find_tag = ANY($1)",
                &[&list],
            )? {
                out.push((arr(row.get(0))?, row.get(1)));
            }
        }
        Ok(out)
    }

    fn slot_layers(&mut self, slot: u32, code_kind: u8, bucket: &[u8; 12]) -> Result<Vec<Vec<u8>>> {
        Ok(self
            .client
            .query(
                "SELECT scan_layer FROM slot_entries WHERE slot = $1 AND code_kind = $2 AND bucket = $3",
                &[&i64::from(slot), &i16::from(code_kind), &&bucket[..]],
            )?
            .into_iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn registration(&mut self, registration_id: &[u8; 16]) -> Result<Option<RegistrationRow>> {
        let row = self.client.query_opt(
            "SELECT handle, id, day, home_authority, region, sealed_contact FROM registrations
             WHERE registration_id = $1 ORDER BY day DESC LIMIT 1",
            &[&&registration_id[..]],
        )?;
        row.map(|r| {
            Ok(RegistrationRow {
                handle: arr(r.get(0))?,
                id: arr(r.get(1))?,
                day: day_of(r.get(2))?,
                registration_id: *registration_id,
                home_authority: small(r.get::<_, i32>(3))?,
                region: arr(r.get(4))?,
                sealed_contact: r.get(5),
            })
        })
        .transpose()
    }

    fn code(&mut self, personal: bool, qr_id: &[u8; 16]) -> Result<Vec<CodeRow>> {
        self.client
            .query(
                "SELECT id, day, region, place_kind, tag_layer FROM codes WHERE personal = $1 AND qr_id = $2",
                &[&i16::from(personal), &&qr_id[..]],
            )?
            .into_iter()
            .map(|r| {
                Ok(CodeRow {
                    qr_id: *qr_id,
                    id: arr(r.get(0))?,
                    day: day_of(r.get(1))?,
                    region: arr(r.get(2))?,
                    place_kind: small(i32::from(r.get::<_, i16>(3)))?,
                    tag_layer: r.get(4),
                })
            })
            .collect()
    }

    fn pending_consents(&mut self) -> Result<Vec<ConsentRow>> {
        self.client
            .query(
                "SELECT id, day, case_id, consenting_authority, nonce, sealed FROM consent_releases c
                 WHERE NOT EXISTS (SELECT 1 FROM used_nonces u WHERE u.nonce = c.nonce) ORDER BY day, id",
                &[],
            )?
            .into_iter()
            .map(|r| {
                Ok(ConsentRow {
                    id: arr(r.get(0))?,
                    day: day_of(r.get(1))?,
                    case_id: r.get(2),
                    consenting_authority: small(r.get::<_, i32>(3))?,
                    nonce: arr(r.get(4))?,
                    sealed: r.get(5),
                })
            })
            .collect()
    }

    fn use_nonce(&mut self, nonce: &[u8; 16], case_id: &str, authority: u16) -> Result<bool> {
        let day = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0))
            .unwrap_or(0);
        let n = self.client.execute(
            "INSERT INTO used_nonces (nonce, case_id, authority, day) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&&nonce[..], &case_id, &i32::from(authority), &day],
        )?;
        Ok(n == 1)
    }

    fn nonce_case(&mut self, nonce: &[u8; 16]) -> Result<Option<(String, u16)>> {
        self.client
            .query_opt(
                "SELECT case_id, authority FROM used_nonces WHERE nonce = $1",
                &[&&nonce[..]],
            )?
            .map(|r| Ok((r.get(0), small(r.get::<_, i32>(1))?)))
            .transpose()
    }

    fn raw_stats(&mut self) -> Result<Vec<RawStat>> {
        let mut map = std::collections::BTreeMap::<(i64, Vec<u8>), (u64, u64)>::new();
        for r in self.client.query(
            "SELECT day, region, COUNT(*) FROM registrations GROUP BY day, region",
            &[],
        )? {
            map.entry((r.get(0), r.get(1))).or_default().0 +=
                u64::try_from(r.get::<_, i64>(2)).unwrap_or(0);
        }
        for r in self.client.query(
            &format!(
                "SELECT slot / {SLOTS_PER_DAY} AS d, stat_region, COUNT(*) FROM slot_entries GROUP BY d, stat_region"
            ),
            &[],
        )? {
            map.entry((r.get(0), r.get(1))).or_default().1 += u64::try_from(r.get::<_, i64>(2)).unwrap_or(0);
        }
        map.into_iter()
            .map(|((d, reg), (r, s))| {
                Ok(RawStat {
                    day: day_of(d)?,
                    region: arr(reg)?,
                    registrations: r,
                    slot_entries: s,
                })
            })
            .collect()
    }

    fn sweep(&mut self, keep_from: Day) -> Result<u64> {
        let mut tx = self.client.transaction()?;
        let mut n = 0u64;
        for (sql, by_slot) in schema::SWEEPS {
            let p = i64::from(if by_slot {
                keep_from.0.saturating_mul(SLOTS_PER_DAY)
            } else {
                keep_from.0
            });
            n += tx.execute(sql, &[&p])?;
        }
        tx.commit()?;
        Ok(n)
    }

    fn reach_get(&mut self, authority: u16, case_id: &str) -> Result<Option<String>> {
        Ok(self
            .client
            .query_opt(
                "SELECT reach FROM case_reach WHERE authority = $1 AND case_id = $2",
                &[&i32::from(authority), &case_id],
            )?
            .map(|r| r.get(0)))
    }

    fn reach_put(&mut self, authority: u16, case_id: &str, reach: &str) -> Result<()> {
        let day = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0))
            .unwrap_or(0);
        self.client.execute(
            "INSERT INTO case_reach (authority, case_id, day, reach) VALUES ($1, $2, $3, $4)
             ON CONFLICT (authority, case_id) DO UPDATE SET day = excluded.day, reach = excluded.reach",
            &[&i32::from(authority), &case_id, &day, &reach],
        )?;
        Ok(())
    }

    fn meta_get(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self
            .client
            .query_opt("SELECT v FROM meta WHERE k = $1", &[&key])?
            .map(|r| r.get(0)))
    }

    fn meta_set(&mut self, key: &str, value: &str) -> Result<()> {
        self.client.execute(
            "INSERT INTO meta (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn counts(&mut self) -> Result<Counts> {
        let mut q = |sql: &str| -> Result<u64> {
            let n: i64 = self.client.query_one(sql, &[])?.get(0);
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
