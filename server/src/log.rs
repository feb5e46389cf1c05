//! The services' log: `tracing` events on standard error, as text or JSON lines, filtered by
//! level. What a line may carry is docs/operations.md's field policy — route template, method,
//! status, latency, counts, reject reason — never an address, a QR id, a key, a token, a body
//! or a phone number; `server/tests/log_policy.rs` drives every route with marked inputs and
//! finds none of them in the log. Nothing is ever written to a file.

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Target of the one line per request (`debug`): route, method, status, latency, reject reason.
pub const ACCESS: &str = "spur::access";

/// Directives always added to the operator's filter: axum's own rejection events could quote
/// a query string or a path, so they are off whatever the level.
const ALWAYS: &[&str] = &["axum::rejection=off"];

/// How log lines are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line (for journald/Loki/Elasticsearch pipelines).
    Json,
}

/// Logging options every service takes.
#[derive(clap::Args, Clone, Debug)]
pub struct LogArgs {
    /// What to log: a level (error, warn, info, debug, trace) or a filter in RUST_LOG syntax,
    /// e.g. `info,spur::access=debug` for one line per request. Lines never carry an address,
    /// a QR id, a key, a token or a body (docs/operations.md).
    #[arg(long, default_value = "info", env = "SPUR_LOG")]
    pub log_level: String,
    /// Line format: `text` or `json`.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl Default for LogArgs {
    fn default() -> Self {
        Self {
            log_level: "info".into(),
            log_format: LogFormat::Text,
        }
    }
}

/// A filter or format that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("--log-level {filter:?} is not a level or filter: {reason}")]
pub struct LogError {
    filter: String,
    reason: String,
}

/// The filter for `level` with [`ALWAYS`] added.
pub fn filter(level: &str) -> Result<EnvFilter, LogError> {
    let mut f = EnvFilter::builder().parse(level).map_err(|e| LogError {
        filter: level.to_owned(),
        reason: e.to_string(),
    })?;
    for d in ALWAYS {
        if let Ok(d) = d.parse() {
            f = f.add_directive(d);
        }
    }
    Ok(f)
}

/// A subscriber writing `format` lines through `writer` (stderr in the services, a buffer in
/// tests).
pub fn subscriber<W>(
    args: &LogArgs,
    writer: W,
) -> Result<Box<dyn tracing::Subscriber + Send + Sync>, LogError>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter(&args.log_level)?)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true);
    Ok(match args.log_format {
        LogFormat::Text => Box::new(b.finish()),
        LogFormat::Json => Box::new(
            b.json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .finish(),
        ),
    })
}

/// Installs the process's log on standard error. A second call (a test or `spur server dev`
/// starting twice) keeps the first.
pub fn init(args: &LogArgs) -> Result<(), LogError> {
    let s = subscriber(args, std::io::stderr)?;
    let _ = tracing::subscriber::set_global_default(s);
    Ok(())
}

/// The first line of a storage error, at most 200 characters: database drivers put the
/// offending values (a key, an id) in the lines after it (PostgreSQL's `DETAIL:`), and those
/// never reach a log.
pub fn storage_reason(message: &str) -> String {
    let first = message.lines().next().unwrap_or("");
    let first = first.split(" DETAIL").next().unwrap_or(first);
    first.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_reason_drops_detail_lines() {
        let pg = "db error: ERROR: duplicate key value violates unique constraint \"r_pkey\"\n\
                  DETAIL: Key (id)=(\\xc0ffee) already exists.";
        assert_eq!(
            storage_reason(pg),
            "db error: ERROR: duplicate key value violates unique constraint \"r_pkey\""
        );
        assert!(!storage_reason(pg).contains("c0ffee"));
        assert_eq!(storage_reason(&"x".repeat(500)).len(), 200);
    }

    #[derive(Clone, Default)]
    struct Buf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut v) = self.0.lock() {
                v.extend_from_slice(b);
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn emitted(format: LogFormat, level: &str) -> String {
        let buf = Buf::default();
        let b = buf.clone();
        let args = LogArgs {
            log_level: level.into(),
            log_format: format,
        };
        let s = subscriber(&args, move || b.clone()).unwrap();
        tracing::subscriber::with_default(s, || {
            tracing::debug!(target: ACCESS, route = spur_wire::api::routes::HEALTH, status = 200u16, "request");
            tracing::info!(deleted = 3u64, "retention sweep");
        });
        let v = buf.0.lock().map(|v| v.clone()).unwrap_or_default();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn formats_and_levels() {
        let json = emitted(LogFormat::Json, "debug");
        let lines: Vec<serde_json::Value> = json
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{json}");
        assert_eq!(lines[0]["route"], spur_wire::api::routes::HEALTH);
        assert_eq!(lines[0]["target"], ACCESS);
        assert_eq!(lines[1]["deleted"], 3);
        let text = emitted(LogFormat::Text, "info");
        assert!(text.contains("retention sweep deleted=3"), "{text}");
        assert!(
            !text.contains(spur_wire::api::routes::HEALTH),
            "request lines are debug: {text}"
        );
        assert!(
            emitted(LogFormat::Text, "info,spur::access=debug").contains("route=\"/v1/health\"")
        );
    }

    #[test]
    fn bad_filters_are_named() {
        let e = filter("info,[")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("--log-level"), "{e}");
        assert!(filter("debug").is_ok());
        assert!(filter("warn,spur::access=debug").is_ok());
    }
}
