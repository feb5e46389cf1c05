//! The demo's stage: one simulated clock, the operator's vault and two health-authority desks on
//! disk, the signed directory, and the TAG and POST servers running on 127.0.0.1.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use rand_chacha::ChaCha20Rng;
use spur_authority::entry::RangeEntry;
use spur_authority::Desk;
use spur_protocol::directory::Directory;
use spur_protocol::tag::TagServerSecret;
use spur_protocol::time::Minute;
use spur_server::limits::Limits;
use spur_server::post::{ExportToken, PostState};
use spur_server::store::sqlite::SqliteStore;
use spur_server::tag::TagState;
use spur_vault::Vault;

/// The host printed in every code of the demo.
pub const HOST: &str = "spur.demo";
/// The two authorities: id, name, postcode range.
pub const AUTHORITIES: [(u16, &str, &str); 2] = [
    (1, "Gesundheitsamt München", "DE:80000-81999"),
    (2, "Gesundheitsamt Berlin", "DE:10000-14999"),
];

/// One clock for the app core and both servers (they share the protocol's clock trait), moved
/// by the simulation.
#[derive(Clone, Default)]
pub struct SimClock(Arc<AtomicU64>);

impl SimClock {
    /// Sets the time to a minute.
    pub fn set(&self, m: Minute) {
        self.0.store(m.unix_seconds(), Ordering::SeqCst);
    }
    /// The current minute.
    pub fn now(&self) -> Minute {
        Minute::from_unix_seconds(self.0.load(Ordering::SeqCst))
    }
}

impl spur_core::ffi::Clock for SimClock {
    fn unix_seconds(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Everything that runs before the first citizen arrives.
pub struct Stage {
    /// The simulated clock.
    pub clock: SimClock,
    /// Where every file of the demo lives.
    pub dir: PathBuf,
    /// The operator's vault (offline).
    pub vault: Vault,
    /// The authorities' desks, by id.
    pub desks: Vec<Desk>,
    /// The verified directory.
    pub directory: Directory,
    /// TAG server base URL.
    pub tag_url: String,
    /// POST server address.
    pub post_addr: SocketAddr,
    /// The POST server's store (the demo reads its size for the report).
    pub post_store: Arc<SqliteStore>,
    /// File holding the export token the vault side uses to pull.
    pub token_file: PathBuf,
    servers: Vec<spur_server::serve::Loopback>,
}

impl Stage {
    /// Creates keys, signs and pins the directory, starts both servers.
    pub async fn start(dir: &Path, rng: &mut ChaCha20Rng, start: Minute) -> Result<Self> {
        let clock = SimClock::default();
        clock.set(start);
        let vault_dir = dir.join("vault");
        Vault::init(&vault_dir, rng).context("creating the operator's vault")?;
        let mut vault = Vault::open(&vault_dir)?;
        let mut entries = Vec::new();
        for (id, name, range) in AUTHORITIES {
            let e = Desk::init(
                &dir.join(format!("authority-{id}")),
                rng,
                id,
                name,
                vec![RangeEntry::parse(range)?],
            )?;
            entries.push(e.to_authority()?);
        }
        // A fresh TAG secret; its POPRF public key goes into the signed directory.
        let secret = TagServerSecret::random(rng);
        let directory = Directory {
            serial: 1,
            issued: start,
            tag_key: secret.tmp_deriver()?.public(),
            default_authority: 1,
            authorities: entries,
        };
        let signed = vault.sign_directory(&directory)?;
        let mut desks = Vec::new();
        for (id, _, _) in AUTHORITIES {
            let d = dir.join(format!("authority-{id}"));
            Desk::pin(
                &d,
                &vault_dir.join("root.pub"),
                &vault_dir.join("directory.bin"),
                &vault_dir.join("op.pub"),
            )?;
            desks.push(Desk::open(&d)?);
        }

        // The servers: a fresh TAG secret, SQLite for the POST server, an export token.
        let limits = Limits {
            rate: None,
            ..Limits::default()
        };
        let server_clock: Arc<dyn spur_server::clock::Clock> = Arc::new(clock.clone());
        // The TAG server checks authorities' signed history requests (a card-only case) against
        // the same signed directory.
        let history: Arc<dyn spur_server::tag::HistoryVerifier> = Arc::new(
            spur_server::tag::history::DirectoryVerifier::new(&signed, &vault.root_public())?,
        );
        let tag_state = TagState::new(
            secret,
            server_clock.clone(),
            24,
            Some(signed),
            Some(history),
            &limits,
        )?;
        let post_store = Arc::new(SqliteStore::open(&dir.join("post-server.sqlite"))?);
        let token = data_encoding::HEXLOWER.encode(&rand_bytes(rng));
        let token_file = dir.join("export-token");
        std::fs::write(&token_file, &token)?;
        // The POST server signs its export files (key and `.pub` next to its store, as
        // `spur server post` does); the vault pins the public key before its first import.
        let export_key = dir.join("export-sign.key");
        let signer = Arc::new(
            spur_server::run::load_export_key(&export_key)
                .context("creating the POST server's export key")?,
        );
        vault
            .pin_post_key(&dir.join("export-sign.key.pub"))
            .context("pinning the POST server's export key")?;
        let post_state = PostState {
            store: post_store.clone(),
            clock: server_clock,
            limits: limits.clone(),
            export_token: ExportToken::new(&token).map(|t| t.with_signer(signer)),
            pins: Arc::new(spur_server::post::pin::Pins::ephemeral()),
        };
        let tag = spur_server::serve::spawn_on_loopback(
            spur_server::tag::router(tag_state, &limits),
            &limits,
        )
        .await?;
        let post =
            spur_server::serve::spawn_on_loopback(spur_server::post::router(post_state), &limits)
                .await?;
        Ok(Self {
            clock,
            dir: dir.to_owned(),
            vault,
            desks,
            directory,
            tag_url: format!("http://{}", tag.addr),
            post_addr: post.addr,
            post_store,
            token_file,
            servers: vec![tag, post],
        })
    }

    /// The desk of authority `id`.
    pub fn desk(&self, id: u16) -> Result<&Desk> {
        self.desks
            .iter()
            .find(|d| d.id == id)
            .context("no such authority")
    }

    /// POST server base URL.
    pub fn post_url(&self) -> String {
        format!("http://{}", self.post_addr)
    }

    /// Stops both servers; they finish what they accepted.
    pub fn stop(&mut self) {
        for s in self.servers.drain(..) {
            s.stop();
        }
    }
}

fn rand_bytes(rng: &mut ChaCha20Rng) -> [u8; 32] {
    let mut b = [0u8; 32];
    rand_core::RngCore::fill_bytes(rng, &mut b);
    b
}
