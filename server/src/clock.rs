//! Where the servers get "now" from: the system clock, or a hand-set clock in tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use spur_protocol::time::{Day, Minute, Slot};

/// A source of the current time in Unix seconds.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since the Unix epoch, UTC.
    fn unix_seconds(&self) -> u64;

    /// The current minute.
    fn minute(&self) -> Minute {
        Minute::from_unix_seconds(self.unix_seconds())
    }

    /// The current 30-minute slot.
    fn slot(&self) -> Slot {
        self.minute().slot()
    }

    /// The current UTC day.
    fn day(&self) -> Day {
        self.minute().day()
    }
}

/// The operating system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_seconds(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// A clock that stands still until told to move; shared by clones (for tests and benchmarks).
#[derive(Clone, Debug, Default)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    /// A clock showing `unix_seconds`.
    pub fn new(unix_seconds: u64) -> Self {
        Self(Arc::new(AtomicU64::new(unix_seconds)))
    }

    /// Sets the time.
    pub fn set(&self, unix_seconds: u64) {
        self.0.store(unix_seconds, Ordering::SeqCst);
    }

    /// Moves the time forward by whole days.
    pub fn advance_days(&self, days: u64) {
        self.0.fetch_add(days * 86_400, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn unix_seconds(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}
