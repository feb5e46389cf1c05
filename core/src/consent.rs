//! Consent: verify a scanned consent code against the pinned directory (signature, day and time
//! policy, no day after today, expiry, used before), show who asks for which days, take the
//! credentials, check the code was made for this person, release exactly those days.
//!
//! The release is sealed to the authority's key from the directory, never to a key carried by the
//! code; its AUTH part carries the phone number entered with the credentials, which the desk
//! compares with its case register. The nonce is marked used in the same transaction that queues
//! the release. This part queues the release; `App` sends it, and checks the app lock before calling it.

use std::sync::Arc;

use rand_core::OsRng;
use spur_protocol::consent::{ConsentCode, VerifiedConsent};
use spur_protocol::qr::Code;
use spur_protocol::record::consent_release::{build_consent_release, Releaser};
use spur_protocol::time::Day;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::codes::Codes;
use crate::directory::Directories;
use crate::error::{Error, ErrorKind, Result};
use crate::ground::Ground;
use crate::register::{check_phone, derive_usr, Registration};
use crate::store::outbox;
use crate::texts::Msg;
use crate::transport::Transport;

/// Route of consent releases.
pub const ROUTE_CONSENT: &str = spur_wire::api::routes::CONSENT_RELEASES;

/// What the user is asked to agree to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRequest {
    /// The authority's name from the pinned directory.
    pub authority: String,
    /// The authority's case id.
    pub case_id: String,
    /// The days asked for, in order.
    pub days: Vec<Day>,
    /// Minute after which the code is refused.
    pub expires: u32,
}

/// `YYYY-MM-DD` of a day number (proleptic Gregorian, UTC).
pub fn day_text(day: Day) -> String {
    day.date_text()
}

/// The consent flow.
pub(crate) struct Consent<T> {
    ground: Ground<T>,
    directories: Arc<Directories<T>>,
    registration: Arc<Registration<T>>,
    codes: Arc<Codes<T>>,
}

impl<T: Transport> Consent<T> {
    /// The flow over these parts.
    pub(crate) fn new(
        ground: Ground<T>,
        directories: Arc<Directories<T>>,
        registration: Arc<Registration<T>>,
        codes: Arc<Codes<T>>,
    ) -> Self {
        Self {
            ground,
            directories,
            registration,
            codes,
        }
    }

    async fn verify_consent(&self, text: &str) -> Result<VerifiedConsent> {
        let code: ConsentCode = match self.ground.config.read_code(text)? {
            Code::Consent(c) => c,
            _ => return Err(Error::input(Msg::new("error-not-consent"))),
        };
        let dir = self.directories.get().await?;
        // Signature first (an altered code is "not genuine"), then the day and time policy,
        // refused in words that say which rule, then the expiry.
        let verified = code
            .verify(&dir, self.ground.clock.minute())
            .map_err(|e| match e {
                spur_protocol::ProtocolError::InvalidField {
                    field: "consent code",
                    ..
                } => policy_refusal(e),
                e => e.into(),
            })?;
        let today = self.ground.clock.minute().day();
        if verified.code.last_day().is_none_or(|last| last > today) {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-future"),
            ));
        }
        if self.ground.db.lock()?.consent_used(&verified.code.nonce)? {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-used"),
            ));
        }
        Ok(verified)
    }

    /// Verifies a scanned consent code and says who asks for what. Refusals are
    /// [`ErrorKind::ConsentRefused`] with a message naming the reason.
    pub(crate) async fn request(&self, text: &str) -> Result<ConsentRequest> {
        let v = self.verify_consent(text).await?;
        Ok(ConsentRequest {
            authority: v.authority.name.clone(),
            case_id: v.code.case_id.clone(),
            days: v.code.day_list().collect(),
            expires: v.code.expires.0,
        })
    }

    /// Releases exactly the days the code asks for, after the user entered phone number and
    /// secret again (they must give this device's key) and the code's person check matches that
    /// phone number (a code made for another person is refused). Queues the release.
    pub(crate) async fn give(&self, text: &str, phone: &str, secret: String) -> Result<()> {
        let secret = Zeroizing::new(secret);
        let verified = self.verify_consent(text).await?;
        let account = self.registration.account()?;
        let (account, stored_usr) = (account.row, account.usr);
        let phone = check_phone(phone)?;
        let usr = derive_usr(phone.clone(), secret, self.ground.config.kdf.cost()).await?;
        let same: bool = usr.expose().ct_eq(stored_usr.expose()).into();
        if !same {
            return Err(Error::new(
                ErrorKind::WrongCredentials,
                Msg::new("error-wrong-credentials"),
            ));
        }
        if !verified.code.is_for(&phone) {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-person"),
            ));
        }
        let own = self.codes.personal_keys()?;
        let release = build_consent_release(
            &mut OsRng,
            &self.ground.config.op_key,
            &verified,
            &Releaser {
                usr: &usr,
                home_authority: account.home_authority,
                phone: &phone,
                own_codes: &own,
            },
        )?;
        let now = self.ground.clock.unix_seconds();
        let mut store = self.ground.db.lock()?;
        let tx = store.conn.transaction()?;
        let fresh = tx.execute(
            "INSERT OR IGNORE INTO used_consent (nonce, used) VALUES (?1, ?2)",
            rusqlite::params![verified.code.nonce, now],
        )?;
        if fresh == 0 {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-used"),
            ));
        }
        outbox::queue(&tx, ROUTE_CONSENT, &release, None, now)?;
        tx.commit()?;
        Ok(())
    }
}

/// A code outside the day and time policy, refused with the protocol's reason.
fn policy_refusal(e: spur_protocol::ProtocolError) -> Error {
    let reason = match e {
        spur_protocol::ProtocolError::InvalidField { reason, .. } => reason,
        _ => "is outside the rules for consent codes",
    };
    Error::new(
        ErrorKind::ConsentRefused,
        Msg::new("consent-refused-policy").text("reason", reason),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_to_dates() {
        assert_eq!(day_text(Day(0)), "1970-01-01");
        assert_eq!(day_text(Day(20_777)), "2026-11-20");
        assert_eq!(day_text(Day(11_016)), "2000-02-29");
    }
}
