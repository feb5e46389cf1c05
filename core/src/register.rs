//! Registration and logging in again: validate the form, derive the USR key, seal the contact
//! data to the responsible authority, queue the upload, keep only reference, sealed blob and key.

use rand_core::OsRng;
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::record::registration::{ContactData, RegistrationBody, MAX_CAMPUS_ID};
use spur_protocol::usr::{rate_secret, SecretStrength, UsrKey};
use zeroize::Zeroizing;

use crate::app::App;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::fields::{check_region, check_text, responsible, TextField};
use crate::store::outbox;
use crate::store::records::AccountRow;
use crate::texts::Msg;
use crate::transport::Transport;

/// Route of registration uploads.
pub const ROUTE_REGISTRATION: &str = spur_wire::api::routes::REGISTRATIONS;
/// A registration is uploaded again (fresh OP layer, same sealed contact) after this many seconds.
pub const REFRESH_AFTER: u64 = 7 * 86_400;

/// What the user enters to register (or to log in again on a new device).
#[derive(Clone, Debug)]
pub struct RegistrationForm {
    /// Phone number, any common notation with the country code.
    pub phone: String,
    /// Password or PIN.
    pub secret: Zeroizing<String>,
    /// Country of residence (ISO 3166 alpha-2).
    pub country: String,
    /// Postcode of residence, optional.
    pub postcode: Option<String>,
    /// Campus id, optional.
    pub campus_id: Option<String>,
    /// Birth year, optional.
    pub birth_year: Option<u16>,
}

/// The account as the device keeps it: key and opaque blob (sealed locally).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct AccountSecret {
    pub usr: String,
    pub sealed_contact: String,
}

/// Checks a phone number with a message that says what to fix.
pub fn check_phone(text: &str) -> Result<PhoneNumber> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')'))
        .collect();
    if cleaned.is_empty() {
        return Err(Error::input(Msg::new("phone-empty")));
    }
    let Some(digits) = cleaned
        .strip_prefix('+')
        .or_else(|| cleaned.strip_prefix("00"))
    else {
        return Err(Error::input(Msg::new("phone-needs-country-code")));
    };
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(Error::input(
            Msg::new("phone-bad-character").text("character", bad.to_string()),
        ));
    }
    if digits.starts_with('0') {
        return Err(Error::input(Msg::new("phone-country-zero")));
    }
    let n = digits.len();
    if !(8..=15).contains(&n) {
        return Err(Error::input(
            Msg::new("phone-length").num("digits", n as f64),
        ));
    }
    PhoneNumber::parse(text).map_err(Error::from)
}

/// How strong a secret is, and the plain words to show.
pub fn secret_strength(secret: &str) -> (SecretStrength, Msg) {
    let s = rate_secret(secret);
    let id = match s {
        SecretStrength::TooShort => "strength-too-short",
        SecretStrength::Weak => "strength-weak",
        SecretStrength::Fair => "strength-fair",
        SecretStrength::Strong => "strength-strong",
    };
    (s, Msg::new(id))
}

/// Derives the USR key off the async threads (Argon2id takes a while by design).
pub(crate) async fn derive_usr(
    phone: PhoneNumber,
    secret: Zeroizing<String>,
    cost: spur_protocol::usr::KdfCost,
) -> Result<UsrKey> {
    tokio::task::spawn_blocking(move || UsrKey::derive(&phone, &secret, cost))
        .await
        .map_err(|_| Error::internal("key derivation"))?
        .map_err(|_| Error::internal("key derivation"))
}

impl<T: Transport> App<T> {
    /// Registers, or logs in again with the same phone number and secret on a new device (the
    /// same credentials give the same key, so the server's record is replaced, not doubled).
    /// The upload is queued first and then tried; offline it is sent by a later sync.
    pub async fn register(&self, form: RegistrationForm) -> Result<bool> {
        self.ensure_unlocked()?;
        let phone = check_phone(&form.phone)?;
        let region = check_region(&form.country, form.postcode.as_deref())?;
        let campus_id = form
            .campus_id
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(c) = &campus_id {
            if c.len() > MAX_CAMPUS_ID {
                return Err(Error::input(
                    Msg::new("campus-id-invalid").num("max", MAX_CAMPUS_ID as f64),
                ));
            }
            check_text(TextField::CampusId, c)?;
        }
        if form.birth_year.is_some_and(|y| !(1900..=2100).contains(&y)) {
            return Err(Error::input(Msg::new("birth-year-invalid")));
        }
        if secret_strength(&form.secret).0 == SecretStrength::TooShort {
            return Err(Error::input(Msg::new("strength-too-short")));
        }
        // Without any directory (first start, offline) nothing can be kept: say so, never the
        // "kept and sent later" of the generic offline message.
        let dir = self.directory().await.map_err(|e| match e.msg.id {
            "error-offline" | "error-server-busy" => {
                Error::new(e.kind, Msg::new("error-register-offline"))
            }
            _ => e,
        })?;
        let home = responsible(&dir, &region, false)?;
        let usr = derive_usr(phone.clone(), form.secret, self.config.kdf.cost()).await?;
        let registration_id = usr.registration_id()?;
        if let Some(existing) = self.store()?.account()? {
            if existing.registration_id != registration_id {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    Msg::new("error-other-account"),
                ));
            }
        }
        let contact = ContactData {
            phone,
            campus_id,
            region: Some(region),
            birth_year: form.birth_year,
        };
        let sealed_contact = contact.seal(&mut OsRng, &home.seal)?;
        drop(contact);
        let body = RegistrationBody {
            registration_id,
            home_authority: home.id,
            region: Some(region),
            sealed_contact: sealed_contact.clone(),
        };
        let wire = body.build(&mut OsRng, &self.config.op_key, &usr.registration_secret()?)?;
        let secret = AccountSecret {
            usr: data_encoding::HEXLOWER.encode(usr.expose()),
            sealed_contact: data_encoding::HEXLOWER.encode(&sealed_contact),
        };
        let sealed = self.key.seal_json(Column::Account, &secret)?;
        let now = self.now();
        {
            let mut store = self.store()?;
            let tx = store.conn.transaction()?;
            let row = AccountRow {
                registration_id,
                home_authority: home.id,
                region: region.encode(),
                sealed,
                refreshed: now,
            };
            Store::put_account_in(&tx, &row)?;
            outbox::queue(&tx, ROUTE_REGISTRATION, &wire, None, now)?;
            tx.commit()?;
        }
        Ok(self.send_due().await?.failed_offline == 0)
    }

    /// The USR key and sealed contact of this device's account.
    pub(crate) fn account_secret(&self) -> Result<(AccountRow, UsrKey, Vec<u8>)> {
        let row = self.store()?.account()?.ok_or_else(|| {
            Error::new(ErrorKind::NotRegistered, Msg::new("error-not-registered"))
        })?;
        let s: AccountSecret = self.key.open_json(Column::Account, &row.sealed)?;
        let usr: [u8; 32] = hex32(&s.usr)?;
        let contact = data_encoding::HEXLOWER
            .decode(s.sealed_contact.as_bytes())
            .map_err(|_| Error::internal("account"))?;
        Ok((row, UsrKey::from_bytes(usr), contact))
    }

    /// Queues a fresh upload of the registration when the last is older than [`REFRESH_AFTER`]
    /// (same sealed contact, fresh OP layer), so the server's 28-day retention never drops it.
    pub(crate) fn refresh_if_due(&self) -> Result<()> {
        let now = self.now();
        let Some(row) = self.store()?.account()? else {
            return Ok(());
        };
        if now.saturating_sub(row.refreshed) < REFRESH_AFTER {
            return Ok(());
        }
        let (row, usr, sealed_contact) = self.account_secret()?;
        let region = Region::decode(row.region)?;
        let body = RegistrationBody {
            registration_id: row.registration_id,
            home_authority: row.home_authority,
            region,
            sealed_contact,
        };
        let wire = body.build(&mut OsRng, &self.config.op_key, &usr.registration_secret()?)?;
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        Store::put_account_in(
            &tx,
            &AccountRow {
                refreshed: now,
                ..row
            },
        )?;
        outbox::queue(&tx, ROUTE_REGISTRATION, &wire, None, now)?;
        tx.commit()?;
        Ok(())
    }
}

use crate::store::Store;

/// 64 hex digits to 32 bytes.
pub(crate) fn hex32(s: &str) -> Result<[u8; 32]> {
    data_encoding::HEXLOWER
        .decode(s.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| Error::internal("stored key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_errors_say_what_to_fix() {
        let id = |s: &str| check_phone(s).unwrap_err().msg.id;
        assert_eq!(id(""), "phone-empty");
        assert_eq!(id("0151 23456789"), "phone-needs-country-code");
        assert_eq!(id("+49 151 2345678x"), "phone-bad-character");
        assert_eq!(id("+0151234567"), "phone-country-zero");
        assert_eq!(id("+49 151"), "phone-length");
        assert_eq!(
            check_phone("0049 (151) 234-567-89").unwrap().as_str(),
            "+4915123456789"
        );
    }

    #[test]
    fn strength_in_words() {
        assert_eq!(secret_strength("1234").1.id, "strength-too-short");
        assert_eq!(secret_strength("123456").1.id, "strength-weak");
        assert_eq!(
            secret_strength("Horse-Battery-Staple-9").1.id,
            "strength-strong"
        );
    }
}
