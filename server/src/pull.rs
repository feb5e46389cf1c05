//! `spur server pull`: fetches export pages from a POST server into numbered files the vault
//! imports offline, each written atomically (temporary file, fsync, rename) and checked against
//! its end frame before it counts; the next cursor is kept in `DIR/cursor` so pulls resume.
//!
//! Retention: export files hold every record the server has (OP-sealed). Before it pulls, the
//! pull deletes the files of `DIR` the vault has imported (`spur vault import` leaves a
//! `NAME.imported` mark next to each) and those written more than 28 days ago.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use axum::http::{Method, StatusCode};
use spur_protocol::export::parse;

use crate::client::Client;

/// Options of `spur server pull`.
#[derive(clap::Args, Clone, Debug)]
pub struct PullArgs {
    /// The POST server's address (host:port; plain HTTP, so loopback or a tunnel).
    #[arg(long)]
    pub server: SocketAddr,
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
    let auth = format!("Bearer {}", token.trim());
    let cursor_file = args.dir.join("cursor");
    let mut cursor = std::fs::read_to_string(&cursor_file).unwrap_or_default();
    let mut client = Client::connect(args.server).await?;
    let mut files = 0;
    loop {
        let mut path = format!("/v1/export?limit={}", args.page);
        if !cursor.trim().is_empty() {
            path.push_str(&format!("&cursor={}", cursor.trim()));
        }
        let (status, body) = client
            .send(Method::GET, &path, &[("authorization", &auth)], Vec::new())
            .await?;
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
