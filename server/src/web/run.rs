//! `spur server web`: the options of the web host and the entry point that runs it.

use std::io::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;

use std::path::PathBuf;

use super::{App, AppConfig, AppLinks};
use crate::limits::{Limits, Rate};

/// Options of `spur server web`.
#[derive(clap::Args, Clone, Debug)]
pub struct WebArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8083")]
    pub listen: SocketAddr,
    /// The Android app's package name, for /.well-known/assetlinks.json.
    #[arg(long, default_value = "org.spur.android")]
    pub android_package: String,
    /// SHA-256 fingerprint of the Android app's signing certificate (hex, colons allowed;
    /// repeatable). Without one, assetlinks.json is not served.
    #[arg(long = "android-cert-sha256")]
    pub android_certs: Vec<String>,
    /// The iOS app's `TEAMID.bundle.id` (repeatable), for
    /// /.well-known/apple-app-site-association. Without one, that file is not served.
    #[arg(long = "apple-app-id")]
    pub apple_app_ids: Vec<String>,
    /// Requests per second per client network, held in memory only (0 = no per-client limit).
    #[arg(long, default_value_t = 20.0)]
    pub rate_limit: f64,
    /// Burst a client may send at once.
    #[arg(long, default_value_t = 100.0)]
    pub burst: f64,
    /// Most connections open at once (more are closed as soon as they are accepted).
    #[arg(long, default_value_t = crate::limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// A reverse proxy (address or CIDR, repeatable) whose X-Forwarded-For/Forwarded names the
    /// client for the rate limit (as for the TAG and POST servers; in memory only).
    #[arg(long, value_parser = crate::proxy::parse_cidr)]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// The web check-in's shell (the repository's web/shell), served under /app/ with the
    /// WebAssembly core; without it there is no /app/ and the code pages send people to the apps.
    #[arg(long, requires_all = ["app_host", "app_tag_url", "app_post_url", "app_op_key", "app_root_key"])]
    pub web_app: Option<PathBuf>,
    /// The core compiled to WebAssembly (scripts/build-web.sh's target/web/pkg).
    #[arg(long, default_value = "target/web/pkg")]
    pub web_pkg: PathBuf,
    /// The host in the deployment's codes (as `spur app init --host`), for the web check-in.
    #[arg(long)]
    pub app_host: Option<String>,
    /// The TAG server's URL the web check-in calls (that server needs `--web-origin` with this
    /// host's origin).
    #[arg(long)]
    pub app_tag_url: Option<String>,
    /// The POST server's URL the web check-in calls (it needs `--web-origin` too).
    #[arg(long)]
    pub app_post_url: Option<String>,
    /// The operator's public key, 64 hex digits (op.pub), for the web check-in.
    #[arg(long)]
    pub app_op_key: Option<String>,
    /// The directory root public key, 64 hex digits (root.pub), for the web check-in.
    #[arg(long)]
    pub app_root_key: Option<String>,
    /// The web check-in keeps nothing in the browser (shared devices, kiosks, tests): the data
    /// lives only as long as the page is open.
    #[arg(long)]
    pub app_keep_nothing: bool,
}

impl WebArgs {
    /// The shared limits for a host that takes no request bodies.
    pub fn limits(&self) -> Limits {
        Limits {
            body_bytes: 0,
            rate: (self.rate_limit > 0.0).then_some(Rate {
                per_second: self.rate_limit,
                burst: self.burst.max(1.0),
            }),
            max_connections: self.max_connections.max(1),
            request_timeout: Duration::from_secs(10),
            upload_budget: None,
            trusted_proxies: crate::proxy::TrustedProxies::new(self.trusted_proxy.clone()),
            ..Limits::default()
        }
    }

    /// The web check-in, read and hashed, when `--web-app` is given.
    pub fn app(&self) -> anyhow::Result<Option<App>> {
        let Some(shell) = &self.web_app else {
            return Ok(None);
        };
        let need = |v: &Option<String>, flag: &str| {
            v.clone().with_context(|| format!("--web-app needs {flag}"))
        };
        let config = AppConfig {
            host: need(&self.app_host, "--app-host")?,
            tag_url: need(&self.app_tag_url, "--app-tag-url")?,
            post_url: need(&self.app_post_url, "--app-post-url")?,
            op_key: need(&self.app_op_key, "--app-op-key")?,
            root_key: need(&self.app_root_key, "--app-root-key")?,
            keep: !self.app_keep_nothing,
        };
        for (flag, key) in [
            ("--app-op-key", &config.op_key),
            ("--app-root-key", &config.root_key),
        ] {
            if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
                anyhow::bail!("{flag} must be 64 hex digits");
            }
        }
        Ok(Some(App::load(shell, &self.web_pkg, &config)?))
    }

    /// The app-links configuration, checked.
    pub fn app_links(&self) -> anyhow::Result<AppLinks> {
        Ok(AppLinks::new(
            &self.android_package,
            &self.android_certs,
            &self.apple_app_ids,
        )?)
    }
}

/// Runs the web host until SIGTERM/Ctrl-C; prints `web check-in release <hash>` (when it
/// serves one) and `spur web server ready on port N`.
pub fn run_web(args: WebArgs) -> anyhow::Result<()> {
    let links = args.app_links()?;
    let app = args.app()?;
    if let Some(a) = &app {
        println!("web check-in release {}", a.release());
    }
    let limits = args.limits();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(async move {
            let l = tokio::net::TcpListener::bind(args.listen)
                .await
                .with_context(|| format!("cannot listen on the web port {}", args.listen.port()))?;
            println!("spur web server ready on port {}", l.local_addr()?.port());
            std::io::stdout().flush()?;
            let router = super::router_with_app(links, &limits, app);
            crate::serve(l, router, &limits, crate::serve::shutdown_signal()).await;
            Ok(())
        })
}
