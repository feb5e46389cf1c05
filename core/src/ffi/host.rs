//! What a Rust host (the `spur` CLI, its demo) may hand the facade beside what the shells give:
//! its own network and clock, and in debug builds the cheap test KDF. None of it is exported to
//! Kotlin or Swift; the shells always get HTTPS, the system clock and the real Argon2id cost.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use spur_protocol::tag::{Blinded, Evaluation, QrCommitment, QrId};
use spur_protocol::time::Slot;

pub use crate::clock::{Clock, SystemClock};
use crate::http::HttpTransport;
pub use crate::transport::{NetError, Transport};

use crate::config::KdfChoice;

/// A network call's answer, boxed so that [`Network`] can be a trait object.
pub type NetFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, NetError>> + Send + 'a>>;

/// The servers as the facade reaches them: every [`Transport`] is one (the HTTP client, or a
/// host's wrapper around it such as the demo's phone that goes offline).
pub trait Network: Send + Sync + 'static {
    /// [`Transport::directory`].
    fn directory(&self) -> NetFuture<'_, Vec<u8>>;
    /// [`Transport::qr_ids`].
    fn qr_ids(&self, commitments: Vec<QrCommitment>) -> NetFuture<'_, Vec<QrId>>;
    /// [`Transport::pin_check`].
    fn pin_check(&self, id: QrId, check: [u8; 32]) -> NetFuture<'_, bool>;
    /// [`Transport::tmp_keys`].
    fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> NetFuture<'_, Vec<(Slot, Evaluation)>>;
    /// [`Transport::upload`].
    fn upload<'a>(&'a self, route: &'a str, body: Vec<u8>) -> NetFuture<'a, ()>;
}

impl<T: Transport> Network for T {
    fn directory(&self) -> NetFuture<'_, Vec<u8>> {
        Box::pin(Transport::directory(self))
    }
    fn qr_ids(&self, commitments: Vec<QrCommitment>) -> NetFuture<'_, Vec<QrId>> {
        Box::pin(Transport::qr_ids(self, commitments))
    }
    fn pin_check(&self, id: QrId, check: [u8; 32]) -> NetFuture<'_, bool> {
        Box::pin(Transport::pin_check(self, id, check))
    }
    fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> NetFuture<'_, Vec<(Slot, Evaluation)>> {
        Box::pin(Transport::tmp_keys(self, blinded, slots))
    }
    fn upload<'a>(&'a self, route: &'a str, body: Vec<u8>) -> NetFuture<'a, ()> {
        Box::pin(Transport::upload(self, route, body))
    }
}

/// The HTTPS client the shells get, for a host that wraps it (the demo's phone that goes
/// offline); errors worded in English.
pub fn https(tag_url: &str, post_url: &str) -> Result<Arc<dyn Network>, super::SpurError> {
    let english =
        |m: &crate::texts::Msg| crate::texts::Texts::new().format(crate::texts::Lang::En, m);
    HttpTransport::new(tag_url, post_url)
        .map(|h| Arc::new(h) as Arc<dyn Network>)
        .map_err(|e| super::SpurError::from_core(e, english))
}

/// The facade's transport: whatever [`Network`] the host chose.
pub(crate) struct Net(pub(crate) Arc<dyn Network>);

impl Transport for Net {
    async fn directory(&self) -> Result<Vec<u8>, NetError> {
        self.0.directory().await
    }
    async fn qr_ids(&self, commitments: Vec<QrCommitment>) -> Result<Vec<QrId>, NetError> {
        self.0.qr_ids(commitments).await
    }
    async fn pin_check(&self, id: QrId, check: [u8; 32]) -> Result<bool, NetError> {
        self.0.pin_check(id, check).await
    }
    async fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> Result<Vec<(Slot, Evaluation)>, NetError> {
        self.0.tmp_keys(blinded, slots).await
    }
    async fn upload(&self, route: &str, body: Vec<u8>) -> Result<(), NetError> {
        self.0.upload(route, body).await
    }
}

/// A Rust host's choices for `Spur::with_host`.
#[derive(Clone)]
pub struct Host {
    /// The servers; `None` is HTTPS to the configured URLs, as in the shells.
    pub net: Option<Arc<dyn Network>>,
    /// "Now"; the shells get [`SystemClock`].
    pub clock: Arc<dyn Clock>,
    /// Derive keys from secrets and PINs with the protocol's cheap test cost (`TEST_KDF`).
    /// Exists only in debug builds: see [`kdf`].
    #[cfg(debug_assertions)]
    pub cheap_kdf: bool,
}

impl Default for Host {
    fn default() -> Self {
        Self {
            net: None,
            clock: Arc::new(SystemClock),
            #[cfg(debug_assertions)]
            cheap_kdf: false,
        }
    }
}

/// The environment variable that selects the cheap test KDF in debug builds (the Kotlin and
/// Robolectric tests, which make `Spur` through the generated bindings, set it).
#[cfg(debug_assertions)]
pub const TEST_KDF_VAR: &str = "SPUR_TEST_KDF";

/// The Argon2id cost of this process.
///
/// A cheap cost would let anyone holding the operator's data guess secrets and PINs quickly, so
/// no release build can choose it: the field and the variable that select it are compiled only
/// with `debug_assertions`, which every release profile turns off (`cargo build --release`,
/// android/build-native.sh, scripts/build-xcframework.sh). A release build always derives with
/// the protocol's real cost, whatever the host or the environment says.
pub(crate) fn kdf(host: &Host) -> KdfChoice {
    #[cfg(debug_assertions)]
    if host.cheap_kdf || std::env::var_os(TEST_KDF_VAR).is_some_and(|v| v == "1") {
        return KdfChoice::Test;
    }
    let _ = host;
    KdfChoice::Standard
}

#[cfg(all(test, debug_assertions))]
mod tests {
    use super::*;

    #[test]
    fn the_cheap_cost_is_chosen_only_when_asked() {
        let cheap = Host {
            cheap_kdf: true,
            ..Host::default()
        };
        assert_eq!(kdf(&cheap), KdfChoice::Test);
        if std::env::var_os(TEST_KDF_VAR).is_none() {
            assert_eq!(kdf(&Host::default()), KdfChoice::Standard);
        }
    }
}
