//! Sessions of the web desk: a random token in an HttpOnly, SameSite=Strict cookie names a session
//! kept in memory only (a restart logs everyone out); each session has its own CSRF token that
//! every form carries, and its page language. Failed logins are counted per name and refused for
//! a while after too many.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use spur_i18n::Lang;

/// The session cookie's name.
pub const COOKIE: &str = "spur_desk";
/// A session unused this long is gone.
pub const IDLE: Duration = Duration::from_secs(8 * 3600);
/// Failed logins for one name before it is locked for [`LOCK`].
pub const MAX_FAILURES: u32 = 5;
/// How long a name stays locked after too many failures.
pub const LOCK: Duration = Duration::from_secs(15 * 60);

/// One browser's session.
#[derive(Clone)]
pub struct Session {
    /// The logged-in staff member (None before login).
    pub staff: Option<String>,
    /// The CSRF token its forms carry.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
    last: Instant,
}

/// All sessions and the failed-login counters.
#[derive(Default)]
pub struct Sessions {
    by_token: HashMap<String, Session>,
    failures: HashMap<String, (u32, Instant)>,
}

/// 32 random bytes in hex.
pub fn token(rng: &mut impl rand_core::CryptoRngCore) -> String {
    let mut b = [0u8; 32];
    rng.fill_bytes(&mut b);
    data_encoding::HEXLOWER.encode(&b)
}

impl Sessions {
    /// The live session of `token` (touched), if any.
    pub fn get(&mut self, token: &str) -> Option<Session> {
        let now = Instant::now();
        self.by_token
            .retain(|_, s| now.duration_since(s.last) < IDLE);
        let s = self.by_token.get_mut(token)?;
        s.last = now;
        Some(s.clone())
    }

    /// Starts a session (logged in as `staff`, or anonymous for the login form); returns its token.
    pub fn start(
        &mut self,
        rng: &mut impl rand_core::CryptoRngCore,
        staff: Option<String>,
        lang: Lang,
    ) -> String {
        let t = token(rng);
        self.by_token.insert(
            t.clone(),
            Session {
                staff,
                csrf: token(rng),
                lang,
                last: Instant::now(),
            },
        );
        t
    }

    /// Ends a session.
    pub fn end(&mut self, token: &str) {
        self.by_token.remove(token);
    }

    /// Sets a session's language.
    pub fn set_lang(&mut self, token: &str, lang: Lang) {
        if let Some(s) = self.by_token.get_mut(token) {
            s.lang = lang;
        }
    }

    /// True while `name` is locked after too many failed logins.
    pub fn locked(&mut self, name: &str) -> bool {
        let now = Instant::now();
        self.failures
            .retain(|_, (_, since)| now.duration_since(*since) < LOCK);
        self.failures
            .get(name)
            .is_some_and(|(n, _)| *n >= MAX_FAILURES)
    }

    /// Counts a failed login for `name`; returns the count in the current window.
    pub fn failed(&mut self, name: &str) -> u32 {
        let e = self
            .failures
            .entry(name.to_owned())
            .or_insert((0, Instant::now()));
        e.0 = e.0.saturating_add(1);
        e.1 = Instant::now();
        e.0
    }

    /// Clears the counter after a good login.
    pub fn succeeded(&mut self, name: &str) {
        self.failures.remove(name);
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Compares two tokens in constant time.
pub fn same(a: &str, b: &str) -> bool {
    use subtle_eq::eq;
    eq(a.as_bytes(), b.as_bytes())
}

mod subtle_eq {
    /// Constant-time equality of two byte strings of public length.
    pub fn eq(a: &[u8], b: &[u8]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_lock_after_failures_and_cookies_parse() {
        let mut s = Sessions::default();
        let mut rng = rand_core::OsRng;
        let t = s.start(&mut rng, Some("anna".into()), Lang::De);
        assert_eq!(s.get(&t).unwrap().staff.as_deref(), Some("anna"));
        s.end(&t);
        assert!(s.get(&t).is_none());
        for _ in 0..MAX_FAILURES {
            assert!(!s.locked("bert"));
            s.failed("bert");
        }
        assert!(s.locked("bert"));
        assert!(!s.locked("anna"));
        assert_eq!(cookie("a=1; spur_desk=xyz; b=2", COOKIE), Some("xyz"));
        assert_eq!(cookie("a=1", COOKIE), None);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
