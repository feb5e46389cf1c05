//! `spur server pull`: fetches export pages from a POST server into numbered files the vault
//! imports offline, each written atomically (temporary file, fsync, rename) and checked against
//! its end frame before it counts; the next cursor is kept in `DIR/cursor` so pulls resume.
//!
//! Retention: export files hold every record the server has (OP-sealed). Before it pulls, the
//! pull deletes the files of `DIR` the vault has imported (`spur vault import` leaves a
//! `NAME.imported` mark next to each) and those written more than 28 days ago.
//!
//! Transport: reqwest with rustls, so the server may be `https://`; plain `http://` is refused
//! unless the host is loopback (a tunnel), so the bearer token never crosses a network in clear.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use reqwest::{StatusCode, Url};
use spur_protocol::export::parse;
use spur_wire::api::post::ExportQuery;

/// Options of `spur server pull`.
#[derive(clap::Args, Clone, Debug)]
pub struct PullArgs {
    /// The POST server: `https://host[:port]`, or `http://` (or a bare `host:port`) on a loopback
    /// address only, since the bearer token must not cross a network in clear.
    #[arg(long)]
    pub server: String,
    /// File with the export bearer token.
    #[arg(long)]
    pub token_file: PathBuf,
    /// Directory the export files and the cursor go to.
    #[arg(long)]
    pub dir: PathBuf,
    /// Rows per page.
    #[arg(long, default_value_t = 100_000)]
    pub page: usize,
}

/// Why a POST server address is refused before anything is sent.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ServerUrlError {
    /// Not a URL (nor `host:port`).
    #[error("{0:?} is not a server address (https://host[:port], or http:// on loopback)")]
    Invalid(String),
    /// Plain HTTP to a host that is not loopback: the bearer token would travel in clear.
    #[error(
        "refusing to send the export token over plain http to {host}: use https://, or http:// \
         to a loopback address (127.0.0.1, ::1, localhost) through a tunnel"
    )]
    PlainHttpNotLoopback {
        /// The host named.
        host: String,
    },
    /// A scheme other than http and https.
    #[error("{0:?}: only https:// (or http:// on loopback) is supported")]
    Scheme(String),
}

/// The base URL of the POST server: `https://…`, or `http://…` to a loopback host (a bare
/// `host:port` means `http://host:port`).
pub fn server_url(server: &str) -> Result<Url, ServerUrlError> {
    let text = server.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| ServerUrlError::Invalid(text.to_owned()))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| ServerUrlError::Invalid(text.to_owned()))?
        .to_owned();
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&host) => Ok(url),
        "http" => Err(ServerUrlError::PlainHttpNotLoopback { host }),
        other => Err(ServerUrlError::Scheme(other.to_owned())),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Marker the vault's import leaves next to an export file it imported.
pub const IMPORTED_MARK: &str = ".imported";

/// Deletes the export files in `dir` that the vault imported (a `NAME.imported` mark next to
/// them) or that were written more than 28 days before `now`, with their marks; returns how many
/// export files went.
pub fn sweep(dir: &Path, now: std::time::SystemTime) -> anyhow::Result<usize> {
    let limit =
        std::time::Duration::from_secs(u64::from(spur_protocol::time::RETENTION_DAYS) * 86_400);
    let mut gone = 0;
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in rd {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "spurx") {
            continue;
        }
        let mut mark = path.clone().into_os_string();
        mark.push(IMPORTED_MARK);
        let mark = PathBuf::from(mark);
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > limit);
        if old || mark.exists() {
            std::fs::remove_file(&path).with_context(|| format!("deleting {}", path.display()))?;
            let _ = std::fs::remove_file(&mark);
            gone += 1;
        }
    }
    Ok(gone)
}

/// The clock of the pull (moved by the test hook like every spur process).
fn now() -> std::time::SystemTime {
    let m = spur_protocol::time::Clock::minute(&spur_protocol::time::SystemClock);
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::from(m.0) * 60)
}

/// Pulls until the server has no more rows; returns the number of files written. `on_file`
/// hears the row count of each file written (the command prints it; libraries stay quiet).
pub async fn pull(args: &PullArgs, mut on_file: impl FnMut(usize)) -> anyhow::Result<usize> {
    std::fs::create_dir_all(&args.dir)?;
    let token = std::fs::read_to_string(&args.token_file)
        .with_context(|| format!("reading {}", args.token_file.display()))?;
    let cursor_file = args.dir.join("cursor");
    let mut cursor = std::fs::read_to_string(&cursor_file).unwrap_or_default();
    let base = server_url(&args.server)?;
    let client = reqwest::Client::builder()
        .user_agent("spur-server-pull")
        .connect_timeout(std::time::Duration::from_secs(10))
        .build()
        .context("building the HTTP client")?;
    let mut files = 0;
    loop {
        let query = ExportQuery {
            cursor: Some(cursor.trim().to_owned()).filter(|c| !c.is_empty()),
            limit: Some(args.page),
        };
        let url = base
            .join(&query.path())
            .context("building the export URL")?;
        let resp = client
            .get(url)
            .bearer_auth(token.trim())
            .send()
            .await
            .context("requesting the export")?;
        let status = resp.status();
        let body = resp.bytes().await.context("reading the export")?;
        if status != StatusCode::OK {
            bail!(
                "the server refused the export: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let file = parse(&body).context("checking the export file")?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        write_atomic(&args.dir, &format!("export-{stamp:024}.spurx"), &body)?;
        write_atomic(&args.dir, "cursor", file.cursor.as_bytes())?;
        files += 1;
        on_file(file.rows.len());
        cursor = file.cursor;
        if !file.more {
            return Ok(files);
        }
    }
}

/// Runs `spur server pull`.
pub fn run(args: PullArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let swept = sweep(&args.dir, now())?;
    if swept > 0 {
        println!("deleted {swept} export file(s) imported by the vault or older than 28 days");
    }
    let n = rt.block_on(pull(&args, |rows| {
        println!("export file with {rows} rows written")
    }))?;
    println!("{n} export file(s) in {}", args.dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_over_https_or_to_loopback_only() {
        for ok in [
            "https://post.spur.example",
            "https://post.spur.example:8443/",
            "http://127.0.0.1:8082",
            "127.0.0.1:8082",
            "http://127.8.9.10:1",
            "http://localhost:8082",
            "http://[::1]:8082",
            "[::1]:8082",
        ] {
            assert!(server_url(ok).is_ok(), "{ok}");
        }
        for (bad, host) in [
            ("http://10.0.0.5:8082", "10.0.0.5"),
            ("192.168.1.2:8082", "192.168.1.2"),
            ("http://post.spur.example", "post.spur.example"),
            ("http://127.0.0.1.evil.example", "127.0.0.1.evil.example"),
        ] {
            assert_eq!(
                server_url(bad),
                Err(ServerUrlError::PlainHttpNotLoopback { host: host.into() }),
                "{bad}"
            );
        }
        assert!(matches!(
            server_url("ftp://x"),
            Err(ServerUrlError::Scheme(_))
        ));
        assert!(matches!(
            server_url("http://"),
            Err(ServerUrlError::Invalid(_))
        ));
    }

    #[test]
    fn the_export_url_carries_the_query_the_server_reads() {
        let base = server_url("127.0.0.1:8082").unwrap();
        let q = ExportQuery {
            cursor: Some("AQAATj0BIA".into()),
            limit: Some(10),
        };
        assert_eq!(
            base.join(&q.path()).unwrap().as_str(),
            "http://127.0.0.1:8082/v1/export?limit=10&cursor=AQAATj0BIA"
        );
    }
}
