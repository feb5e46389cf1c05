//! Logging in again on a new device: the same phone number and secret give the same key, so the
//! registration is simply uploaded again. A mistyped secret would give another key and silently
//! a new identity; so before anything is kept, the POST server is asked whether a registration
//! exists under the derived registration secret (`POST /v1/registrations/check`, docs/protocol.md),
//! and an unknown one is told, never registered.

use spur_protocol::record::registration::build_delete;
use zeroize::Zeroizing;

use crate::app::App;
use crate::error::{Error, ErrorKind, Result};
use crate::register::{check_phone, derive_usr, RegistrationForm};
use crate::texts::Msg;
use crate::transport::{NetError, Transport};

/// Route of the registration check.
pub const ROUTE_REGISTRATION_CHECK: &str = spur_wire::api::routes::REGISTRATIONS_CHECK;

impl<T: Transport> App<T> {
    /// Logs in again with an existing registration: refused with
    /// [`ErrorKind::WrongCredentials`] when the server knows no registration for these
    /// credentials (a mistyped secret, or never registered), and with [`ErrorKind::Offline`]
    /// when it cannot be asked. Nothing is kept in either case. Otherwise as
    /// [`App::register`] (true when the upload was sent).
    pub async fn login(&self, form: RegistrationForm) -> Result<bool> {
        self.ensure_unlocked()?;
        let phone = check_phone(&form.phone)?;
        let secret = Zeroizing::new(form.secret.as_str().to_owned());
        let usr = derive_usr(phone, secret, self.config.kdf.cost()).await?;
        let body = build_delete(&usr.registration_secret()?);
        drop(usr);
        match self.net.upload(ROUTE_REGISTRATION_CHECK, body).await {
            Ok(()) => {}
            Err(NetError::Refused { code, .. }) if code == "not_registered" => {
                return Err(Error::new(
                    ErrorKind::WrongCredentials,
                    Msg::new("error-login-unknown"),
                ))
            }
            Err(NetError::Offline | NetError::Busy { .. }) => {
                return Err(Error::new(
                    ErrorKind::Offline,
                    Msg::new("error-login-offline"),
                ))
            }
            Err(e) => return Err(e.into()),
        }
        self.register(form).await
    }
}
