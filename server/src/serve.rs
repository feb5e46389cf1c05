//! The accept loop both servers run: HTTP/1.1 with a header timeout, a small header limit and a
//! connection lifetime, a cap on connections open at once, the client address (the TCP peer, or
//! behind a trusted proxy the forwarded client) handed to the per-client limits in memory only,
//! no logging of connections or addresses, and a graceful shutdown that stops accepting and lets
//! accepted requests finish.
//!
//! Memory per connection is bounded by the header limit (hyper's read buffer, `header_bytes`,
//! 16 KiB by default, instead of hyper's ~400 kB) and the number of connections by
//! `max_connections` (1024): a connection over the cap is closed as soon as it is accepted, so
//! slow clients holding huge request heads cannot grow the server without bound.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::http::PeerIp;
use crate::limits::Limits;

/// Most header lines of one request.
pub const MAX_HEADERS: usize = 64;
/// hyper's smallest read buffer (it refuses less).
const MIN_BUF: usize = 8192;

/// Serves `router` on `listener` until `shutdown` resolves, then waits up to
/// `limits.shutdown_grace` for accepted requests to finish. Connection errors are dropped
/// silently: they could carry client addresses, and the servers log nothing about clients.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(MAX_HEADERS)
        .max_buf_size(limits.header_bytes.max(MIN_BUF))
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(x) => x,
            Err(_) => {
                // Out of file descriptors or similar: back off briefly instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        // Over the cap: close at once (the client sees the connection end and may retry).
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let peer = peer.ip();
        let router = router.clone();
        let proxies = limits.trusted_proxies.clone();
        let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let client = PeerIp(proxies.client(peer, req.headers()));
            req.extensions_mut().insert(client);
            router.clone().oneshot(req)
        });
        let conn = http.serve_connection(TokioIo::new(stream), svc);
        let watched = graceful.watch(conn);
        let lifetime = limits.connection_lifetime;
        tokio::spawn(async move {
            let _ = tokio::time::timeout(lifetime, watched).await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {}
    }
}

/// A server [`spawn_on_loopback`] started: where it listens and the switch that stops it.
pub struct Loopback {
    /// The address on 127.0.0.1 it accepts on.
    pub addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Loopback {
    /// Stops accepting; accepted requests finish (dropping the value does the same).
    pub fn stop(self) {
        let _ = self.stop.send(());
    }
}

/// Serves `router` on a free port of 127.0.0.1 in a spawned task (the demo and in-process tests
/// run the real servers this way).
pub async fn spawn_on_loopback(router: Router, limits: &Limits) -> std::io::Result<Loopback> {
    let listener = TcpListener::bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = limits.clone();
    tokio::spawn(async move {
        serve(listener, router, &limits, async {
            // A send or a dropped sender both end the wait.
            let _ = stopped.await;
        })
        .await;
    });
    Ok(Loopback { addr, stop })
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
