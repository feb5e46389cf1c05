//! The desk web application (`spur authority serve`): server-rendered pages for the tracer, over
//! the same desk library the CLI uses (`workflow`, `calls`, `code`, `card`, `contacts`). It
//! listens on loopback only (unless told otherwise on purpose), loads nothing from elsewhere
//! (CSS and JS are compiled in), sends a strict Content-Security-Policy, and needs a staff login.
//! The desk's keys stay in this process: pages show case data, never key material.

pub mod assets;
pub mod contacts;
pub mod headers;
pub mod lang;
pub mod pages;
pub mod session;
pub mod staff;
pub mod words;

use spur_i18n::Msg;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::routing::{get, post};
use axum::Router;

use crate::error::{DeskError, Result};
use crate::Desk;

/// How the web desk is served.
pub struct ServeOptions {
    /// Address to listen on (loopback unless `allow_remote`).
    pub listen: SocketAddr,
    /// Serve on a non-loopback address: only behind a TLS proxy the office runs.
    pub allow_remote: bool,
    /// The service's host name in consent codes.
    pub host: String,
    /// Hours a consent code stays valid.
    pub valid_hours: u32,
    /// The cost of a card's PIN derivation (the real one, except in tests).
    pub kdf: spur_protocol::usr::KdfCost,
    /// Asks the POST server whether a PIN card's PIN is right (None: PIN cards are refused).
    pub pin_check: Option<PinCheck>,
    /// Sends a card's signed history request to the TAG server and returns its answer (None:
    /// the tracer sends the downloaded request and uploads the answer).
    pub tag_send: Option<TagSend>,
}

/// Sends a signed TMP-history request to the TAG server and returns its answer (not yet
/// verified: the page verifies every key against the pinned TAG key before it keeps any).
pub type TagSend = Box<dyn Fn(&[u8]) -> Result<Vec<u8>> + Send + Sync>;

/// Asks the POST server whether the PIN-derived TAG key is the card's.
pub type PinCheck = Box<
    dyn Fn(&spur_protocol::tag::QrId, &spur_protocol::tag::TagKey) -> Result<crate::card::PinAnswer>
        + Send
        + Sync,
>;

/// What every handler shares.
pub struct AppState {
    /// The open desk (keys stay here); one step at a time.
    pub desk: Mutex<Desk>,
    /// The desk folder.
    pub dir: PathBuf,
    /// Sessions and failed-login counters.
    pub sessions: Mutex<session::Sessions>,
    /// The words.
    pub texts: crate::texts::Texts,
    /// Options.
    pub host: String,
    /// Hours a consent code stays valid.
    pub valid_hours: u32,
    /// The cost of a card's PIN derivation.
    pub kdf: spur_protocol::usr::KdfCost,
    /// The POST server's PIN check.
    pub pin_check: Option<PinCheck>,
    /// The TAG server's history answer, asked directly.
    pub tag_send: Option<TagSend>,
}

/// The shared state's handle.
pub type Shared = Arc<AppState>;

/// Refuses a non-loopback address unless `allow_remote`: the pages carry phone numbers and the
/// server speaks plain HTTP, so anything beyond this machine needs a TLS proxy the office runs.
pub fn check_listen(listen: &SocketAddr, allow_remote: bool) -> Result<()> {
    if listen.ip().is_loopback() || allow_remote {
        Ok(())
    } else {
        Err(DeskError::refused(
            Msg::new("desk-err-not-loopback").text("listen", listen.to_string()),
        ))
    }
}

/// The folder where files for the vault (and consent sheets) of a case wait for download.
pub fn outbox(dir: &Path, authority: u16, case_id: &str) -> PathBuf {
    dir.join("outbox")
        .join(format!("{authority}-{}", crate::case::safe(case_id)))
}

/// The router of every page.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang", post(pages::set_lang))
        .route("/cases", post(pages::open_case))
        .route("/cases/{authority}/{case}", get(pages::case_page))
        .route("/cases/{authority}/{case}/calls", post(pages::set_call))
        .route(
            "/cases/{authority}/{case}/files/{name}",
            get(pages::download),
        )
        .route("/import", get(pages::import_form).post(pages::import))
        .route("/card", get(pages::card_form).post(pages::card_request))
        .route("/card/trace", post(pages::card_trace))
        .route("/audit", get(pages::audit))
        .route("/assets/desk.css", get(assets::css))
        .route("/assets/desk.js", get(assets::js))
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(pages::MAX_UPLOAD))
        .layer(axum::middleware::from_fn(headers::secure))
        .with_state(state)
}

/// Opens the desk in `dir` and serves its pages until the process ends; `ready` is called with
/// the bound address (the CLI prints it).
pub fn serve(dir: &Path, opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    check_listen(&opts.listen, opts.allow_remote)?;
    let desk = Desk::open(dir)?;
    if staff::names(dir)?.is_empty() {
        return Err(DeskError::refused(Msg::new("desk-err-no-staff")));
    }
    sweep_outbox(dir)?;
    let state = Arc::new(AppState {
        desk: Mutex::new(desk),
        dir: dir.to_owned(),
        sessions: Mutex::new(session::Sessions::default()),
        texts: crate::texts::Texts::new(),
        host: opts.host,
        valid_hours: opts.valid_hours,
        kdf: opts.kdf,
        pin_check: opts.pin_check,
        tag_send: opts.tag_send,
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| DeskError::io(dir, e))?;
    rt.block_on(async move {
        let l = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|e| DeskError::io(dir, e))?;
        let addr = l.local_addr().map_err(|e| DeskError::io(dir, e))?;
        crate::audit::record_in(
            dir,
            "web-serve",
            serde_json::json!({ "listen": addr.to_string() }),
        )?;
        ready(addr);
        axum::serve(l, router(state))
            .await
            .map_err(|e| DeskError::io(dir, e))
    })
}

/// Deletes files waiting for download that are older than the case retention (28 days).
fn sweep_outbox(dir: &Path) -> Result<()> {
    let root = dir.join("outbox");
    let Ok(rd) = std::fs::read_dir(&root) else {
        return Ok(());
    };
    let now = std::time::SystemTime::now();
    for e in rd.flatten() {
        crate::retention::sweep_dir(&e.path(), &[".spkg", ".png", ".pdf", ".code", ".bin"], now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_asked() {
        let local: SocketAddr = "127.0.0.1:8470".parse().unwrap();
        let local6: SocketAddr = "[::1]:8470".parse().unwrap();
        let lan: SocketAddr = "192.168.1.5:8470".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8470".parse().unwrap();
        assert!(check_listen(&local, false).is_ok());
        assert!(check_listen(&local6, false).is_ok());
        for a in [lan, any] {
            let e = check_listen(&a, false).unwrap_err().to_string();
            assert!(e.contains("--allow-remote"), "{e}");
            assert!(check_listen(&a, true).is_ok());
        }
    }
}
