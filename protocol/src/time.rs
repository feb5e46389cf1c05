//! Time as the protocol counts it: UTC minutes, 30-minute slots and days since the Unix epoch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use jiff::SignedDuration;

/// Minutes in one slot.
pub const SLOT_MINUTES: u32 = 30;
/// Minutes in one day.
pub const DAY_MINUTES: u32 = 1440;
/// Slots in one day.
pub const SLOTS_PER_DAY: u32 = DAY_MINUTES / SLOT_MINUTES;
/// Days everything is kept: POST server, vault and app history delete what is older.
pub const RETENTION_DAYS: u32 = 28;

/// Days in 400 Gregorian years, after which the calendar repeats exactly.
const DAYS_PER_400_YEARS: u32 = 146_097;

/// Day 0.
const EPOCH_DATE: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);

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

    /// `HH:MM`, the time of day of this minute at a UTC offset of `offset_minutes` (east of
    /// Greenwich positive; 0 for UTC).
    pub fn clock_text(self, offset_minutes: i32) -> String {
        let of_day = (i64::from(self.0) + i64::from(offset_minutes)).rem_euclid(DAY_MINUTES.into());
        format!("{:02}:{:02}", of_day / 60, of_day % 60)
    }

    /// `YYYY-MM-DD HH:MM` of this minute in UTC (without a zone suffix).
    pub fn date_time_text(self) -> String {
        format!("{} {}", self.day().date_text(), self.clock_text(0))
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
    /// `YYYY-MM-DD` of this day (proleptic Gregorian, UTC; years past 9999 get more digits).
    pub fn date_text(self) -> String {
        // jiff's dates end with the year 9999 and a u32 day reaches the year 11761191, so the
        // day is first brought into the first 400-year cycle after the epoch: the Gregorian
        // calendar repeats exactly every 400 years, so month and day stay those of the real date.
        let (cycles, rest) = (self.0 / DAYS_PER_400_YEARS, self.0 % DAYS_PER_400_YEARS);
        let date = EPOCH_DATE.saturating_add(SignedDuration::from_hours(i64::from(rest) * 24));
        let year = i64::from(date.year()) + 400 * i64::from(cycles);
        format!("{year:04}-{:02}-{:02}", date.month(), date.day())
    }

    /// The day of a `YYYY-MM-DD` date (UTC); `None` for anything that is not a real date in the
    /// u32 day range. The numbers are read as `str::parse` reads them, so `2026-1-5` and
    /// `02026-01-05` are both `2026-01-05`.
    pub fn from_date_text(s: &str) -> Option<Day> {
        let mut it = s.split('-');
        let (y, m, d) = (
            it.next()?.parse::<i64>().ok()?,
            it.next()?.parse::<i8>().ok()?,
            it.next()?.parse::<i8>().ok()?,
        );
        if it.next().is_some() {
            return None;
        }
        // The same 400-year cycle as in `date_text`, the other way: the year is brought into
        // 1970..2370, where jiff checks the date and counts its days.
        let cycles = y.checked_sub(1970)?.div_euclid(400);
        let year = i16::try_from(y.checked_sub(cycles.checked_mul(400)?)?).ok()?;
        let date = jiff::civil::Date::new(year, m, d).ok()?;
        let rest = date.duration_since(EPOCH_DATE).as_secs() / 86_400;
        let days = cycles
            .checked_mul(i64::from(DAYS_PER_400_YEARS))?
            .checked_add(rest)?;
        u32::try_from(days).ok().map(Day)
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
/// Test hook, in debug builds only: when the environment variable `SPUR_CLOCK_SHIFT_DAYS`
/// holds a whole number of days (e.g. `29` or `-1`), every reading is moved
/// by that many days. The end-to-end tests use it to run real processes "a month later"
/// (retention) or "yesterday". It is read once per process, and the first reading prints one
/// warning line to stderr, so nobody runs shifted by accident. Release builds do not contain the
/// hook at all (see `shift_seconds`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

/// Environment variable of the [`SystemClock`] test hook: whole days to add to the system time.
/// Debug builds only.
#[cfg(debug_assertions)]
pub const CLOCK_SHIFT_ENV: &str = "SPUR_CLOCK_SHIFT_DAYS";

/// Largest shift accepted (about 27 years), so the arithmetic below cannot overflow.
#[cfg(debug_assertions)]
const MAX_SHIFT_DAYS: i64 = 10_000;

/// Parses the hook's value: whole days within ±[`MAX_SHIFT_DAYS`]; anything else is no shift.
#[cfg(debug_assertions)]
fn parse_shift_days(text: &str) -> Option<i64> {
    let days: i64 = text.trim().parse().ok()?;
    (days != 0 && days.abs() <= MAX_SHIFT_DAYS).then_some(days)
}

/// The shift in seconds, read from the environment once per process. A value that is set but not
/// a whole number of days is refused loudly (warning line) and ignored rather than guessed at.
///
/// Compiled only with `debug_assertions`: the tests, including the end-to-end tests that start
/// the real `spur` binary, run debug builds and need the hook, while a release build (what is
/// shipped to servers, desks and phones) must not let an environment variable move the clock
/// that decides expiry and retention. A cargo feature would need `compile_error!` to keep it out
/// of release builds and would build the workspace under two feature sets; the profile already
/// draws this line.
#[cfg(debug_assertions)]
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

/// Release builds: no hook, the clock is the system's.
#[cfg(not(debug_assertions))]
fn shift_seconds() -> i64 {
    0
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

/// A minute as a wall clock in one IANA time zone shows it ([`local_time`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// Year (four digits).
    pub year: i16,
    /// Month, 1–12.
    pub month: i8,
    /// Day of the month, 1–31.
    pub day: i8,
    /// Hour, 0–23.
    pub hour: i8,
    /// Minute, 0–59.
    pub minute: i8,
    /// The zone's abbreviation at that moment (`CET`, `CEST`, `UTC`, or an offset such as `+03`
    /// where the database has no letters).
    pub zone: String,
    /// Offset from UTC in minutes, east positive.
    pub offset_minutes: i32,
}

/// The time-zone database compiled in (jiff's bundled copy of the IANA database): the same
/// answer on every machine, and no file read here.
fn zone_named(name: &str) -> Option<jiff::tz::TimeZone> {
    jiff::tz::TimeZoneDatabase::bundled().get(name).ok()
}

/// True when `name` is an IANA time zone the compiled-in database knows (`Europe/Berlin`).
pub fn is_time_zone(name: &str) -> bool {
    zone_named(name).is_some()
}

/// The wall-clock time of `minute` in the IANA time zone `zone`; `None` for a zone the
/// database does not know or a minute past the year 9999.
pub fn local_time(minute: Minute, zone: &str) -> Option<LocalTime> {
    let tz = zone_named(zone)?;
    let ts = jiff::Timestamp::from_second(i64::from(minute.0) * 60).ok()?;
    let info = tz.to_offset_info(ts);
    let offset = info.offset();
    let dt = offset.to_datetime(ts);
    Some(LocalTime {
        year: dt.year(),
        month: dt.month(),
        day: dt.day(),
        hour: dt.hour(),
        minute: dt.minute(),
        zone: info.abbreviation().to_owned(),
        offset_minutes: offset.seconds() / 60,
    })
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
    #[cfg(debug_assertions)]
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

    /// Dates computed with Howard Hinnant's `civil_from_days`, the hand-written code this module
    /// had before jiff: the outputs must not change, past jiff's year 9999 included.
    const GOLDEN: [(u32, &str); 9] = [
        (0, "1970-01-01"),
        (59, "1970-03-01"),
        (789, "1972-02-29"),
        (11_016, "2000-02-29"),
        (20_454, "2026-01-01"),
        (2_932_896, "9999-12-31"),
        (2_932_897, "10000-01-01"),
        (2_982_616, "10136-02-16"),
        (u32::MAX, "11761191-01-20"),
    ];

    #[test]
    fn date_texts_are_those_of_the_civil_calendar() {
        for (day, text) in GOLDEN {
            assert_eq!(Day(day).date_text(), text);
            assert_eq!(Day::from_date_text(text), Some(Day(day)), "{text}");
        }
        // Leading zeros and signs as `str::parse` reads them, as before.
        assert_eq!(Day::from_date_text("1972-2-29"), Some(Day(789)));
        assert_eq!(Day::from_date_text("01972-02-029"), Some(Day(789)));
        for bad in [
            "",
            "2026",
            "2026-01",
            "2026-01-01-",
            "2026-01-01 ",
            "2026-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-01-00",
            "1969-12-31",
            "11761191-01-21",
            "99999999999999999999-01-01",
            "9223372036854775807-01-01",
            "-2026-01-01",
            "2026-01-1x",
            "2026/01/01",
            "٢٠٢٦-01-01",
        ] {
            assert_eq!(Day::from_date_text(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn minute_texts() {
        let m = Day(20_454).start().plus(9 * 60 + 5);
        assert_eq!(m.clock_text(0), "09:05");
        assert_eq!(m.clock_text(60), "10:05");
        assert_eq!(m.clock_text(-10 * 60), "23:05");
        assert_eq!(m.date_time_text(), "2026-01-01 09:05");
        assert_eq!(Minute(0).clock_text(-1), "23:59");
        assert_eq!(Minute(u32::MAX).date_time_text(), "10136-02-16 04:15");
    }

    proptest::proptest! {
        #[test]
        fn every_day_reads_back_from_its_text(day in proptest::prelude::any::<u32>()) {
            let text = Day(day).date_text();
            proptest::prop_assert_eq!(Day::from_date_text(&text), Some(Day(day)));
            // The next day has the next text, in order: one calendar, no gaps, no repeats.
            if let Some(next) = day.checked_add(1) {
                let next_text = Day(next).date_text();
                proptest::prop_assert!(next_text != text);
                proptest::prop_assert_eq!(Day::from_date_text(&next_text), Some(Day(next)));
            }
        }

        #[test]
        fn any_text_reads_as_a_day_or_none_and_never_panics(s in "\\PC{0,24}") {
            if let Some(day) = Day::from_date_text(&s) {
                proptest::prop_assert_eq!(Day::from_date_text(&day.date_text()), Some(day));
            }
        }

        #[test]
        fn date_like_garbage_never_panics(
            y in proptest::prelude::any::<i64>(),
            m in proptest::prelude::any::<i64>(),
            d in proptest::prelude::any::<i64>(),
        ) {
            let text = format!("{y}-{m}-{d}");
            if let Some(day) = Day::from_date_text(&text) {
                proptest::prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d));
                let again = Day(day.0).date_text();
                proptest::prop_assert_eq!(again, format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }

    /// The clock hook applies in test (debug) builds: this test runs its own test binary again
    /// with the variable set, and the child checks that `SystemClock` reads 29 days ahead.
    #[test]
    #[cfg(debug_assertions)]
    fn system_clock_is_shifted_by_the_variable_in_debug_builds() {
        let system = Minute::from_unix_seconds(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .day();
        match std::env::var(CLOCK_SHIFT_ENV).as_deref() {
            Ok("29") => {
                let shifted = SystemClock.day().0 - system.0;
                // 29, or 30 when midnight passed between the two readings.
                assert!((29..=30).contains(&shifted), "shifted by {shifted} days");
            }
            Ok(other) => panic!("unexpected {CLOCK_SHIFT_ENV}={other}"),
            Err(_) => {
                let out = std::process::Command::new(std::env::current_exe().unwrap())
                    .args([
                        "--exact",
                        "time::tests::system_clock_is_shifted_by_the_variable_in_debug_builds",
                        "--test-threads=1",
                        "--nocapture",
                    ])
                    .env(CLOCK_SHIFT_ENV, "29")
                    .output()
                    .unwrap();
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "child failed: {stdout}");
                assert!(
                    stdout.contains("1 passed"),
                    "the child ran the test: {stdout}"
                );
                assert!(
                    String::from_utf8_lossy(&out.stderr).contains("shifted by 29 days"),
                    "the child warned"
                );
                assert!(
                    SystemClock.day().0 - system.0 <= 1,
                    "this process is not shifted"
                );
            }
        }
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

    #[test]
    fn local_time_names_the_zone_in_winter_and_summer() {
        // 2026-12-07 13:05 UTC is 14:05 CET; 2026-07-01 12:00 UTC is 14:00 CEST.
        let winter = Day::from_date_text("2026-12-07").map(|d| d.start().plus(13 * 60 + 5));
        let t = winter.and_then(|m| local_time(m, "Europe/Berlin"));
        let t = t.unwrap_or_else(|| panic!("Europe/Berlin is known"));
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2026, 12, 7, 14, 5)
        );
        assert_eq!((t.zone.as_str(), t.offset_minutes), ("CET", 60));
        let summer = Day::from_date_text("2026-07-01").map(|d| d.start().plus(12 * 60));
        let s = summer.and_then(|m| local_time(m, "Europe/Berlin"));
        let s = s.unwrap_or_else(|| panic!("Europe/Berlin is known"));
        assert_eq!(
            (s.hour, s.zone.as_str(), s.offset_minutes),
            (14, "CEST", 120)
        );
        assert_eq!(
            local_time(Minute(0), "UTC").map(|t| t.zone),
            Some("UTC".into())
        );
        assert!(is_time_zone("Europe/Berlin"));
        assert!(!is_time_zone("Mars/Olympus"));
        assert_eq!(local_time(Minute(0), "Mars/Olympus"), None);
        assert_eq!(local_time(Minute(u32::MAX), "Europe/Berlin"), None);
    }
}
