//! Harness of the core's integration tests: real servers, a clock shared by app and servers,
//! and a transport that can be switched offline or made to lose the server's answers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

pub mod servers;
pub mod world;

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use spur_core::http::HttpTransport;
use spur_core::transport::{NetError, Transport};
use spur_core::App;
use spur_core::RegistrationForm;
use spur_core::Store;
use spur_core::{Config, KdfChoice};
use spur_protocol::tag::{Blinded, Evaluation, QrId};
use spur_protocol::time::Slot;

#[allow(unused_imports)] // each test file uses a different part
pub use servers::{Servers, HOST, MUNICH};

/// 2026-11-20 12:00 UTC.
pub const T0: u64 = 20_777 * 86_400 + 12 * 3600;

/// One clock for the app and both servers.
#[derive(Clone, Default)]
pub struct SharedClock(Arc<AtomicU64>);

impl SharedClock {
    pub fn new(t: u64) -> Self {
        Self(Arc::new(AtomicU64::new(t)))
    }
    pub fn advance(&self, secs: u64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
    pub fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl spur_core::Clock for SharedClock {
    fn unix_seconds(&self) -> u64 {
        self.now()
    }
}

/// The real HTTP transport behind a switch.
pub struct Switch {
    inner: HttpTransport,
    pub online: AtomicBool,
    /// Send uploads but report them failed, as when the answer is lost on the way back.
    pub lose_answers: AtomicBool,
    pub uploads_sent: AtomicU32,
}

/// A shared handle to a [`Switch`].
#[derive(Clone)]
pub struct Net(pub Arc<Switch>);

impl Net {
    pub fn new(s: &Servers) -> Self {
        Self(Arc::new(Switch {
            inner: HttpTransport::new(&s.tag_url, &s.post_url).unwrap(),
            online: AtomicBool::new(true),
            lose_answers: AtomicBool::new(false),
            uploads_sent: AtomicU32::new(0),
        }))
    }
    pub fn set_online(&self, on: bool) {
        self.0.online.store(on, Ordering::SeqCst);
    }
    fn up(&self) -> Result<(), NetError> {
        if self.0.online.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(NetError::Offline)
        }
    }
}

impl Transport for Net {
    async fn directory(&self) -> Result<Vec<u8>, NetError> {
        self.up()?;
        self.0.inner.directory().await
    }
    async fn qr_ids(
        &self,
        commitments: Vec<spur_protocol::tag::QrCommitment>,
    ) -> Result<Vec<QrId>, NetError> {
        self.up()?;
        self.0.inner.qr_ids(commitments).await
    }
    async fn pin_check(&self, id: QrId, check: [u8; 32]) -> Result<bool, NetError> {
        self.up()?;
        self.0.inner.pin_check(id, check).await
    }
    async fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> Result<Vec<(Slot, Evaluation)>, NetError> {
        self.up()?;
        self.0.inner.tmp_keys(blinded, slots).await
    }
    async fn upload(&self, route: &str, body: Vec<u8>) -> Result<(), NetError> {
        self.up()?;
        let r = self.0.inner.upload(route, body).await;
        self.0.uploads_sent.fetch_add(1, Ordering::SeqCst);
        if r.is_ok() && self.0.lose_answers.load(Ordering::SeqCst) {
            return Err(NetError::Offline);
        }
        r
    }
}

/// The app's configuration for `s`.
pub fn config(s: &Servers) -> Config {
    Config::parse(
        HOST,
        &s.tag_url,
        &s.post_url,
        &s.op_hex(),
        &s.root_hex(),
        KdfChoice::Test,
    )
    .unwrap()
}

/// An app over the database file `db` (created if missing).
pub fn open_app(db: &std::path::Path, s: &Servers, net: &Net, clock: &SharedClock) -> App<Net> {
    let store = Store::open(db).unwrap();
    App::new(
        store,
        &[42u8; 32],
        net.clone(),
        Arc::new(clock.clone()),
        config(s),
    )
    .unwrap()
}

/// A registration form for a Munich resident.
pub fn form(phone: &str) -> RegistrationForm {
    RegistrationForm {
        phone: phone.into(),
        secret: zeroize::Zeroizing::new("ballot-quarry-tiptoe-lantern-minnow".into()),
        country: "DE".into(),
        postcode: Some("80331".into()),
        campus_id: None,
        birth_year: Some(1990),
    }
}
