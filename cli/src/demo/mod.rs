//! `spur demo`: the whole system on this machine — servers on 127.0.0.1, SQLite files, a
//! simulated town of citizens using the real app core, a consent, and the trace through vault and
//! health-authority desks — compared with the simulation's ground truth.

mod citizens;
mod core_err;
mod dump;
mod report;
pub mod sim;
mod stage;
mod trace;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

use report::{Outcome, Report};

/// Options of `spur demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Citizens in the simulated town.
    #[arg(long, default_value_t = 50)]
    pub people: usize,
    /// Days simulated (1–28); the consent releases all of them.
    #[arg(long, default_value_t = 3)]
    pub days: u32,
    /// Seed of the simulation (the same seed gives the same town and stays).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for every file the demo writes (default: a new temporary folder, kept).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the demo; fails (non-zero exit) when the trace is not exact.
pub fn run(args: Args) -> Result<()> {
    if !(1..=28).contains(&args.days) {
        bail!("--days must be 1 to 28 (a consent releases at most 28 days)");
    }
    if !(4..=2000).contains(&args.people) {
        bail!("--people must be 4 to 2000");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = rt.block_on(demo(&args))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        report.print();
    }
    if !report.dump.found.is_empty() {
        bail!(
            "secrets found in the server's or the vault's files: {:?}",
            report.dump.found
        );
    }
    if !report.outcome.exact {
        bail!(
            "the trace is not exact: {} missing, {} extra",
            report.outcome.missing.len(),
            report.outcome.extra.len()
        );
    }
    if let Some(c) = report.card_case.as_ref().filter(|c| !c.outcome.exact) {
        bail!(
            "the card-only trace is not exact: {} missing, {} extra",
            c.outcome.missing.len(),
            c.outcome.extra.len()
        );
    }
    Ok(())
}

async fn demo(args: &Args) -> Result<Report> {
    let dir = match &args.dir {
        Some(d) => {
            // The demo's folder holds desks' case files and contact lists: owner-only.
            spur_offline::private::private_dir(d)?;
            d.clone()
        }
        None => tempfile::Builder::new()
            .prefix("spur-demo-")
            .tempdir()?
            .keep(),
    };
    std::fs::create_dir_all(dir.join("phones"))?;
    let quiet = args.json;
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut rng = ChaCha20Rng::seed_from_u64(args.seed);
    let world = sim::World::generate(args.people, args.days, args.seed);
    let start = trace::start_minute(args.days);

    let t = Instant::now();
    let mut stage = stage::Stage::start(&dir, &mut rng, start).await?;
    timings.push((
        "setup: keys, directory, servers".into(),
        t.elapsed().as_secs_f64(),
    ));

    let t = Instant::now();
    let bar = report::bar(quiet, world.people.len() as u64, "registering citizens");
    let phones = citizens::register(&stage, &world, &|n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    let (place_urls, card_urls) = citizens::make_codes(&world, &phones).await?;
    timings.push((
        "citizens register, make codes and cards".into(),
        t.elapsed().as_secs_f64(),
    ));
    let mut town = citizens::Citizens {
        phones,
        place_urls,
        card_urls,
        offline_completed: 0,
        frames: (0, 0),
    };

    let t = Instant::now();
    let bar = report::bar(quiet, world.stays.len() as u64, "check-ins by camera");
    citizens::check_ins(&stage, &world, &mut town, start, &|n| {
        bar.set_position(n as u64)
    })
    .await?;
    bar.finish_and_clear();
    timings.push((
        "check-ins (camera frames decoded, uploads)".into(),
        t.elapsed().as_secs_f64(),
    ));

    // The infected person: the citizen with the most contacts over the simulated days, wherever
    // they live.
    let horizon = args.days * 1440;
    let infected = (0..world.people.len())
        .filter(|&p| !world.people[p].card_only)
        .max_by_key(|&p| (world.contacts_of(p, 0, horizon).len(), std::cmp::Reverse(p)))
        .context("nobody to fall ill")?;
    stage.clock.set(start.plus(horizon));
    let home = stage
        .directory
        .route(Some(&spur_protocol::fields::Region::parse(
            "DE",
            Some(&world.people[infected].postcode),
        )?))?
        .id;

    // Munich's health office makes the consent code, wherever the person lives: for a Berlin
    // resident their user entries (sealed to Berlin) are relayed through the Berlin desk.
    let consenting = stage::AUTHORITIES[0].0;

    let t = Instant::now();
    let days = u8::try_from(args.days).unwrap_or(28);
    let shown = trace::consent(
        &stage,
        &mut rng,
        &town.phones[infected],
        &world.people[infected].phone,
        consenting,
        start.day(),
        days,
    )
    .await?;
    timings.push((
        "consent: code scanned, days released".into(),
        t.elapsed().as_secs_f64(),
    ));

    let (lists, counts) = trace::run(
        &mut stage,
        &mut rng,
        &shown.case_id,
        &shown.url,
        &mut timings,
    )
    .await?;
    let expected: Vec<String> = world
        .contacts_of(infected, 0, horizon)
        .iter()
        .map(|&p| world.people[p].phone.clone())
        .collect();
    let outcome = Outcome::compare(&lists, &expected, &world.people[infected].phone);
    for phone in outcome.missing.iter().chain(&outcome.extra) {
        // Explain a difference: the person's stays that touch the infected person's.
        if let Some(p) = world.people.iter().position(|x| &x.phone == phone) {
            eprintln!("{}", world.explain(infected, p));
        }
    }

    // A card-only person falls ill too: the holder of the card the most people scanned.
    let holder = (0..world.people.len())
        .filter(|&p| world.people[p].card_only)
        .max_by_key(|&p| {
            (
                world.card_scanners(p, 0, horizon).len(),
                std::cmp::Reverse(p),
            )
        })
        .filter(|&p| !world.card_scanners(p, 0, horizon).is_empty());
    let card_case = match holder {
        Some(h) => {
            let t = Instant::now();
            let card = town.card_urls[h]
                .as_ref()
                .context("the card holder has no card")?;
            let (card_lists, moved) = trace::card_only(
                &mut stage,
                &mut rng,
                consenting,
                card,
                start.day(),
                args.days,
            )
            .await?;
            timings.push((
                "card-only case: history request, trace".into(),
                t.elapsed().as_secs_f64(),
            ));
            let expected: Vec<String> = world
                .card_scanners(h, 0, horizon)
                .iter()
                .map(|&p| world.people[p].phone.clone())
                .collect();
            let outcome = Outcome::compare(&card_lists, &expected, &world.people[h].phone);
            Some(report::CardCase {
                holder: world.people[h].phone.clone(),
                case_id: trace::CARD_CASE.into(),
                contact_lists: card_lists,
                outcome,
                files_to_desks: moved.to_desks,
                files_to_vault: moved.to_vault,
            })
        }
        None => None,
    };

    let t = Instant::now();
    let stats = report::statistics(&mut stage, &dir)?;
    timings.push(("statistics and charts".into(), t.elapsed().as_secs_f64()));
    let posted = spur_server::store::Store::count(stage.post_store.as_ref()).unwrap_or(0);
    stage.stop();
    let dump = dump::check(&dir, &world)?;
    let mut report = Report::new(
        &world, &dir, infected, shown, lists, outcome, counts, &town, posted, stats, dump, timings,
    );
    report.consent.insert(
        "home authority".into(),
        stage
            .desk(home)
            .map(|d| d.authority_name(home))
            .unwrap_or_default(),
    );
    report.card_case = card_case;
    Ok(report)
}
