//! Registration and logging in again: validate the form, derive the USR key, seal the contact
//! data to the responsible authority, queue the upload, keep only reference, sealed blob and key.
//!
//! Logging in again on a new device: the same phone number and secret give the same key, so the
//! registration is simply uploaded again. A mistyped secret would give another key and silently
//! a new identity; so before anything is kept, the POST server is asked whether a registration
//! exists under the derived registration secret (`POST /v1/registrations/check`,
//! docs/protocol.md), and an unknown one is told, never registered.
//!
//! This part only queues; `App` sends what it queued (`sync.rs`).

use std::sync::Arc;

use rand_core::OsRng;
use spur_protocol::fields::{Country, PhoneNumber, Postcode, Region};
use spur_protocol::record::registration::{
    build_delete, ContactData, RegistrationBody, MAX_CAMPUS_ID,
};
use spur_protocol::usr::{KdfCost, UsrKey};
use zeroize::Zeroizing;

use crate::crypt::{Column, KEY_CHECK_SETTING};
use crate::directory::{responsible, Directories};
use crate::error::{Error, ErrorKind, Result};
use crate::ground::Ground;
use crate::hex;
use crate::reasons::{self, TextField};
use crate::secret_policy;
use crate::store::outbox;
use crate::store::records::AccountRow;
use crate::store::Store;
use crate::texts::Msg;
use crate::transport::{NetError, Transport};

/// Route of registration uploads.
pub const ROUTE_REGISTRATION: &str = spur_wire::api::routes::REGISTRATIONS;
/// Route of the registration check.
pub const ROUTE_REGISTRATION_CHECK: &str = spur_wire::api::routes::REGISTRATIONS_CHECK;
/// Route of registration deletes.
pub const ROUTE_DELETE: &str = spur_wire::api::routes::REGISTRATIONS_DELETE;
/// A registration is uploaded again (fresh OP layer, same sealed contact) after this many seconds.
pub const REFRESH_AFTER: u64 = 7 * 86_400;

/// What the user enters to register (or to log in again on a new device).
#[derive(Clone, Debug)]
pub struct RegistrationForm {
    /// Phone number, any common notation with the country code.
    pub phone: String,
    /// The USR secret: the proposed passphrase, or one of the user's own that the policy accepts
    /// (`secret_policy.rs`; a login with an older, weaker secret is let through, see
    /// [`Admission`]).
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
struct AccountSecret {
    usr: String,
    sealed_contact: String,
}

/// This device's account, opened.
pub(crate) struct Account {
    /// The row (reference, home authority, region).
    pub row: AccountRow,
    /// The USR key.
    pub usr: UsrKey,
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

/// Checks a country and an optional postcode (empty counts as not given) by the protocol's
/// rules, refusing in the words of `reasons.rs`.
pub(crate) fn check_region(country: &str, postcode: Option<&str>) -> Result<Region> {
    let typed = country.trim();
    let country = Country::check(typed).map_err(|p| Error::input(reasons::country(p, typed)))?;
    let postcode = postcode
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            Postcode::check_in(country, p).map_err(|e| Error::input(reasons::postcode(country, e)))
        })
        .transpose()?;
    Ok(Region { country, postcode })
}

/// Checks the characters of a name or id by the protocol's text rule (lengths are the caller's).
pub(crate) fn check_text(field: TextField, text: &str) -> Result<()> {
    spur_protocol::fields::check_text(text).map_err(|p| Error::input(reasons::text(field, p)))
}

/// How strong a secret is by the policy (`secret_policy.rs`), with `phone` (as typed, may be
/// empty) as the attacker's knowledge; the rating's `msg()` gives the plain words to show.
pub fn secret_strength(secret: &str, phone: &str) -> secret_policy::SecretRating {
    secret_policy::rate(secret, Some(phone).filter(|p| !p.trim().is_empty()))
}

/// Whether the form's secret must meet the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// A new registration: a secret below the minimum is refused with its reason.
    New,
    /// Logging in again to a registration the POST server confirmed: the secret is the one it was
    /// made with (perhaps before the policy), and refusing it would only lock its owner out of
    /// the days the vault already holds under it; the owner is told to start over instead.
    Existing,
}

/// Derives the USR key off the async threads (Argon2id takes a while by design).
pub(crate) async fn derive_usr(
    phone: PhoneNumber,
    secret: Zeroizing<String>,
    cost: KdfCost,
) -> Result<UsrKey> {
    crate::rt::blocking(move || UsrKey::derive(&phone, &secret, cost))
        .await
        .map_err(|_| Error::internal("key derivation"))?
        .map_err(|_| Error::internal("key derivation"))
}

/// The registration flow and keeper of this device's account.
pub(crate) struct Registration<T> {
    ground: Ground<T>,
    directories: Arc<Directories<T>>,
}

impl<T: Transport> Registration<T> {
    /// The flow over these parts.
    pub(crate) fn new(ground: Ground<T>, directories: Arc<Directories<T>>) -> Self {
        Self {
            ground,
            directories,
        }
    }

    /// True when this device holds a registration.
    pub(crate) fn is_registered(&self) -> Result<bool> {
        Ok(self.ground.db.lock()?.account()?.is_some())
    }

    /// Checks the form and queues the registration's upload (or, logging in again with the
    /// same credentials, the same registration again: the server replaces, never doubles).
    pub(crate) async fn register(
        &self,
        form: RegistrationForm,
        admission: Admission,
    ) -> Result<()> {
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
        if admission == Admission::New {
            secret_policy::check(&form.secret, Some(phone.as_str()))?;
        }
        // Without any directory (first start, offline) nothing can be kept: say so, never the
        // "kept and sent later" of the generic offline message.
        let dir = self.directories.get().await.map_err(|e| match e.msg.id {
            "error-offline" | "error-server-busy" => {
                Error::new(e.kind, Msg::new("error-register-offline"))
            }
            _ => e,
        })?;
        let home = responsible(&dir, &region, false)?;
        let usr = derive_usr(phone.clone(), form.secret, self.ground.config.kdf.cost()).await?;
        let registration_id = usr.registration_id()?;
        if let Some(existing) = self.ground.db.lock()?.account()? {
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
        let wire = body.build(
            &mut OsRng,
            &self.ground.config.op_key,
            &usr.registration_secret()?,
        )?;
        let secret = AccountSecret {
            usr: hex::encode(usr.expose()),
            sealed_contact: hex::encode(&sealed_contact),
        };
        let sealed = self.ground.key.seal_json(Column::Account, &secret)?;
        let now = self.ground.clock.unix_seconds();
        let mut store = self.ground.db.lock()?;
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
        Ok(())
    }

    /// Asks the POST server whether a registration exists for these credentials: refused with
    /// [`ErrorKind::WrongCredentials`] when it knows none (a mistyped secret, or never
    /// registered), and with [`ErrorKind::Offline`] when it cannot be asked. Keeps nothing.
    pub(crate) async fn check_login(&self, form: &RegistrationForm) -> Result<()> {
        let phone = check_phone(&form.phone)?;
        let secret = Zeroizing::new(form.secret.as_str().to_owned());
        let usr = derive_usr(phone, secret, self.ground.config.kdf.cost()).await?;
        let body = build_delete(&usr.registration_secret()?);
        drop(usr);
        match self.ground.net.upload(ROUTE_REGISTRATION_CHECK, body).await {
            Ok(()) => Ok(()),
            Err(NetError::Refused { code, .. }) if code == "not_registered" => Err(Error::new(
                ErrorKind::WrongCredentials,
                Msg::new("error-login-unknown"),
            )),
            Err(NetError::Offline | NetError::Busy { .. }) => Err(Error::new(
                ErrorKind::Offline,
                Msg::new("error-login-offline"),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// This device's account with its USR key; [`ErrorKind::NotRegistered`] without one.
    pub(crate) fn account(&self) -> Result<Account> {
        self.account_with_contact().map(|(a, _)| a)
    }

    /// The account and its sealed contact data (opaque to the device).
    fn account_with_contact(&self) -> Result<(Account, Vec<u8>)> {
        let row = self.ground.db.lock()?.account()?.ok_or_else(|| {
            Error::new(ErrorKind::NotRegistered, Msg::new("error-not-registered"))
        })?;
        let s: AccountSecret = self.ground.key.open_json(Column::Account, &row.sealed)?;
        let usr = UsrKey::from_bytes(hex::decode::<32>(&s.usr, "stored key")?);
        let contact = hex::decode_vec(&s.sealed_contact, "account")?;
        Ok((Account { row, usr }, contact))
    }

    /// Queues a fresh upload of the registration when the last is older than [`REFRESH_AFTER`]
    /// (same sealed contact, fresh OP layer), so the server's 28-day retention never drops it.
    pub(crate) fn refresh_if_due(&self) -> Result<()> {
        let now = self.ground.clock.unix_seconds();
        let Some(row) = self.ground.db.lock()?.account()? else {
            return Ok(());
        };
        if now.saturating_sub(row.refreshed) < REFRESH_AFTER {
            return Ok(());
        }
        let (Account { row, usr }, sealed_contact) = self.account_with_contact()?;
        let region = Region::decode(row.region)?;
        let body = RegistrationBody {
            registration_id: row.registration_id,
            home_authority: row.home_authority,
            region,
            sealed_contact,
        };
        let wire = body.build(
            &mut OsRng,
            &self.ground.config.op_key,
            &usr.registration_secret()?,
        )?;
        let mut store = self.ground.db.lock()?;
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

    /// Wipes everything on the device; when registered, queues the request that the server drop
    /// the registration too (true then: the caller sends it).
    pub(crate) fn wipe_all(&self) -> Result<bool> {
        // Read first: a guard held by a `match` scrutinee would deadlock `account`.
        let registered = self.is_registered()?;
        let delete = if registered {
            Some(build_delete(&self.account()?.usr.registration_secret()?))
        } else {
            None
        };
        let mut store = self.ground.db.lock()?;
        store.wipe()?;
        if let Some(body) = &delete {
            outbox::queue(
                &store.conn,
                ROUTE_DELETE,
                body,
                None,
                self.ground.clock.unix_seconds(),
            )?;
        }
        let blob = self.ground.key.seal(Column::Account, b"spur")?;
        store.set_setting(KEY_CHECK_SETTING, Some(&blob))?;
        Ok(delete.is_some())
    }
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
        let id = |s: &str| secret_strength(s, "+4915123456789").msg().id;
        assert_eq!(id(""), "secret-refused-empty");
        assert_eq!(id("123456"), "secret-refused-digits");
        assert_eq!(id("Password1"), "secret-refused-common");
        assert!(id("Horse-Battery-Staple-9").starts_with("secret-refused-"));
        assert_eq!(id("hanna23456789!"), "secret-refused-phone");
        assert_eq!(id("ballot-quarry-tiptoe-lantern"), "secret-enough");
        assert_eq!(id("ballot-quarry-tiptoe-lantern-minnow"), "secret-strong");
    }

    #[test]
    fn each_refusal_has_its_message() {
        let id = |c: &str, p: Option<&str>| check_region(c, p).unwrap_err().msg.id;
        assert_eq!(id("XX", None), "field-country-not-assigned");
        assert_eq!(id("D", None), "field-country-not-two-letters");
        assert_eq!(id("DE", Some("ABCDE")), "field-postcode-five-digits");
        assert_eq!(id("DE", Some("8033")), "field-postcode-five-digits");
        assert_eq!(id("DE", Some("00000")), "field-postcode-all-zeros");
        assert_eq!(id("AT", Some("0999")), "field-postcode-four-digits");
        assert_eq!(id("GB", Some("-1-1")), "field-postcode-separators");
        assert_eq!(id("GB", Some("SW1A!")), "field-postcode-character");
        assert_eq!(id("GB", Some("12345678901")), "field-postcode-too-long");
        assert!(check_region("de", Some(" ")).unwrap().postcode.is_none());
        assert_eq!(
            check_region("de", Some("80331")).unwrap().to_string(),
            "DE-80331"
        );
        let t = |s: &str| check_text(TextField::PlaceName, s).unwrap_err().msg.id;
        assert_eq!(t("M\u{202E}nehcnü"), "field-text-bidi");
        assert_eq!(t("a\u{200B}b"), "field-text-invisible");
        assert_eq!(t("a\u{2028}b"), "field-text-line-break");
        assert_eq!(t("a\u{1b}[2J"), "field-text-control");
        assert!(check_text(TextField::CampusId, "ga12bcd").is_ok());
    }
}
