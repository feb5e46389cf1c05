//! The client address behind a reverse proxy, for the per-client limits only: when the TCP peer
//! is a trusted proxy (`--trusted-proxy <CIDR>`), the right-most address of `X-Forwarded-For`
//! (or, without it, of `Forwarded: for=`) that is not itself a trusted proxy is the client. A
//! peer that is not trusted is the client whatever headers it sends, so a forged header never
//! escapes its own limit. The result lives in the request's memory only: never logged, never
//! stored, and the limiter keeps only an HMAC of it.

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<[IpNet]>);

/// A `--trusted-proxy` value that is not an address or a CIDR.
#[derive(Debug, thiserror::Error)]
#[error("--trusted-proxy {0:?} is not an address or CIDR (e.g. 127.0.0.1/32 or fd00::/8)")]
pub struct BadCidr(String);

/// Parses `10.0.0.0/8`, `::1/128` or a bare address (a /32 or /128).
pub fn parse_cidr(s: &str) -> Result<IpNet, BadCidr> {
    let t = s.trim();
    t.parse::<IpNet>()
        .or_else(|_| t.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| BadCidr(s.to_owned()))
}

impl TrustedProxies {
    /// Trusts the given networks.
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets.into())
    }

    /// No proxy is trusted (the TCP peer is always the client).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client for the per-client limits of a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if self.0.is_empty() || !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_hops(headers);
        // Right to left: each hop was appended by the proxy to its right. The first address a
        // trusted proxy did not own is the client; an entry that does not parse ends the walk
        // at the last trusted hop (the client cannot pick its key with garbage).
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) if self.trusts(*ip) => client = *ip,
                Some(ip) => return *ip,
                None => return client,
            }
        }
        client
    }
}

/// An IPv4-mapped IPv6 address as IPv4 (a dual-stack listener reports peers that way).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(a) => a.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The forwarded-for hops, left to right: `X-Forwarded-For` when present (every header line,
/// in order), else `Forwarded`'s `for=` parameters. `None` marks an entry that is not an
/// address.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<_> = headers.get_all("x-forwarded-for").iter().collect();
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| match v.to_str() {
                Ok(s) => s.split(',').map(parse_hop).collect::<Vec<_>>(),
                Err(_) => vec![None],
            })
            .collect();
    }
    headers
        .get_all("forwarded")
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(s) => s
                .split(',')
                .filter_map(|element| {
                    element.split(';').find_map(|pair| {
                        let (k, v) = pair.split_once('=')?;
                        k.trim()
                            .eq_ignore_ascii_case("for")
                            .then(|| parse_hop(v.trim().trim_matches('"')))
                    })
                })
                .collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_hop(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<IpAddr>().ok().map(canonical);
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(vec![
            parse_cidr("10.0.0.0/8").unwrap_or_default(),
            parse_cidr("::1").unwrap_or_default(),
        ])
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn untrusted_peers_are_their_own_client() {
        let h = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(proxies().client(ip("203.0.113.1"), &h), ip("203.0.113.1"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &h),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn right_most_untrusted_hop_is_the_client() {
        // The client forged the first entry; the proxy appended the real one.
        let h = headers(&[("x-forwarded-for", "198.51.100.7, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(proxies().client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("x-forwarded-for", "[2001:db8::5]:443"),
        ]);
        assert_eq!(proxies().client(ip("::1"), &h), ip("2001:db8::5"));
        let h = headers(&[("x-forwarded-for", "203.0.113.9:5555")]);
        assert_eq!(proxies().client(ip("10.0.0.1"), &h), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_is_read_without_x_forwarded_for() {
        let h = headers(&[(
            "forwarded",
            "for=198.51.100.7;proto=https, for=\"[2001:db8::5]:443\"",
        )]);
        assert_eq!(proxies().client(ip("10.0.0.1"), &h), ip("2001:db8::5"));
    }

    #[test]
    fn garbage_and_missing_headers_key_on_the_last_trusted_hop() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9, nonsense, 10.9.9.9")]);
        assert_eq!(proxies().client(ip("10.0.0.1"), &h), ip("10.9.9.9"));
        assert_eq!(
            proxies().client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        let h = headers(&[("x-forwarded-for", "10.2.2.2")]);
        assert_eq!(proxies().client(ip("10.0.0.1"), &h), ip("10.2.2.2"));
    }

    #[test]
    fn cidrs_parse_with_clear_errors() {
        assert!(parse_cidr("127.0.0.1").is_ok());
        assert!(parse_cidr("fd00::/8").is_ok());
        let e = parse_cidr("10.0.0.0/33").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("--trusted-proxy")));
    }
}
