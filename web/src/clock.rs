//! The page's clock for the core: `Date.now()` (std's clock panics on wasm32-unknown-unknown).

use spur_core::Clock;

/// "Now" as the browser tells it.
pub(crate) struct PageClock;

impl Clock for PageClock {
    fn unix_seconds(&self) -> u64 {
        // Date.now() is milliseconds as an f64; a clock before 1970 is read as 1970.
        (js_sys::Date::now() / 1000.0).max(0.0) as u64
    }
}
