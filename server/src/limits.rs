//! Per-client request limits: a token bucket per client address, held only in memory (never
//! written, never logged, forgotten once the bucket is full again), and the limit settings.

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
}

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
        }
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

/// Token buckets keyed by client network (IPv4 address, or IPv6 /64 since one host owns a /64).
pub struct RateLimiter {
    rate: Rate,
    buckets: Mutex<HashMap<u128, Bucket>>,
}

/// Buckets kept before full (idle) ones are forgotten.
const PRUNE_AT: usize = 100_000;

fn client_key(ip: IpAddr) -> u128 {
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
        let b = map.entry(client_key(ip)).or_insert(Bucket {
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
