//! Real TAG and POST servers on 127.0.0.1 for the core's tests and the Kotlin scenario, started
//! through the `spur-server` library with a fresh operator, directory and two authorities.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

use std::sync::Arc;

use rand_core::OsRng;
use spur_protocol::consent::ConsentCode;
use spur_protocol::directory::Directory;
use spur_protocol::keys::{AuthorityKeys, SealSecretKey, SignSecretKey};
use spur_protocol::qr::{Code, Payload};
use spur_protocol::time::{Day, Minute};
use spur_server::clock::Clock;
use spur_server::limits::Limits;
use spur_server::post::PostState;
use spur_server::store::sqlite::SqliteStore;
use spur_server::store::Store;
use spur_server::tag::TagState;

/// The host the test codes name.
pub const HOST: &str = "spur.test";
#[allow(unused_imports)] // not every test uses both towns
pub use spur_testkit::towns::BERLIN;
/// Authority ids.
pub use spur_testkit::towns::MUNICH;

/// Two running servers and every key of the world around them.
pub struct Servers {
    pub tag_url: String,
    pub post_url: String,
    pub op: SealSecretKey,
    pub root: SignSecretKey,
    pub auth: Vec<AuthorityKeys>,
    pub dir: Directory,
    pub store: Arc<SqliteStore>,
    servers: Vec<spur_server::serve::Loopback>,
    _data: tempfile::TempDir,
}

impl Servers {
    /// Starts both servers on ephemeral ports with the given server clock.
    pub async fn start(clock: Arc<dyn Clock>) -> Self {
        let op = SealSecretKey::generate(&mut OsRng);
        let root = SignSecretKey::generate(&mut OsRng);
        let auth: Vec<_> = (0..2)
            .map(|_| AuthorityKeys::generate(&mut OsRng))
            .collect();
        let secret = spur_protocol::tag::TagServerSecret::random(&mut OsRng);
        let dir = spur_testkit::towns::directory(
            &auth,
            secret.tmp_deriver().unwrap().public(),
            clock.minute(),
        );
        let signed = dir.sign(&root).unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&data.path().join("post.sqlite")).unwrap());
        let limits = Limits {
            rate: None,
            ..Limits::default()
        };
        let tag_state =
            TagState::new(secret, clock.clone(), 24, Some(signed), None, &limits).unwrap();
        let post_state = PostState {
            store: store.clone(),
            clock,
            limits: limits.clone(),
            export_token: None,
            pins: Arc::new(spur_server::post::pin::Pins::ephemeral()),
        };
        let tag = spur_server::serve::spawn_on_loopback(
            spur_server::tag::router(tag_state, &limits),
            &limits,
        )
        .await
        .unwrap();
        let post =
            spur_server::serve::spawn_on_loopback(spur_server::post::router(post_state), &limits)
                .await
                .unwrap();
        let tag_url = format!("http://{}", tag.addr);
        let post_url = format!("http://{}", post.addr);
        Self {
            tag_url,
            post_url,
            op,
            root,
            auth,
            dir,
            store,
            servers: vec![tag, post],
            _data: data,
        }
    }

    /// OP public key, hex.
    pub fn op_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.op.public().to_bytes())
    }

    /// Directory root key, hex.
    pub fn root_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.root.public().to_bytes())
    }

    /// Records stored on the POST server.
    pub fn stored(&self) -> u64 {
        self.store.count().unwrap()
    }

    /// A consent URL from `authority` (signed with `signer`'s key) for `days` days from `first`.
    pub fn consent_url(
        &self,
        authority: u16,
        signer: usize,
        first: Day,
        days: u8,
        expires: Minute,
        nonce: [u8; 16],
    ) -> String {
        self.consent_url_for(
            "+4915123456789",
            authority,
            signer,
            first,
            days,
            expires,
            nonce,
        )
    }

    /// Like `consent_url`, made for the person with `phone` (issued at the start of its last day,
    /// or a minute before it expires when that is earlier).
    #[allow(clippy::too_many_arguments)]
    pub fn consent_url_for(
        &self,
        phone: &str,
        authority: u16,
        signer: usize,
        first: Day,
        days: u8,
        expires: Minute,
        nonce: [u8; 16],
    ) -> String {
        let last_start = Day(first.0 + u32::from(days) - 1).start();
        let issued = if expires > last_start {
            last_start
        } else {
            Minute(expires.0 - 1)
        };
        let code = ConsentCode::issue(
            &self.auth[signer].sign,
            &spur_protocol::consent::ConsentTerms {
                authority,
                case_id: "M-2026-0042",
                first_day: first,
                days,
                issued,
                expires,
            },
            nonce,
            &spur_protocol::fields::PhoneNumber::parse(phone).unwrap(),
        )
        .unwrap();
        Payload {
            host: HOST.into(),
            code: Code::Consent(code),
        }
        .to_url()
        .unwrap()
    }

    /// Stops both servers (they finish what they accepted).
    pub fn stop(&mut self) {
        for s in self.servers.drain(..) {
            s.stop();
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        self.stop();
    }
}
