//! `spur vault`: the operator's offline vault — keys, directory signing, import, consent intake,
//! trace, resolve, statistics, audit and retention. Every step is written to the audit log.

use crate::files::{safe, write_out};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;
use rand_core::OsRng;
use spur_protocol::directory::Directory;
use spur_protocol::time::{Day, Minute};
use spur_vault::store::postgres::PostgresStore;
use spur_vault::Vault;

/// Options.
#[derive(clap::Args)]
pub struct Args {
    /// The vault's directory (keys, signed directory, SQLite store, audit log).
    #[arg(long, env = "SPUR_VAULT_DIR", default_value = "vault")]
    dir: PathBuf,
    /// Use this PostgreSQL database instead of the SQLite file (e.g. postgres://user@host/db).
    #[arg(long, env = "SPUR_VAULT_POSTGRES")]
    postgres: Option<String>,
    /// PostgreSQL schema of the vault's tables.
    #[arg(long, default_value = "spur_vault")]
    pg_schema: String,
    /// PostgreSQL TLS (the POST server's options).
    #[command(flatten)]
    db: spur_server::store::pg_options::PgTlsArgs,
    /// A TOML file whose keys are the long flags above (`dir`, `postgres`, `pg-schema`,
    /// `log-level`, `log-format`); flags on the command line win. Give it before the subcommand:
    /// `spur vault --config vault.toml import …`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Logging (the import job's summary lines; never an identifier or a key).
    #[command(flatten)]
    log: spur_server::log::LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the OP key pair and the directory root key (key files mode 0600).
    Init,
    /// Sign the directory of authorities from their entry files (`spur authority init`).
    SignDirectory {
        /// Entry files (entry.json of each desk).
        #[arg(long = "entry", required = true)]
        entries: Vec<PathBuf>,
        /// The authority for regions no range covers.
        #[arg(long)]
        default_authority: u16,
        /// Edition number (increase with every new directory).
        #[arg(long, default_value_t = 1)]
        serial: u32,
        /// The TAG server's POPRF public key (64 hex digits, as `spur server tag-key` prints
        /// it): every app checks each TMP key against it.
        #[arg(long)]
        tag_key: String,
    },
    /// Pin the POST server's export public key (`export-sign.key.pub` next to its store): from
    /// then on an export file must be signed by it, or it is refused.
    PinPostKey {
        /// The public key file the POST server wrote.
        key: PathBuf,
    },
    /// Import export files of the POST server (each checked whole; imported at most once).
    Import {
        /// Export files, in the order they were pulled.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Consent releases: list them, or take one and write the file for its authority.
    Consent {
        #[command(subcommand)]
        what: ConsentCommand,
    },
    /// Run the trace of an authority's SCAN-key file (tied to a consent, or for a card-only
    /// person carrying the authority's signed TMP-history request); one contacts file per authority.
    Trace {
        /// The SCAN-key file from the desk.
        file: PathBuf,
        /// Where to write the contact files.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Answer an authority's resolve request (registrations, places, personal codes); also writes
    /// what it forwards: contacts files for card owners of other authorities, a relay file for
    /// user entries sealed to the person's home authority.
    Resolve {
        /// The request file from the desk.
        file: PathBuf,
        /// Where to write the answer.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Take a home authority's relayed user entries (`spur authority open relay`) and seal them
    /// on to the consenting authority.
    Relay {
        /// The relayed file from the home authority.
        file: PathBuf,
        /// Where to write the file for the consenting authority.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Statistics per day, country and postcode, small counts suppressed: CSV, JSON, PNG charts.
    Stats {
        /// Counts below this are suppressed.
        #[arg(long, default_value_t = spur_vault::stats::DEFAULT_THRESHOLD)]
        threshold: u64,
        /// Write CSV here ("-" for standard output).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Write stats-timeseries.png and stats-postcodes.png into this directory.
        #[arg(long)]
        charts: Option<PathBuf>,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Delete everything recorded more than 28 days ago.
    Sweep {
        /// Count from this day (YYYY-MM-DD, UTC) instead of today.
        #[arg(long)]
        today: Option<String>,
    },
    /// Rows per table.
    Status,
}

#[derive(Subcommand)]
enum ConsentCommand {
    /// List consent releases not handled yet.
    List,
    /// Take the releases that answer one consent code the desk issued (the .code file
    /// `spur authority consent-code` wrote): find their user entries and write the file for the
    /// consenting authority. Releases that answer no code handed over stay waiting, untraced.
    Take {
        /// The desk's code file (PREFIX.code: the consent code's URL).
        #[arg(long)]
        code: PathBuf,
        /// Where to write the file.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every line, the chain and the head kept in the store.
    Verify,
}

fn open(args: &Args) -> anyhow::Result<Vault> {
    match &args.postgres {
        Some(url) => {
            let store = PostgresStore::connect_with(url, &args.pg_schema, &args.db.connector()?)
                .context("connecting to PostgreSQL")?;
            Ok(Vault::open_with(&args.dir, Box::new(store))?)
        }
        None => Ok(Vault::open(&args.dir)?),
    }
}

fn today() -> Day {
    spur_protocol::time::Clock::day(&spur_protocol::time::SystemClock)
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    spur_server::log::init(&args.log)?;
    if let Command::Init = args.command {
        Vault::init(&args.dir, &mut OsRng)?;
        println!("vault keys created in {}", args.dir.display());
        println!("hand op.pub and root.pub to every authority desk; keep op.key and root.key on this machine");
        return Ok(());
    }
    let mut vault = open(&args)?;
    match args.command {
        Command::Init => {}
        Command::SignDirectory {
            entries,
            default_authority,
            serial,
            tag_key,
        } => {
            let tag_key: [u8; 32] = data_encoding::HEXLOWER_PERMISSIVE
                .decode(tag_key.trim().as_bytes())
                .ok()
                .and_then(|v| v.try_into().ok())
                .context("--tag-key must be 64 hex digits")?;
            let tag_key = spur_protocol::tag::TagPublicKey::from_bytes(tag_key)
                .context("--tag-key is not a ristretto255 public key")?;
            let mut authorities = Vec::new();
            for e in &entries {
                let entry = spur_authority::entry::DirectoryEntry::load(e)?;
                authorities.push(
                    entry
                        .to_authority()
                        .with_context(|| format!("{}", e.display()))?,
                );
            }
            let dir = Directory {
                serial,
                issued: Minute::from_unix_seconds(now_secs()),
                tag_key,
                default_authority,
                authorities,
            };
            vault.sign_directory(&dir)?;
            println!(
                "signed directory {} with {} authorities: {}",
                serial,
                entries.len(),
                args.dir.join("directory.bin").display()
            );
        }
        Command::PinPostKey { key } => {
            vault.pin_post_key(&key)?;
            println!(
                "pinned the POST server's export key: unsigned or altered export files are refused from now on"
            );
        }
        Command::Import { files } => {
            if vault.post_key()?.is_none() {
                bail!(
                    "no POST server key is pinned, so no export file can be checked: run \
                     `spur vault pin-post-key export-sign.key.pub` (the file next to the POST \
                     server's store) once, then import again"
                );
            }
            let mut refused = 0;
            for f in &files {
                let r = vault.import(f);
                if r.is_ok() {
                    mark_imported(f);
                }
                match r {
                    Ok(c) if c.already_imported => {
                        println!("{}: imported before, nothing to do", f.display())
                    }
                    Ok(c) => println!(
                        "{}: {} rows, {} new, {} already present, {} did not open (kept apart){}",
                        f.display(),
                        c.rows,
                        c.new,
                        c.duplicates,
                        c.unopened,
                        if c.expired > 0 {
                            format!(", {} past retention (not stored)", c.expired)
                        } else {
                            String::new()
                        }
                    ),
                    Err(e) => {
                        refused += 1;
                        eprintln!("{}: {e}", f.display());
                    }
                }
            }
            tracing::info!(files = files.len(), refused, "vault import finished");
            if refused > 0 {
                bail!(
                    "{refused} of {} files refused; the others are imported",
                    files.len()
                );
            }
        }
        Command::Consent {
            what: ConsentCommand::List,
        } => {
            let pending = vault.pending_consents()?;
            if pending.is_empty() {
                println!("no consent releases waiting");
            }
            for c in pending {
                println!(
                    "case {}  authority {}  uploaded {}",
                    c.case_id,
                    c.consenting_authority,
                    c.day.date_text()
                );
            }
        }
        Command::Consent {
            what: ConsentCommand::Take { code, out },
        } => {
            let text = std::fs::read_to_string(&code)
                .with_context(|| format!("reading the code file {}", code.display()))?;
            let t = vault.consent(&mut OsRng, &text)?;
            let o = &t.file;
            let p = write_out(
                &out,
                &format!("consent-{}-{}.spkg", o.to, safe(&t.case_id)),
                &o.bytes,
            )?;
            println!(
                "wrote {} for authority {} (case {}: {} release(s), {} candidate(s))",
                p.display(),
                o.to,
                t.case_id,
                t.releases,
                t.candidates
            );
            if t.candidates > 1 {
                println!(
                    "note: the releases differ; the desk checks each against its case register \
                     (`spur authority open consent`)"
                );
            }
            for r in &t.refused {
                println!("refused release {}: {} (audited)", r.record, r.reason);
            }
            if t.unanswered > 0 {
                println!(
                    "note: {} other waiting release(s) name case {} but answer no code handed to \
                     this vault: left waiting, not traced (audited)",
                    t.unanswered, t.case_id
                );
            }
        }
        Command::Trace { file, out } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let r = vault.trace(&mut OsRng, &bytes)?;
            if let Some(t) = r.skips.summary() {
                println!("{t} (audited; the rest of the trace is unaffected)");
            }
            if r.files.is_empty() {
                println!("no contacts found");
            }
            for (f, (to, n)) in r.files.iter().zip(&r.contacts) {
                let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("trace");
                let p = write_out(
                    &out,
                    &format!("contacts-{to}-{}.spkg", safe(stem)),
                    &f.bytes,
                )?;
                // Counted as the desk counts them when it opens the file (`desk-slot-entries`):
                // the vault sees slot entries, the desk turns them into people and stays.
                let entries = spur_authority::texts::Texts::new().format(
                    spur_authority::texts::Lang::En,
                    &spur_authority::texts::Msg::new("desk-slot-entries").num("entries", *n as f64),
                );
                println!("wrote {} ({entries} for authority {to})", p.display());
            }
        }
        Command::Resolve { file, out } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let r = vault.resolve(&mut OsRng, &bytes)?;
            if let Some(t) = r.skips.summary() {
                println!("{t} (audited; the rest is answered)");
            }
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("resolve");
            let o = &r.answer;
            let p = write_out(
                &out,
                &format!("resolved-{}-{}.spkg", o.to, safe(stem)),
                &o.bytes,
            )?;
            println!("wrote {} for authority {}", p.display(), o.to);
            for f in &r.forwarded {
                let kind = spur_wire::exchange::peek(&f.bytes)?.kind.name();
                let p = write_out(
                    &out,
                    &format!("{kind}-{}-{}.spkg", f.to, safe(stem)),
                    &f.bytes,
                )?;
                println!("wrote {} for authority {} (forwarded)", p.display(), f.to);
            }
        }
        Command::Relay { file, out } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let o = vault.relay(&mut OsRng, &bytes)?;
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("relay");
            let p = write_out(
                &out,
                &format!("relayed-{}-{}.spkg", o.to, safe(stem)),
                &o.bytes,
            )?;
            println!("wrote {} for authority {}", p.display(), o.to);
        }
        Command::Stats {
            threshold,
            csv,
            json,
            charts,
        } => {
            let rows = vault.stats(threshold)?;
            let csv_text = spur_vault::stats::to_csv(&rows, threshold)?;
            match csv.as_deref() {
                Some(p) if p == Path::new("-") => print!("{csv_text}"),
                Some(p) => std::fs::write(p, &csv_text)
                    .with_context(|| format!("writing {}", p.display()))?,
                None if json.is_none() && charts.is_none() => print!("{csv_text}"),
                None => {}
            }
            if let Some(p) = json {
                std::fs::write(&p, spur_vault::stats::to_json(&rows, threshold))
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            if let Some(d) = charts {
                std::fs::create_dir_all(&d)?;
                spur_vault::chart::time_series(&rows, &d.join("stats-timeseries.png"), 8)?;
                spur_vault::chart::bar_by_postcode(&rows, &d.join("stats-postcodes.png"), 25)?;
                println!("charts written to {}", d.display());
            }
        }
        Command::Audit {
            what: AuditCommand::Verify,
        } => {
            let r = vault.audit_verify()?;
            println!("audit log verifies: {} lines, head {}", r.lines, r.head);
            if r.unconfirmed > 0 {
                println!(
                    "  {} line(s) after the last confirmed step: a step was interrupted after \
                     logging; the next vault command confirms them",
                    r.unconfirmed
                );
            }
            if r.torn_bytes > 0 {
                println!(
                    "  {} byte(s) of a torn last line: a write was interrupted; the next vault \
                     command cuts them",
                    r.torn_bytes
                );
            }
        }
        Command::Sweep { today: t } => {
            let day = match t {
                Some(s) => spur_protocol::time::Day::from_date_text(&s)
                    .with_context(|| format!("{s:?} is not a YYYY-MM-DD date"))?,
                None => today(),
            };
            let n = vault.sweep(day)?;
            println!("deleted {n} rows recorded before the last 28 days");
        }
        Command::Status => {
            let c = vault.store().counts()?;
            println!("{}", serde_json::to_string_pretty(&c)?);
        }
    }
    Ok(())
}

/// Leaves `NAME.imported` next to an imported export file, so the next `spur server pull` into
/// that folder deletes it. Best effort: a read-only medium only keeps the file longer.
fn mark_imported(f: &Path) {
    let mut m = f.as_os_str().to_owned();
    m.push(spur_server::pull::IMPORTED_MARK);
    if std::fs::write(&m, b"").is_err() {
        eprintln!(
            "note: could not mark {} as imported; delete it by hand or let the 28-day sweep do it",
            f.display()
        );
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
