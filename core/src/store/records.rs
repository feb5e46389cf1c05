//! Small tables: the account row, settings, own codes and used consent nonces.

use rusqlite::{params, Connection, OptionalExtension};

use super::Store;
use crate::error::Result;

/// The account row: what the device keeps of a registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    /// Registration id (the reference the contact records point to).
    pub registration_id: [u8; 16],
    /// Authority the contact data is sealed to.
    pub home_authority: u16,
    /// Country and postcode, encoded (12 bytes, zeros for none).
    pub region: [u8; 12],
    /// Sealed (local key) USR key and AUTH-sealed contact.
    pub sealed: Vec<u8>,
    /// Unix seconds of the last upload of the registration.
    pub refreshed: u64,
}

/// An own code's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnCodeRow {
    /// QR id.
    pub qr_id: [u8; 16],
    /// 1 place, 2 personal.
    pub kind: u8,
    /// Unix seconds.
    pub created: u64,
    /// Sealed details (URL, TAG key, name).
    pub sealed: Vec<u8>,
}

fn arr<const N: usize>(v: Vec<u8>) -> rusqlite::Result<[u8; N]> {
    v.try_into().map_err(|_| {
        rusqlite::Error::InvalidColumnType(0, "blob".into(), rusqlite::types::Type::Blob)
    })
}

impl Store {
    /// The account, if registered.
    pub fn account(&self) -> Result<Option<AccountRow>> {
        Ok(super::one(&self.conn,
                "SELECT registration_id, home_authority, region, sealed, refreshed FROM account WHERE id = 1",
                [],
                |r| {
                    Ok(AccountRow {
                        registration_id: arr(r.get(0)?)?,
                        home_authority: r.get(1)?,
                        region: arr(r.get(2)?)?,
                        sealed: r.get(3)?,
                        refreshed: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Replaces the account row.
    pub fn put_account(&self, a: &AccountRow) -> Result<()> {
        Self::put_account_in(&self.conn, a)
    }

    /// Replaces the account row inside a transaction.
    pub fn put_account_in(c: &Connection, a: &AccountRow) -> Result<()> {
        super::exec(c,
            "INSERT OR REPLACE INTO account (id, registration_id, home_authority, region, sealed, refreshed)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![a.registration_id, a.home_authority, a.region, a.sealed, a.refreshed],
        )?;
        Ok(())
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(super::one(
            &self.conn,
            "SELECT value FROM settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
    }

    /// Sets (or with `None` removes) a setting.
    pub fn set_setting(&self, key: &str, value: Option<&[u8]>) -> Result<()> {
        match value {
            Some(v) => super::exec(
                &self.conn,
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                params![key, v],
            )?,
            None => super::exec(&self.conn, "DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Stores an own code inside a transaction.
    pub fn put_own_code_in(conn: &Connection, c: &OwnCodeRow) -> Result<()> {
        super::exec(conn,
            "INSERT OR REPLACE INTO own_codes (qr_id, kind, created, sealed) VALUES (?1, ?2, ?3, ?4)",
            params![c.qr_id, c.kind, c.created, c.sealed],
        )?;
        Ok(())
    }

    /// Own codes, newest first.
    pub fn own_codes(&self) -> Result<Vec<OwnCodeRow>> {
        let mut st = self.conn.prepare(
            "SELECT qr_id, kind, created, sealed FROM own_codes ORDER BY created DESC, rowid DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(OwnCodeRow {
                qr_id: arr(r.get(0)?)?,
                kind: r.get(1)?,
                created: r.get(2)?,
                sealed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a consent code with this nonce was used on this device.
    pub fn consent_used(&self, nonce: &[u8; 16]) -> Result<bool> {
        Ok(super::one(
            &self.conn,
            "SELECT 1 FROM used_consent WHERE nonce = ?1",
            [nonce],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
    }
}
