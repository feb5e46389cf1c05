//! Time as the protocol counts it: UTC minutes, 30-minute slots and days since the Unix epoch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Minutes in one slot.
pub const SLOT_MINUTES: u32 = 30;
/// Minutes in one day.
pub const DAY_MINUTES: u32 = 1440;
/// Slots in one day.
pub const SLOTS_PER_DAY: u32 = DAY_MINUTES / SLOT_MINUTES;
/// Days everything is kept: POST server, vault and app history delete what is older.
pub const RETENTION_DAYS: u32 = 28;

/// A UTC minute since the Unix epoch (u32 lasts until the year 10136).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minute(pub u32);

/// A 30-minute slot number: minute / 30.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(pub u32);

/// A UTC day number: minute / 1440.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub u32);

impl Minute {
    /// The minute containing a Unix time in seconds (clamped to the u32 range).
    pub fn from_unix_seconds(secs: u64) -> Self {
        Self(u32::try_from(secs / 60).unwrap_or(u32::MAX))
    }

    /// Unix seconds at the start of this minute.
    pub fn unix_seconds(self) -> u64 {
        u64::from(self.0) * 60
    }

    /// The slot this minute falls in.
    pub fn slot(self) -> Slot {
        Slot(self.0 / SLOT_MINUTES)
    }

    /// The day this minute falls in.
    pub fn day(self) -> Day {
        Day(self.0 / DAY_MINUTES)
    }

    /// This minute plus `m` minutes (saturating).
    pub fn plus(self, m: u32) -> Self {
        Self(self.0.saturating_add(m))
    }
}

impl Slot {
    /// First minute of the slot.
    pub fn start(self) -> Minute {
        Minute(self.0.saturating_mul(SLOT_MINUTES))
    }

    /// The slot containing a Unix time in seconds.
    pub fn from_unix_seconds(secs: u64) -> Self {
        Minute::from_unix_seconds(secs).slot()
    }

    /// Slots touched by a stay from `from` (inclusive) to `to` (exclusive), in order.
    pub fn covering(from: Minute, to: Minute) -> impl Iterator<Item = Slot> {
        let first = from.slot().0;
        let last = if to > from {
            Minute(to.0 - 1).slot().0
        } else {
            first
        };
        (first..=last).map(Slot)
    }

    /// The day this slot belongs to.
    pub fn day(self) -> Day {
        self.start().day()
    }
}

impl Day {
    /// `YYYY-MM-DD` of this day (proleptic Gregorian, UTC), after Howard Hinnant's civil_from_days.
    pub fn date_text(self) -> String {
        let z = i64::from(self.0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The day of a `YYYY-MM-DD` date (UTC); `None` for anything that is not a real date.
    pub fn from_date_text(s: &str) -> Option<Day> {
        let mut it = s.split('-');
        let (y, m, d) = (
            it.next()?.parse::<i64>().ok()?,
            it.next()?.parse::<i64>().ok()?,
            it.next()?.parse::<i64>().ok()?,
        );
        if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2.div_euclid(400);
        let yoe = y2 - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let day = Day(u32::try_from(era * 146_097 + doe - 719_468).ok()?);
        (day.date_text() == format!("{y:04}-{m:02}-{d:02}")).then_some(day)
    }

    /// First minute of the day.
    pub fn start(self) -> Minute {
        Minute(self.0.saturating_mul(DAY_MINUTES))
    }
}

/// True when two stays `[a_in, a_out)` and `[b_in, b_out)` share at least one minute.
pub fn stays_overlap(a_in: Minute, a_out: Minute, b_in: Minute, b_out: Minute) -> bool {
    a_in < b_out && b_in < a_out
}

/// Minutes two stays share (0 when they do not overlap).
pub fn overlap_minutes(a_in: Minute, a_out: Minute, b_in: Minute, b_out: Minute) -> u32 {
    let start = a_in.max(b_in);
    let end = a_out.min(b_out);
    end.0.saturating_sub(start.0)
}

/// Where every party gets "now" from: the system clock, or a hand-set clock in tests and in
/// `spur demo`. One trait for app core and servers, so one simulated clock can drive both.
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

/// The operating system's clock (the only place the protocol crate reads ambient state).
///
/// Test and demo hook: when the environment variable [`CLOCK_SHIFT_ENV`] holds a whole number of
/// days (e.g. `29` or `-1`), every reading is moved by that many days. The end-to-end tests use it
/// to run real processes "a month later" (retention) or "yesterday". It is read once per process,
/// and the first reading prints one warning line to stderr, so nobody runs shifted by accident.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

/// Environment variable of the [`SystemClock`] test hook: whole days to add to the system time.
pub const CLOCK_SHIFT_ENV: &str = "SPUR_CLOCK_SHIFT_DAYS";

/// Largest shift accepted (about 27 years), so the arithmetic below cannot overflow.
const MAX_SHIFT_DAYS: i64 = 10_000;

/// Parses the hook's value: whole days within ±[`MAX_SHIFT_DAYS`]; anything else is no shift.
fn parse_shift_days(text: &str) -> Option<i64> {
    let days: i64 = text.trim().parse().ok()?;
    (days != 0 && days.abs() <= MAX_SHIFT_DAYS).then_some(days)
}

/// The shift in seconds, read from the environment once per process. A value that is set but not
/// a whole number of days is refused loudly (warning line) and ignored rather than guessed at.
fn shift_seconds() -> i64 {
    static SHIFT: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *SHIFT.get_or_init(|| {
        let Ok(text) = std::env::var(CLOCK_SHIFT_ENV) else {
            return 0;
        };
        match parse_shift_days(&text) {
            Some(days) => {
                // A stderr line, not a log: the only way a shifted server, vault or app is noticed.
                eprintln!(
                    "spur: warning: the clock is shifted by {days} days ({CLOCK_SHIFT_ENV}, a test and demo hook)"
                );
                days * 86_400
            }
            None => {
                eprintln!(
                    "spur: warning: {CLOCK_SHIFT_ENV} is not a whole number of days (at most {MAX_SHIFT_DAYS}); the clock is not shifted"
                );
                0
            }
        }
    })
}

impl Clock for SystemClock {
    fn unix_seconds(&self) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let shifted = i64::try_from(now)
            .unwrap_or(i64::MAX)
            .saturating_add(shift_seconds());
        u64::try_from(shifted).unwrap_or(0)
    }
}

/// A clock that moves only when told to; clones share the time.
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

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: u64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Moves the clock forward by whole days.
    pub fn advance_days(&self, days: u64) {
        self.advance(days * 86_400);
    }
}

impl Clock for ManualClock {
    fn unix_seconds(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_slots_of_a_stay() {
        let s: Vec<_> = Slot::covering(Minute(29), Minute(61)).collect();
        assert_eq!(s, vec![Slot(0), Slot(1), Slot(2)]);
        let s: Vec<_> = Slot::covering(Minute(30), Minute(60)).collect();
        assert_eq!(s, vec![Slot(1)]);
    }

    #[test]
    fn clock_shift_accepts_only_whole_days_in_range() {
        assert_eq!(parse_shift_days("29"), Some(29));
        assert_eq!(parse_shift_days(" -1\n"), Some(-1));
        assert_eq!(parse_shift_days("0"), None);
        assert_eq!(parse_shift_days("1.5"), None);
        assert_eq!(parse_shift_days("29d"), None);
        assert_eq!(parse_shift_days(""), None);
        assert_eq!(parse_shift_days("10001"), None);
        assert_eq!(parse_shift_days("-10000"), Some(-10_000));
    }

    #[test]
    fn overlap_is_half_open() {
        assert!(!stays_overlap(
            Minute(0),
            Minute(10),
            Minute(10),
            Minute(20)
        ));
        assert!(stays_overlap(Minute(0), Minute(11), Minute(10), Minute(20)));
        assert_eq!(
            overlap_minutes(Minute(0), Minute(15), Minute(10), Minute(20)),
            5
        );
        assert_eq!(
            overlap_minutes(Minute(0), Minute(5), Minute(10), Minute(20)),
            0
        );
    }
}
