//! The demo's report: the contact lists, the comparison with the ground truth, what each party
//! could see, the statistics, and how long each phase took — as text or JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use spur_authority::contacts::ContactList;

use super::citizens::Citizens;
use super::dump::DumpCheck;
use super::sim::World;
use super::stage::Stage;
use super::trace::{ConsentShown, TraceCounts};

/// A progress bar on stderr, hidden for `--json`.
pub fn bar(hidden: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    if hidden {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg:32} {bar:40} {pos}/{len} {elapsed}")
    {
        b.set_style(style);
    }
    b.set_message(what.to_owned());
    b
}

/// The trace against the simulation's ground truth.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// Phones the simulation says met the infected person.
    pub expected: Vec<String>,
    /// Phones on the authorities' contact lists.
    pub found: Vec<String>,
    /// Expected but not found.
    pub missing: Vec<String>,
    /// Found but not expected.
    pub extra: Vec<String>,
    /// Exactly the same people.
    pub exact: bool,
}

impl Outcome {
    /// Compares the union of all desks' lists (without the infected person) with `expected`.
    pub fn compare(
        lists: &BTreeMap<u16, ContactList>,
        expected: &[String],
        infected: &str,
    ) -> Self {
        let found: BTreeSet<String> = lists
            .values()
            .flat_map(|l| l.people.iter().map(|c| c.phone.clone()))
            .filter(|p| p != infected && !p.is_empty())
            .collect();
        let want: BTreeSet<String> = expected.iter().cloned().collect();
        let missing: Vec<String> = want.difference(&found).cloned().collect();
        let extra: Vec<String> = found.difference(&want).cloned().collect();
        Self {
            exact: missing.is_empty() && extra.is_empty(),
            expected: want.into_iter().collect(),
            found: found.into_iter().collect(),
            missing,
            extra,
        }
    }
}

/// Statistics files written by the vault.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// Rows (day, country, postcode) after suppression.
    pub rows: usize,
    /// Cells suppressed because the count was below the threshold.
    pub suppressed: usize,
    /// CSV file.
    pub csv: PathBuf,
    /// Time-series chart.
    pub chart_series: PathBuf,
    /// Bar chart by postcode.
    pub chart_postcodes: PathBuf,
}

/// Writes the vault's statistics (threshold 5) as CSV, JSON and two charts.
pub fn statistics(stage: &mut Stage, dir: &Path) -> Result<Stats> {
    let threshold = 5;
    let rows = stage.vault.stats(threshold)?;
    let csv = dir.join("statistics.csv");
    std::fs::write(&csv, spur_vault::stats::to_csv(&rows, threshold)?)?;
    std::fs::write(
        dir.join("statistics.json"),
        spur_vault::stats::to_json(&rows, threshold),
    )?;
    let chart_series = dir.join("statistics-by-day.png");
    let chart_postcodes = dir.join("statistics-by-postcode.png");
    spur_vault::chart::time_series(&rows, &chart_series, 6)?;
    spur_vault::chart::bar_by_postcode(&rows, &chart_postcodes, 12)?;
    let suppressed = rows
        .iter()
        .map(|r| {
            usize::from(r.registrations.is_none())
                + usize::from(r.scans.is_none())
                + usize::from(r.contact_hours.is_none())
        })
        .sum();
    Ok(Stats {
        rows: rows.len(),
        suppressed,
        csv,
        chart_series,
        chart_postcodes,
    })
}

/// One line of "who saw what".
#[derive(Debug, Serialize)]
pub struct Sight {
    /// The party.
    pub party: String,
    /// What it held or saw.
    pub saw: String,
    /// What stayed closed to it.
    pub could_not: String,
}

/// Everything the demo prints.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Folder with every file.
    pub dir: PathBuf,
    /// People, places, cards, stays, days.
    pub town: BTreeMap<String, usize>,
    /// The infected person's phone number (fictional).
    pub infected: String,
    /// What the app showed at consent.
    pub consent: BTreeMap<String, String>,
    /// Each desk's contact list.
    pub contact_lists: BTreeMap<u16, ContactList>,
    /// Comparison with the ground truth.
    pub outcome: Outcome,
    /// Who saw what.
    pub sights: Vec<Sight>,
    /// Statistics files.
    pub statistics: Stats,
    /// The search of the server's and the vault's files for personal data.
    pub dump: DumpCheck,
    /// The card-only case (a person without a smartphone falls ill), when the town has one.
    pub card_case: Option<CardCase>,
    /// Seconds per phase.
    pub timings: Vec<(String, f64)>,
}

/// A card-only person's case: traced on the authority's signed TMP-history request.
#[derive(Debug, Serialize)]
pub struct CardCase {
    /// The card holder's phone number (fictional).
    pub holder: String,
    /// The case id.
    pub case_id: String,
    /// Each desk's contact list.
    pub contact_lists: BTreeMap<u16, ContactList>,
    /// Comparison with the ground truth (everyone who scanned the card).
    pub outcome: Outcome,
    /// Files the vault wrote for desks.
    pub files_to_desks: usize,
    /// Files desks wrote for the vault.
    pub files_to_vault: usize,
}

impl Report {
    /// Gathers the report.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        world: &World,
        dir: &Path,
        infected: usize,
        shown: ConsentShown,
        lists: BTreeMap<u16, ContactList>,
        outcome: Outcome,
        counts: TraceCounts,
        town: &Citizens,
        posted: u64,
        statistics: Stats,
        dump: DumpCheck,
        timings: Vec<(String, f64)>,
    ) -> Self {
        let cards = world.people.iter().filter(|p| p.card_only).count();
        let offline = world.stays.iter().filter(|s| s.offline).count();
        let town_counts = BTreeMap::from([
            ("people".to_owned(), world.people.len()),
            ("people with a printed card only".to_owned(), cards),
            ("places".to_owned(), world.places.len()),
            ("days".to_owned(), world.days as usize),
            ("check-ins".to_owned(), world.stays.len()),
            (
                "check-ins made offline, completed later".to_owned(),
                offline,
            ),
            ("camera frames decoded".to_owned(), town.frames.0),
        ]);
        let routed: Vec<String> = lists
            .iter()
            .map(|(id, l)| format!("authority {id}: {}", l.people.len()))
            .collect();
        let sights = vec![
            Sight {
                party: "citizens' phones".into(),
                saw: "their own history only (encrypted at rest with the platform key)".into(),
                could_not: "anyone else's visits".into(),
            },
            Sight {
                party: "TAG server".into(),
                saw: "requests for QR ids; blinded TMP requests (slot numbers, no QR id); stored nothing, logged nothing".into(),
                could_not: "TAG keys (they never leave the QR code), uploads".into(),
            },
            Sight {
                party: "POST server".into(),
                saw: format!("{posted} OP-sealed records, every record of a kind the same size"),
                could_not: "any phone number, place name, visit; which records belong together".into(),
            },
            Sight {
                party: "operator's vault".into(),
                saw: format!(
                    "{} records opened to their OP layer: counts per day and postcode; after the consent, {} user entries of the infected person (by find-tag)",
                    counts.imported, counts.user_entries_found
                ),
                could_not: "phone numbers, place names, who met whom (contact references stay AUTH-sealed)".into(),
            },
            Sight {
                party: "health authorities".into(),
                saw: format!("after the consent: the case's visits and the contacts routed to them ({})", routed.join(", ")),
                could_not: "anyone outside the case; contacts sealed to another authority".into(),
            },
        ];
        let consent = BTreeMap::from([
            ("authority".to_owned(), shown.authority),
            ("case".to_owned(), shown.case_id),
            ("days".to_owned(), shown.days.to_string()),
            ("url".to_owned(), shown.url),
        ]);
        Self {
            dir: dir.to_owned(),
            town: town_counts,
            infected: world.people[infected].phone.clone(),
            consent,
            contact_lists: lists,
            outcome,
            sights,
            statistics,
            dump,
            card_case: None,
            timings,
        }
    }

    /// Prints the report for people.
    pub fn print(&self) {
        println!(
            "\nspur demo — everything ran on this machine; files in {}\n",
            self.dir.display()
        );
        println!("The town:");
        for (k, v) in &self.town {
            println!("  {k:<42} {v}");
        }
        println!(
            "\nThe infected citizen ({}) scanned the consent code:",
            self.infected
        );
        for k in ["authority", "home authority", "case", "days"] {
            println!(
                "  {k:<15} {}",
                self.consent.get(k).map(String::as_str).unwrap_or("")
            );
        }
        for (id, list) in &self.contact_lists {
            println!(
                "\nContact list of authority {id} ({} people):",
                list.people.len()
            );
            println!(
                "  {:<16} {:<8} {:<6} stays (place, in, out, overlap)",
                "phone", "postcode", "born"
            );
            for c in &list.people {
                let stays: Vec<String> = c
                    .stays
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}–{} ({} min)",
                            s.place, s.time_in, s.time_out, s.overlap_minutes
                        )
                    })
                    .collect();
                println!(
                    "  {:<16} {:<8} {:<6} {}",
                    c.phone,
                    c.postcode,
                    c.birth_year,
                    stays.join("; ")
                );
            }
        }
        let desk = self.dir.join("authority-1");
        let case = self.consent.get("case").map(String::as_str).unwrap_or("");
        println!(
            "\nThe web desk of this case: `spur authority --dir {} staff add --name NAME`, then\n  `spur authority --dir {} serve` and open http://127.0.0.1:8470/cases/1/{}",
            desk.display(),
            desk.display(),
            case.replace('/', "%2F")
        );
        let o = &self.outcome;
        println!(
            "\nGround truth: {} people met the infected citizen; the authorities found {}. {}",
            o.expected.len(),
            o.found.len(),
            if o.exact {
                "Exact: no one missing, no one extra."
            } else {
                "NOT EXACT."
            }
        );
        if !o.exact {
            println!("  missing: {:?}\n  extra:   {:?}", o.missing, o.extra);
        }
        let d = &self.dump;
        println!(
            "\nDump analysis: {} bytes in {} files of the POST server and the vault (database, WAL, audit log)\n  searched for {} phone numbers, place names and campus ids: {}",
            d.bytes,
            d.files.len(),
            d.needles,
            if d.found.is_empty() { "none found.".to_owned() } else { format!("FOUND {:?}", d.found) }
        );
        println!("\nWhat each party could see:");
        for s in &self.sights {
            println!(
                "  {}\n    saw:    {}\n    not:    {}",
                s.party, s.saw, s.could_not
            );
        }
        let st = &self.statistics;
        println!(
            "\nStatistics for epidemiologists: {} rows (day × postcode), {} small counts suppressed\n  {}\n  {}\n  {}",
            st.rows,
            st.suppressed,
            st.csv.display(),
            st.chart_series.display(),
            st.chart_postcodes.display()
        );
        if let Some(c) = &self.card_case {
            let o = &c.outcome;
            let per: Vec<String> = c
                .contact_lists
                .iter()
                .map(|(id, l)| format!("authority {id}: {}", l.people.len()))
                .collect();
            println!(
                "\nCard-only case {}: {} has no smartphone and handed over their printed card; the desk\n  signed a request for its past TMP keys, the TAG server answered, the vault traced on that\n  request ({} files to desks, {} to the vault). {} people scanned the card; found {} ({}). {}",
                c.case_id,
                c.holder,
                c.files_to_desks,
                c.files_to_vault,
                o.expected.len(),
                o.found.len(),
                per.join(", "),
                if o.exact { "Exact." } else { "NOT EXACT." }
            );
            if !o.exact {
                println!("  missing: {:?}\n  extra:   {:?}", o.missing, o.extra);
            }
        }
        println!("\nTime per phase:");
        let total: f64 = self.timings.iter().map(|(_, s)| s).sum();
        for (name, secs) in &self.timings {
            println!("  {name:<44} {secs:>7.2} s");
        }
        println!("  {:<44} {total:>7.2} s", "total");
    }
}
