//! Per-client request limits: a token bucket of requests and a budget of uploaded records per
//! client network, held only in memory (never written, never logged, forgotten once full again)
//! and keyed not by the address but by an HMAC of it under a key drawn at process start, so not
//! even a memory dump lists client addresses; and the limit settings (connections, header size,
//! trusted proxies). Behind a trusted proxy the client is the forwarded address
//! ([`crate::proxy`]), chosen in memory per request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits shared by both servers.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest request body in bytes.
    pub body_bytes: usize,
    /// Requests per second per client (`None` = no per-client limit, e.g. behind a proxy that limits).
    pub rate: Option<Rate>,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// Time for one request, body included, from headers to response.
    pub request_timeout: Duration,
    /// Longest a connection may stay open (keep-alive included).
    pub connection_lifetime: Duration,
    /// How long shutdown waits for accepted requests to finish.
    pub shutdown_grace: Duration,
    /// Most connections open at once; a connection over the cap is closed at once.
    pub max_connections: usize,
    /// Largest request head (request line and headers) in bytes; also hyper's read buffer per
    /// connection (at least 8192).
    pub header_bytes: usize,
    /// Records each client network may upload per window (POST server). Like `rate`, a
    /// per-client limit: it applies only while `rate` is set.
    pub upload_budget: Option<Budget>,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` name the client for the per-client
    /// limits ([`crate::proxy`]); empty = the TCP peer is the client.
    pub trusted_proxies: crate::proxy::TrustedProxies,
    /// Origins of web check-in shells whose pages may call this server ([`crate::web::cors`]);
    /// empty = no cross-origin answers.
    pub web_origins: Vec<axum::http::HeaderValue>,
}

/// Largest request head a server accepts by default: 16 KiB.
pub const DEFAULT_HEADER_BYTES: usize = 16 * 1024;
/// Connections a server holds open at once by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Records one client network may upload per hour by default.
pub const DEFAULT_UPLOAD_BUDGET: u32 = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 64 * 1024,
            rate: Some(Rate {
                per_second: 20.0,
                burst: 100.0,
            }),
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            connection_lifetime: Duration::from_secs(300),
            shutdown_grace: Duration::from_secs(30),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_bytes: DEFAULT_HEADER_BYTES,
            upload_budget: Some(Budget {
                records: DEFAULT_UPLOAD_BUDGET,
                window: Duration::from_secs(3600),
            }),
            trusted_proxies: crate::proxy::TrustedProxies::default(),
            web_origins: Vec::new(),
        }
    }
}

/// An upload budget: at most `records` records per client network within any `window`
/// (refilled continuously, so a client that used it all gets `records / window` back steadily).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Records per window.
    pub records: u32,
    /// The window.
    pub window: Duration,
}

/// Turns a client address into the key its buckets are kept under: the client network (IPv4
/// address, or IPv6 /64 since one host owns a /64) through HMAC-SHA-256 with a key drawn at
/// process start and never stored, truncated to 128 bits.
pub struct ClientKeys([u8; 32]);

impl ClientKeys {
    /// A fresh random key.
    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut k);
        Self(k)
    }

    /// The key of `ip`'s network.
    pub fn key(&self, ip: IpAddr) -> u128 {
        let mac = spur_protocol::crypto::hmac_sha256(
            &self.0,
            &[b"spur/server/client-key", &client_network(ip).to_be_bytes()],
        );
        let mut b = [0u8; 16];
        b.copy_from_slice(&mac[..16]);
        u128::from_be_bytes(b)
    }
}

impl Drop for ClientKeys {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// Most clients an [`UploadBudget`] tracks; past that, a new client is let through untracked
/// rather than grow memory (the per-connection and rate limits still hold).
const MAX_BUDGET_CLIENTS: usize = 200_000;

/// The per-client record budget of the POST server.
pub struct UploadBudget {
    budget: Budget,
    keys: ClientKeys,
    buckets: Mutex<HashMap<u128, Bucket>>,
}

impl UploadBudget {
    /// A budget with a fresh random client key.
    pub fn new(budget: Budget) -> Self {
        Self {
            budget,
            keys: ClientKeys::random(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The budget.
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Takes `records` from `ip`'s budget; false (and nothing taken) when not that many are left.
    pub fn take(&self, ip: IpAddr, records: u32) -> bool {
        self.take_at(ip, records, Instant::now())
    }

    /// [`UploadBudget::take`] at a given instant (for tests).
    pub fn take_at(&self, ip: IpAddr, records: u32, now: Instant) -> bool {
        let Ok(mut map) = self.buckets.lock() else {
            return true;
        };
        let full = f64::from(self.budget.records);
        let per_sec = full / self.budget.window.as_secs_f64().max(1.0);
        let refill = |b: &Bucket| {
            (b.tokens + now.saturating_duration_since(b.last).as_secs_f64() * per_sec).min(full)
        };
        if map.len() >= MAX_BUDGET_CLIENTS {
            map.retain(|_, b| refill(b) < full);
        }
        let key = self.keys.key(ip);
        if map.len() >= MAX_BUDGET_CLIENTS && !map.contains_key(&key) {
            return true;
        }
        let b = map.entry(key).or_insert(Bucket {
            tokens: full,
            last: now,
        });
        b.tokens = refill(b);
        b.last = now;
        let want = f64::from(records);
        if b.tokens >= want {
            b.tokens -= want;
            true
        } else {
            false
        }
    }

    /// Clients currently tracked (for tests).
    pub fn tracked(&self) -> usize {
        self.buckets.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// A token-bucket rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Tokens added per second.
    pub per_second: f64,
    /// Bucket size (the burst a client may send at once).
    pub burst: f64,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Token buckets keyed by client network (see [`ClientKeys`]).
pub struct RateLimiter {
    rate: Rate,
    keys: ClientKeys,
    buckets: Mutex<HashMap<u128, Bucket>>,
}

/// Buckets kept before full (idle) ones are forgotten.
const PRUNE_AT: usize = 100_000;

/// The client network of `ip`: an IPv4 address, or the /64 of an IPv6 address.
fn client_network(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => u128::from(u32::from(v4)),
            None => (u128::from(a) >> 64) << 64 | 1,
        },
    }
}

impl RateLimiter {
    /// A limiter with `rate`.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            keys: ClientKeys::random(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; false when the client is over its rate.
    pub fn allow(&self, ip: IpAddr) -> bool {
        self.allow_at(ip, Instant::now())
    }

    /// [`RateLimiter::allow`] at a given instant (for tests).
    pub fn allow_at(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(mut map) = self.buckets.lock() else {
            return true;
        };
        if map.len() >= PRUNE_AT {
            let rate = self.rate;
            map.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.last).as_secs_f64() * rate.per_second
                    < rate.burst
            });
        }
        let b = map.entry(self.keys.key(ip)).or_insert(Bucket {
            tokens: self.rate.burst,
            last: now,
        });
        let refill = now.saturating_duration_since(b.last).as_secs_f64() * self.rate.per_second;
        b.tokens = (b.tokens + refill).min(self.rate.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Clients currently tracked (for tests).
    pub fn tracked(&self) -> usize {
        self.buckets.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_limits_and_refills() {
        let l = RateLimiter::new(Rate {
            per_second: 2.0,
            burst: 3.0,
        });
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let t = Instant::now();
        assert!((0..3).all(|_| l.allow_at(a, t)));
        assert!(!l.allow_at(a, t));
        assert!(l.allow_at(b, t));
        assert!(l.allow_at(a, t + Duration::from_millis(500)));
        assert!(!l.allow_at(a, t + Duration::from_millis(500)));
    }

    #[test]
    fn upload_budget_is_per_network_and_refills_over_its_window() {
        let b = UploadBudget::new(Budget {
            records: 100,
            window: Duration::from_secs(3600),
        });
        let a: IpAddr = [10, 0, 0, 1].into();
        let other: IpAddr = [10, 0, 0, 2].into();
        let t = Instant::now();
        assert!(b.take_at(a, 64, t));
        assert!(b.take_at(a, 36, t));
        assert!(!b.take_at(a, 1, t), "budget used up");
        assert!(b.take_at(other, 100, t), "another network has its own");
        // 36 s is 1/100 of the window: one record back.
        assert!(b.take_at(a, 1, t + Duration::from_secs(36)));
        assert!(!b.take_at(a, 1, t + Duration::from_secs(36)));
        assert!(
            !b.take_at(a, 64, t + Duration::from_secs(1800)),
            "half refilled"
        );
        assert!(b.take_at(a, 50, t + Duration::from_secs(1836)));
        assert!(
            b.take_at(a, 100, t + Duration::from_secs(9000)),
            "full again"
        );
        assert_eq!(b.tracked(), 2);
    }

    #[test]
    fn client_keys_are_not_addresses_and_differ_per_process() {
        let a: IpAddr = [192, 0, 2, 7].into();
        let (k1, k2) = (ClientKeys::random(), ClientKeys::random());
        assert_eq!(k1.key(a), k1.key(a));
        assert_ne!(k1.key(a), k2.key(a));
        assert_ne!(k1.key(a), client_network(a));
        let v6a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8:1:2::ffff".parse().unwrap();
        assert_eq!(k1.key(v6a), k1.key(v6b));
    }

    #[test]
    fn ipv6_hosts_of_one_prefix_share_a_bucket() {
        let l = RateLimiter::new(Rate {
            per_second: 0.001,
            burst: 1.0,
        });
        let t = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::ffff".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(l.allow_at(a, t));
        assert!(!l.allow_at(b, t));
        assert!(l.allow_at(c, t));
    }
}
