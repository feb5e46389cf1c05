//! Statistics for epidemiologists: per day, country and postcode — registrations, scans and
//! contact hours — with every count below a threshold suppressed. CSV and JSON.
//!
//! What the OP layer shows decides what can be counted: a registration carries the registrant's
//! region; a slot entry carries its slot and the place's region (or where a personal code was
//! scanned). "Scans" counts slot entries: one per scanning person and 30-minute slot at a code,
//! so a 70-minute stay counts 3. "Contact hours" is scans × 0.5 h, an upper bound of time spent,
//! since a stay need not fill its slots. Stays cannot be told apart by design (they are unlinkable).

use serde::Serialize;
use spur_offline::csv::CsvWriter;
use spur_offline::OfflineError;
use spur_protocol::fields::Region;

use crate::store::RawStat;

/// The default threshold: counts below it are suppressed.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// One published row. `None` means suppressed (below the threshold).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatRow {
    /// The day as `YYYY-MM-DD` (UTC).
    pub date: String,
    /// ISO country code, empty when not given.
    pub country: String,
    /// Postcode, empty when not given.
    pub postcode: String,
    /// Registrations uploaded that day by people of this region.
    pub registrations: Option<u64>,
    /// Slot entries at codes in this region that day.
    pub scans: Option<u64>,
    /// Scans × 0.5 h.
    pub contact_hours: Option<f64>,
}

fn keep(n: u64, threshold: u64) -> Option<u64> {
    (n >= threshold).then_some(n)
}

/// Builds the published table, suppressing every count below `threshold`. Rows whose counts are
/// all zero are left out.
pub fn table(raw: &[RawStat], threshold: u64) -> Vec<StatRow> {
    raw.iter()
        .filter(|r| r.registrations > 0 || r.slot_entries > 0)
        .map(|r| {
            let region = Region::decode(r.region).ok().flatten();
            let scans = keep(r.slot_entries, threshold);
            StatRow {
                date: r.day.date_text(),
                country: region
                    .map(|g| g.country.as_str().to_owned())
                    .unwrap_or_default(),
                postcode: region
                    .and_then(|g| g.postcode)
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                registrations: keep(r.registrations, threshold),
                scans,
                contact_hours: scans.map(|s| s as f64 * 0.5),
            }
        })
        .collect()
}

/// The table as CSV; suppressed cells read `<threshold` (e.g. `<5`). Every cell goes through the
/// spreadsheet-safe writer ([`spur_offline::csv`]): a region decoded from a record is validated,
/// but the CSV does not rely on it.
pub fn to_csv(rows: &[StatRow], threshold: u64) -> Result<String, OfflineError> {
    let sup = format!("<{threshold}");
    let mut out = CsvWriter::new();
    out.row(&[
        "date",
        "country",
        "postcode",
        "registrations",
        "scans",
        "contact_hours",
    ])?;
    for r in rows {
        let n = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_else(|| sup.clone());
        let h = r
            .contact_hours
            .map(|x| format!("{x:.1}"))
            .unwrap_or_else(|| sup.clone());
        out.row(&[
            r.date.as_str(),
            &r.country,
            &r.postcode,
            &n(r.registrations),
            &n(r.scans),
            &h,
        ])?;
    }
    out.finish()
}

/// The table as JSON: `{"threshold": n, "rows": [...]}` with `null` for suppressed cells.
pub fn to_json(rows: &[StatRow], threshold: u64) -> String {
    serde_json::json!({ "threshold": threshold, "rows": rows }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use spur_protocol::time::Day;

    fn raw(day: u32, postcode: &str, regs: u64, slots: u64) -> RawStat {
        RawStat {
            day: Day(day),
            region: Region::parse("DE", Some(postcode)).unwrap().encode(),
            registrations: regs,
            slot_entries: slots,
        }
    }

    #[test]
    fn small_counts_are_suppressed_and_large_ones_kept() {
        let rows = table(
            &[raw(20_777, "80331", 4, 5), raw(20_777, "10115", 12, 1)],
            5,
        );
        assert_eq!(rows[0].registrations, None, "4 < 5");
        assert_eq!(rows[0].scans, Some(5));
        assert_eq!(rows[0].contact_hours, Some(2.5));
        assert_eq!(rows[1].registrations, Some(12));
        assert_eq!(rows[1].scans, None);
        assert_eq!(rows[1].contact_hours, None, "hours follow their scans");
        let csv = to_csv(&rows, 5).unwrap();
        assert!(
            csv.contains("\"2026-11-20\",\"DE\",\"80331\",\"<5\",\"5\",\"2.5\"\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\"2026-11-20\",\"DE\",\"10115\",\"12\",\"<5\",\"<5\"\r\n"),
            "{csv}"
        );
        assert!(
            !csv.contains("\"4\"") && !csv.contains("\"1\""),
            "no small count leaks: {csv}"
        );
        let json = to_json(&rows, 5);
        assert!(json.contains("\"registrations\":null"), "{json}");
    }

    #[test]
    fn statistics_csv_neutralises_formula_postcodes() {
        // What a hand-built record could carry if a region ever got past its checks; the CSV
        // must not depend on those checks.
        let row = |country: &str, postcode: &str| StatRow {
            date: "2026-11-20".into(),
            country: country.into(),
            postcode: postcode.into(),
            registrations: Some(7),
            scans: None,
            contact_hours: None,
        };
        let table: [(&str, &str, &str); 9] = [
            ("-1-1", "DE", "\"'-1-1\""),
            ("=1+1", "DE", "\"'=1+1\""),
            ("+1", "DE", "\"'+1\""),
            ("@A1", "DE", "\"'@A1\""),
            (" =1", "DE", "\"' =1\""),
            ("\u{A0}-2", "DE", "\"'\u{A0}-2\""),
            ("\u{200B}=1", "DE", "\"'\u{200B}=1\""),
            ("\u{FEFF}@x", "DE", "\"'\u{FEFF}@x\""),
            ("80331", "=X", "\"80331\""),
        ];
        for (postcode, country, want) in table {
            let csv = to_csv(&[row(country, postcode)], 5).unwrap();
            let line = csv.lines().nth(1).unwrap_or_default();
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells[2], want, "{postcode:?}: {csv:?}");
            if country.starts_with('=') {
                assert_eq!(cells[1], "\"'=X\"", "{csv:?}");
            }
        }
    }

    #[test]
    fn dates() {
        // The statistics' dates come from `protocol::time::Day`; these are the cases the vault's
        // own date functions were tested with before they gave way to it.
        assert_eq!(Day(0).date_text(), "1970-01-01");
        assert_eq!(Day(20_777).date_text(), "2026-11-20");
        assert_eq!(Day(11_016).date_text(), "2000-02-29");
        assert_eq!(Day::from_date_text("2026-11-20"), Some(Day(20_777)));
        assert_eq!(Day::from_date_text("2026-02-30"), None);
        assert_eq!(Day::from_date_text("2026-1-2x"), None);
        let rows = table(&[raw(11_016, "80331", 5, 5)], 5);
        assert_eq!(rows[0].date, "2000-02-29");
    }
}
