//! The command-line entry points `spur server tag|post|dev` call: option parsing, key and token
//! files, store selection, and the runtime. Kept here so tests can run the exact same code.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use spur_protocol::keys::SignPublicKey;
use spur_protocol::tag::TagServerSecret;

use crate::clock::{Clock, SystemClock};
use crate::limits::{Limits, Rate};
use crate::post::{ExportToken, PostState};
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use crate::tag::history::DirectoryVerifier;
use crate::tag::{HistoryVerifier, TagState};

/// Limits every server takes.
#[derive(clap::Args, Clone, Debug)]
pub struct LimitArgs {
    /// Requests per second per client network, held in memory only (0 = no per-client limit).
    #[arg(long, default_value_t = 20.0)]
    pub rate_limit: f64,
    /// Burst a client may send at once.
    #[arg(long, default_value_t = 100.0)]
    pub burst: f64,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 64 * 1024)]
    pub body_limit: usize,
    /// Seconds a client has to send request headers.
    #[arg(long, default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds one request may take.
    #[arg(long, default_value_t = 30)]
    pub request_timeout: u64,
    /// Most connections open at once (more are closed as soon as they are accepted).
    #[arg(long, default_value_t = crate::limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Largest request head (request line and headers) in bytes, at least 8192.
    #[arg(long, default_value_t = crate::limits::DEFAULT_HEADER_BYTES)]
    pub header_bytes: usize,
    /// Records one client network may upload per hour (POST server; 0 = no budget). Held in
    /// memory only, under an HMAC of the address; applies while --rate-limit is on.
    #[arg(long, default_value_t = crate::limits::DEFAULT_UPLOAD_BUDGET)]
    pub upload_budget: u32,
    /// A reverse proxy (address or CIDR, repeatable) whose X-Forwarded-For/Forwarded names the
    /// client for the per-client limits; only requests whose TCP peer is in one of these are
    /// believed. The forwarded address is held in memory only, never logged or stored.
    #[arg(long, value_parser = crate::proxy::parse_cidr)]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// The origin of a web check-in (`spur server web`, e.g. https://spur.example; repeatable)
    /// whose pages may call this server from a browser (CORS). None = no browser access.
    #[arg(long, value_parser = crate::web::cors::parse_origin)]
    pub web_origin: Vec<axum::http::HeaderValue>,
}

/// What every service takes besides its own options: a configuration file, the log and the
/// metrics port (docs/operations.md).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct OpsArgs {
    /// A TOML file whose keys are this command's long flag names (`listen = "127.0.0.1:8081"`,
    /// `trusted-proxy = ["127.0.0.1"]`); flags on the command line win over it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Logging.
    #[command(flatten)]
    pub log: crate::log::LogArgs,
    /// Serve Prometheus metrics at http://<this address>/metrics; loopback only
    /// (e.g. 127.0.0.1:9181). Off by default.
    #[arg(long, value_parser = parse_metrics_listen)]
    pub metrics_listen: Option<SocketAddr>,
}

fn parse_metrics_listen(s: &str) -> Result<SocketAddr, String> {
    let a: SocketAddr = s
        .parse()
        .map_err(|_| format!("{s:?} is not an address with a port (e.g. 127.0.0.1:9181)"))?;
    crate::metrics::check_listen(a)
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            body_bytes: self.body_limit,
            rate: (self.rate_limit > 0.0).then_some(Rate {
                per_second: self.rate_limit,
                burst: self.burst.max(1.0),
            }),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            max_connections: self.max_connections.max(1),
            header_bytes: self.header_bytes.max(8192),
            upload_budget: (self.upload_budget > 0).then_some(crate::limits::Budget {
                records: self.upload_budget,
                window: Duration::from_secs(3600),
            }),
            trusted_proxies: crate::proxy::TrustedProxies::new(self.trusted_proxy.clone()),
            web_origins: self.web_origin.clone(),
            ..Limits::default()
        }
    }
}

/// Options of `spur server tag`.
#[derive(clap::Args, Clone, Debug)]
pub struct TagArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// File with the 32-byte TAG-server secret (every replica uses the same file).
    #[arg(long)]
    pub secret_file: PathBuf,
    /// Create the secret file (mode 0600) if it does not exist.
    #[arg(long)]
    pub create_secret: bool,
    /// Hours around now for which TMP keys are given.
    #[arg(long, default_value_t = 24)]
    pub tmp_window_hours: u32,
    /// The operator-signed authority directory to serve (and to check history requests with).
    #[arg(long, requires = "directory_root")]
    pub directory: Option<PathBuf>,
    /// The operator's directory root public key, 64 hex digits.
    #[arg(long)]
    pub directory_root: Option<String>,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Configuration file, log, metrics.
    #[command(flatten)]
    pub ops: OpsArgs,
}

/// Options of `spur server post`.
#[derive(clap::Args, Clone, Debug)]
pub struct PostArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8082")]
    pub listen: SocketAddr,
    /// SQLite database file (the default store).
    #[arg(long, default_value = "spur-post.sqlite", conflicts_with = "postgres")]
    pub sqlite: PathBuf,
    /// PostgreSQL URL instead of SQLite (or set SPUR_POSTGRES_URL).
    #[arg(long, env = "SPUR_POSTGRES_URL", hide_env_values = true)]
    pub postgres: Option<String>,
    /// PostgreSQL schema for the table (letters, digits, underscores).
    #[arg(long, default_value = "public")]
    pub postgres_schema: String,
    /// PostgreSQL TLS and pool.
    #[command(flatten)]
    pub db: crate::store::pg_options::PgArgs,
    /// File with the operator's export bearer token (or set SPUR_EXPORT_TOKEN); no token = no export.
    #[arg(long)]
    pub export_token_file: Option<PathBuf>,
    /// The POST server's export signing key (Ed25519, 0600; created with its public key
    /// `<file>.pub` on first start). Default: `export-sign.key` next to the SQLite file; with
    /// PostgreSQL give it, or exports go out unsigned.
    #[arg(long)]
    pub export_key_file: Option<PathBuf>,
    /// Minutes between retention sweeps.
    #[arg(long, default_value_t = 60)]
    pub sweep_minutes: u64,
    /// File with the PIN-check pepper, created at first start (default: beside the SQLite file,
    /// `<sqlite>.pepper`; `spur-post.pepper` with PostgreSQL). Never put it in the database.
    #[arg(long)]
    pub pin_pepper_file: Option<PathBuf>,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Configuration file, log, metrics.
    #[command(flatten)]
    pub ops: OpsArgs,
}

impl PostArgs {
    /// Where the PIN-check pepper is kept.
    pub fn pepper_path(&self) -> PathBuf {
        match (&self.pin_pepper_file, &self.postgres) {
            (Some(p), _) => p.clone(),
            (None, Some(_)) => PathBuf::from("spur-post.pepper"),
            (None, None) => {
                let mut s = self.sqlite.clone().into_os_string();
                s.push(".pepper");
                PathBuf::from(s)
            }
        }
    }
}

/// Reads a TAG secret file, or creates one (mode 0600) when `create` is set.
pub fn load_tag_secret(path: &Path, create: bool) -> anyhow::Result<TagServerSecret> {
    if !path.exists() {
        if !create {
            bail!(
                "no TAG secret at {}; pass --create-secret to make one",
                path.display()
            );
        }
        let s = TagServerSecret::random(&mut rand_core::OsRng);
        write_private(path, s.expose())?;
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let arr: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| anyhow::anyhow!("{} must hold exactly 32 bytes", path.display()))?;
    Ok(TagServerSecret::from_bytes(arr))
}

/// Writes a new file readable by its owner only; refuses to overwrite.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

fn export_token(file: Option<&Path>) -> anyhow::Result<Option<ExportToken>> {
    let text = match file {
        Some(p) => {
            Some(std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?)
        }
        None => std::env::var("SPUR_EXPORT_TOKEN").ok(),
    };
    match text {
        None => Ok(None),
        Some(t) => ExportToken::new(&t)
            .map(Some)
            .ok_or_else(|| anyhow::anyhow!("the export token must have at least 16 characters")),
    }
}

/// Builds the TAG server's state from its options.
pub fn tag_state(args: &TagArgs, clock: Arc<dyn Clock>) -> anyhow::Result<TagState> {
    let secret = load_tag_secret(&args.secret_file, args.create_secret)?;
    let (directory, history) = match (&args.directory, &args.directory_root) {
        (Some(path), Some(root_hex)) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let root: [u8; 32] = data_encoding::HEXLOWER_PERMISSIVE
                .decode(root_hex.trim().as_bytes())
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| anyhow::anyhow!("--directory-root must be 64 hex digits"))?;
            let root = SignPublicKey::from_bytes(root)?;
            let verifier = DirectoryVerifier::new(&bytes, &root)
                .context("the directory does not verify against the root key")?;
            let v: Arc<dyn HistoryVerifier> = Arc::new(verifier);
            (Some(bytes), Some(v))
        }
        _ => (None, None),
    };
    Ok(TagState::new(
        secret,
        clock,
        args.tmp_window_hours,
        directory,
        history,
        &args.limits.limits(),
    )?)
}

/// Opens the store the options name.
pub fn open_store(args: &PostArgs) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match &args.postgres {
        Some(url) => Arc::new(
            PostgresStore::open_with(
                url,
                &args.postgres_schema,
                args.db.db_pool,
                args.db.tls.connector()?,
            )
            .context("opening PostgreSQL")?,
        ),
        None => Arc::new(SqliteStore::open(&args.sqlite).context("opening SQLite")?),
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Binds and says so on stdout with the port only (no address is ever printed).
async fn bind(what: &str, addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    let l = listen(what, addr).await?;
    ready(what, &l)?;
    Ok(l)
}

/// Binds without saying so yet.
async fn listen(what: &str, addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on the {what} port {}", addr.port()))
}

/// The one line a server prints: `spur <what> server ready on port N`.
fn ready(what: &str, l: &tokio::net::TcpListener) -> anyhow::Result<()> {
    println!(
        "spur {what} server ready on port {}",
        l.local_addr()?.port()
    );
    std::io::stdout().flush()?;
    Ok(())
}

/// Binds the metrics port when asked (before the ready line, so a bad address stops the start).
async fn metrics_listener(
    addr: Option<SocketAddr>,
) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    match addr {
        Some(a) => Ok(Some(listen("metrics", a).await?)),
        None => Ok(None),
    }
}

/// Serves the metrics port (if bound) until the process is told to stop.
fn spawn_metrics(l: Option<tokio::net::TcpListener>) {
    if let Some(l) = l {
        tokio::spawn(crate::metrics::serve_on(l, crate::serve::shutdown_signal()));
    }
}

/// Runs the TAG server until SIGTERM/Ctrl-C.
pub fn run_tag(args: TagArgs) -> anyhow::Result<()> {
    crate::log::init(&args.ops.log)?;
    let state = tag_state(&args, Arc::new(SystemClock))?;
    let limits = args.limits.limits();
    runtime()?.block_on(async move {
        let m = metrics_listener(args.ops.metrics_listen).await?;
        let l = bind("tag", args.listen).await?;
        spawn_metrics(m);
        let router = crate::tag::router(state, &limits);
        crate::serve(l, router, &limits, crate::serve::shutdown_signal()).await;
        Ok(())
    })
}

/// Key-file kind of the POST server's export public key (the vault's key-file format).
pub const EXPORT_PUBLIC: &str = "post-export-public";

/// Where the export signing key is: the option, or next to the SQLite file.
pub fn export_key_path(args: &PostArgs) -> Option<PathBuf> {
    match (&args.export_key_file, &args.postgres) {
        (Some(p), _) => Some(p.clone()),
        (None, None) => Some(
            args.sqlite
                .parent()
                .unwrap_or(Path::new("."))
                .join("export-sign.key"),
        ),
        (None, Some(_)) => None,
    }
}

/// Reads the export signing key at `path`, creating it (0600) and its public key file
/// (`<path>.pub`, `spur post-export-public v1` + hex) when missing.
pub fn load_export_key(path: &Path) -> anyhow::Result<spur_protocol::keys::SignSecretKey> {
    use spur_protocol::keys::SignSecretKey;
    if !path.exists() {
        let k = SignSecretKey::generate(&mut rand_core::OsRng);
        write_private(path, k.to_bytes().as_ref())?;
    }
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
    );
    let arr: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| anyhow::anyhow!("{} must hold exactly 32 bytes", path.display()))?;
    let key = SignSecretKey::from_bytes(arr);
    let mut public = path.as_os_str().to_owned();
    public.push(".pub");
    let public = PathBuf::from(public);
    if !public.exists() {
        std::fs::write(
            &public,
            format!(
                "spur {EXPORT_PUBLIC} v1\n{}\n",
                data_encoding::HEXLOWER.encode(&key.public().to_bytes())
            ),
        )
        .with_context(|| format!("writing {}", public.display()))?;
    }
    Ok(key)
}

/// The POST server's state from its options.
pub fn post_state(args: &PostArgs, store: Arc<dyn Store>) -> anyhow::Result<PostState> {
    let token = match (
        export_token(args.export_token_file.as_deref())?,
        export_key_path(args),
    ) {
        (Some(t), Some(p)) => Some(t.with_signer(Arc::new(load_export_key(&p)?))),
        (t, _) => t,
    };
    Ok(PostState {
        store,
        clock: Arc::new(SystemClock),
        limits: args.limits.limits(),
        export_token: token,
        pins: Arc::new(crate::post::pin::Pins::load_or_create(&args.pepper_path())?),
    })
}

/// Runs the POST server until SIGTERM/Ctrl-C; accepted writes finish before it exits.
pub fn run_post(args: PostArgs) -> anyhow::Result<()> {
    crate::log::init(&args.ops.log)?;
    let store = open_store(&args)?;
    let state = post_state(&args, store.clone())?;
    runtime()?.block_on(async move {
        let m = metrics_listener(args.ops.metrics_listen).await?;
        let l = bind("post", args.listen).await?;
        spawn_metrics(m);
        // Debug: the ready line on stdout already says it started.
        tracing::debug!(
            store = if args.postgres.is_some() {
                "postgres"
            } else {
                "sqlite"
            },
            sweep_minutes = args.sweep_minutes,
            "post server started"
        );
        let sweeper = tokio::spawn(crate::post::retention::run(
            store,
            state.clock.clone(),
            Duration::from_secs(args.sweep_minutes.max(1) * 60),
        ));
        let limits = state.limits.clone();
        let router = crate::post::router(state);
        crate::serve(l, router, &limits, crate::serve::shutdown_signal()).await;
        sweeper.abort();
        Ok(())
    })
}

/// The hex line of a public key file written by `spur vault init` (`spur <kind> v1`, then hex).
fn public_key_hex(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let head = lines.next().unwrap_or("");
    let hex = lines.next().unwrap_or("").trim();
    if !head.starts_with("spur ") || hex.len() != 64 {
        bail!("{} is not a spur public key file", path.display());
    }
    Ok(hex.to_owned())
}

/// Runs both servers on 127.0.0.1 for development, with files under `data_dir`. With `vault` (a
/// folder made by `spur vault init` and `spur vault sign-directory`) the TAG server serves that
/// signed directory, and the exact `spur app init` line an app needs is printed and written to
/// `data_dir/app-init.txt`; without it apps cannot register, and the output says how to fix that.
pub fn run_dev(
    data_dir: &Path,
    tag_port: u16,
    post_port: u16,
    vault: Option<&Path>,
    ops: &OpsArgs,
) -> anyhow::Result<()> {
    crate::log::init(&ops.log)?;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let token_file = data_dir.join("export-token");
    if !token_file.exists() {
        let mut t = [0u8; 24];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut t);
        write_private(&token_file, data_encoding::HEXLOWER.encode(&t).as_bytes())?;
    }
    let loopback = |port| SocketAddr::from(([127, 0, 0, 1], port));
    let dev_limits = LimitArgs {
        rate_limit: 0.0,
        burst: 100.0,
        body_limit: 64 * 1024,
        header_timeout: 10,
        request_timeout: 30,
        max_connections: crate::limits::DEFAULT_MAX_CONNECTIONS,
        header_bytes: crate::limits::DEFAULT_HEADER_BYTES,
        upload_budget: 0,
        trusted_proxy: Vec::new(),
        web_origin: Vec::new(),
    };
    let keys = match vault {
        Some(v) => Some((
            public_key_hex(&v.join("op.pub"))?,
            public_key_hex(&v.join("root.pub"))?,
            v.join("directory.bin"),
        )),
        None => None,
    };
    let tag = TagArgs {
        listen: loopback(tag_port),
        secret_file: data_dir.join("tag-secret"),
        create_secret: true,
        tmp_window_hours: 24,
        directory: keys.as_ref().map(|k| k.2.clone()),
        directory_root: keys.as_ref().map(|k| k.1.clone()),
        limits: dev_limits.clone(),
        ops: OpsArgs::default(),
    };
    let post = PostArgs {
        listen: loopback(post_port),
        sqlite: data_dir.join("post.sqlite"),
        postgres: None,
        postgres_schema: "public".into(),
        db: Default::default(),
        export_token_file: Some(token_file.clone()),
        export_key_file: None,
        sweep_minutes: 60,
        pin_pepper_file: None,
        limits: dev_limits,
        ops: OpsArgs::default(),
    };
    let tag_state = tag_state(&tag, Arc::new(SystemClock))?;
    let store = open_store(&post)?;
    let post_state = post_state(&post, store.clone())?;
    println!(
        "spur dev: data in {}, export token in {}",
        data_dir.display(),
        token_file.display()
    );
    runtime()?.block_on(async move {
        let m = metrics_listener(ops.metrics_listen).await?;
        let tl = listen("tag", tag.listen).await?;
        let pl = listen("post", post.listen).await?;
        spawn_metrics(m);
        // Before the ready lines: whoever waits for them finds the app's configuration written.
        app_init_line(data_dir, keys.as_ref(), &tl, &pl)?;
        ready("tag", &tl)?;
        ready("post", &pl)?;
        let limits = post_state.limits.clone();
        let sweeper = tokio::spawn(crate::post::retention::run(
            store,
            post_state.clock.clone(),
            Duration::from_secs(3600),
        ));
        let t = crate::serve(
            tl,
            crate::tag::router(tag_state, &limits),
            &limits,
            crate::serve::shutdown_signal(),
        );
        let p = crate::serve(
            pl,
            crate::post::router(post_state),
            &limits,
            crate::serve::shutdown_signal(),
        );
        tokio::join!(t, p);
        sweeper.abort();
        Ok(())
    })
}

/// Prints (and writes to `data_dir/app-init.txt`) what `spur app init` needs to use the dev
/// servers, or, without a vault, why an app cannot register against them yet.
fn app_init_line(
    data_dir: &Path,
    keys: Option<&(String, String, PathBuf)>,
    tag: &tokio::net::TcpListener,
    post: &tokio::net::TcpListener,
) -> anyhow::Result<()> {
    let Some((op, root, _)) = keys else {
        println!(
            "spur dev: no --vault given, so the TAG server serves no signed directory and apps \
             cannot register; make one with `spur vault init`, `spur authority init`, \
             `spur vault sign-directory` and start again with --vault DIR"
        );
        return Ok(());
    };
    let line = format!(
        "spur app init --host spur.example --tag-url http://127.0.0.1:{} --post-url \
         http://127.0.0.1:{} --op-key {op} --root-key {root} --test-kdf",
        tag.local_addr()?.port(),
        post.local_addr()?.port()
    );
    let file = data_dir.join("app-init.txt");
    std::fs::write(&file, format!("{line}\n"))
        .with_context(|| format!("writing {}", file.display()))?;
    println!("spur dev: configure an app with: {line}");
    std::io::stdout().flush()?;
    Ok(())
}
