//! Consent: verify a scanned consent code against the pinned directory (signature, day and time
//! policy, no day after today, expiry, used before), show who asks for which days, take the
//! credentials, check the code was made for this person, release exactly those days.
//!
//! The release is sealed to the authority's key from the directory, never to a key carried by the
//! code; its AUTH part carries the phone number entered with the credentials, which the desk
//! compares with its case register. The nonce is marked used in the same transaction that queues
//! the release.

use rand_core::OsRng;
use spur_protocol::consent::{ConsentCode, VerifiedConsent};
use spur_protocol::qr::Code;
use spur_protocol::record::consent_release::{build_consent_release, Releaser};
use spur_protocol::record::MAX_OWN_CODES;
use spur_protocol::tag::{QrId, TagKey};
use spur_protocol::time::Day;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::app::App;
use crate::codes::OwnCodeSecret;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::register::{check_phone, derive_usr};
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

impl<T: Transport> App<T> {
    async fn verify_consent(&self, text: &str) -> Result<VerifiedConsent> {
        let code: ConsentCode = match self.parse_code(text)? {
            Code::Consent(c) => c,
            _ => return Err(Error::input(Msg::new("error-not-consent"))),
        };
        let dir = self.directory().await?;
        // Signature first (an altered code is "not genuine"), then the day and time policy,
        // refused in words that say which rule, then the expiry.
        let verified = code
            .verify(&dir, self.clock.minute())
            .map_err(|e| match e {
                spur_protocol::ProtocolError::InvalidField {
                    field: "consent code",
                    ..
                } => policy_refusal(e),
                e => e.into(),
            })?;
        let today = self.clock.minute().day();
        if verified.code.last_day().is_none_or(|last| last > today) {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-future"),
            ));
        }
        if self.store()?.consent_used(&verified.code.nonce)? {
            return Err(Error::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-used"),
            ));
        }
        Ok(verified)
    }

    /// Verifies a scanned consent code and says who asks for what. Refusals are
    /// [`ErrorKind::ConsentRefused`] with a message naming the reason.
    pub async fn consent_request(&self, text: &str) -> Result<ConsentRequest> {
        self.ensure_unlocked()?;
        let v = self.verify_consent(text).await?;
        Ok(ConsentRequest {
            authority: v.authority.name.clone(),
            case_id: v.code.case_id.clone(),
            days: v.code.day_list().collect(),
            expires: v.code.expires.0,
        })
    }

    /// The consent text to show above the credentials.
    pub fn consent_text(&self, r: &ConsentRequest) -> Msg {
        let first = r.days.first().map(|d| day_text(*d)).unwrap_or_default();
        let last = r.days.last().map(|d| day_text(*d)).unwrap_or_default();
        Msg::new("consent-text")
            .text("authority", r.authority.clone())
            .text("case", r.case_id.clone())
            .num("days", r.days.len() as f64)
            .text("first", first)
            .text("last", last)
    }

    /// Releases exactly the days the code asks for, after the user entered phone number and
    /// secret again (they must give this device's key) and the code's person check matches that
    /// phone number (a code made for another person is refused). Returns true when the server
    /// has it.
    pub async fn give_consent(&self, text: &str, phone: &str, secret: String) -> Result<bool> {
        self.ensure_unlocked()?;
        let secret = Zeroizing::new(secret);
        let verified = self.verify_consent(text).await?;
        let (account, stored_usr, _) = self.account_secret()?;
        let phone = check_phone(phone)?;
        let usr = derive_usr(phone.clone(), secret, self.config.kdf.cost()).await?;
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
        let own = self.own_personal_codes()?;
        let release = build_consent_release(
            &mut OsRng,
            &self.config.op_key,
            &verified,
            &Releaser {
                usr: &usr,
                home_authority: account.home_authority,
                phone: &phone,
                own_codes: &own,
            },
        )?;
        {
            let mut store = self.store()?;
            let tx = store.conn.transaction()?;
            let fresh = tx.execute(
                "INSERT OR IGNORE INTO used_consent (nonce, used) VALUES (?1, ?2)",
                rusqlite::params![verified.code.nonce, self.now()],
            )?;
            if fresh == 0 {
                return Err(Error::new(
                    ErrorKind::ConsentRefused,
                    Msg::new("consent-refused-used"),
                ));
            }
            outbox::queue(&tx, ROUTE_CONSENT, &release, None, self.now())?;
            tx.commit()?;
        }
        Ok(self.send_due().await?.failed_offline == 0)
    }

    /// This user's personal codes (newest first, at most 8) with their TAG keys.
    fn own_personal_codes(&self) -> Result<Vec<(QrId, TagKey)>> {
        let rows = self.store()?.own_codes()?;
        let mut out = Vec::new();
        for r in rows.iter().filter(|r| r.kind == 2).take(MAX_OWN_CODES) {
            let s: OwnCodeSecret = self.key.open_json(Column::OwnCode, &r.sealed)?;
            let tag: [u8; 16] = data_encoding::HEXLOWER
                .decode(s.tag.as_bytes())
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| Error::internal("own code"))?;
            out.push((QrId(r.qr_id), TagKey::from_bytes(tag)));
        }
        Ok(out)
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
