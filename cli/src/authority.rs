//! `spur authority`: the health authority's desk — keys and directory entry, consent codes,
//! opening the vault's files, the contact list, and the signed request for a card's TMP keys.

use crate::files::{safe, write_out};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;
use rand_core::OsRng;
use spur_authority::entry::RangeEntry;
use spur_authority::open::TmpHistory;
use spur_authority::settings::Settings;
use spur_authority::texts::{Lang, Msg, Texts};
use spur_authority::{case, contacts, open, Desk, DeskError};
use spur_protocol::tag::QrId;
use spur_protocol::time::{Day, Minute, Slot, SLOTS_PER_DAY};

/// Options.
#[derive(clap::Args)]
pub struct Args {
    /// The desk's directory (keys, pinned directory, case files).
    #[arg(long, env = "SPUR_DESK_DIR", default_value = "desk")]
    dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the authority's keys (mode 0600) and its directory entry (entry.json).
    Init {
        /// Authority id (1–65535), agreed with the operator.
        #[arg(long)]
        id: u16,
        /// Name shown to citizens.
        #[arg(long)]
        name: String,
        /// Postcode ranges, e.g. DE:80000-81999 (repeat).
        #[arg(long = "range")]
        ranges: Vec<String>,
        /// Language of the desk's sheets, lists and messages: de or en.
        #[arg(long, default_value = spur_authority::settings::DEFAULT_LANG)]
        lang: String,
        /// IANA time zone the desk shows times in.
        #[arg(long, default_value = spur_authority::settings::DEFAULT_TIME_ZONE)]
        time_zone: String,
    },
    /// Pin the operator's root key, the signed directory and the vault's OP key.
    Pin {
        /// root.pub from the operator.
        #[arg(long)]
        root: PathBuf,
        /// directory.bin from the operator.
        #[arg(long)]
        directory: PathBuf,
        /// op.pub from the operator.
        #[arg(long)]
        op: PathBuf,
    },
    /// Make a consent code for one person, a case and a range of days (none after today, none
    /// older than 28 days): PNG, printable PDF, and PREFIX.code for the vault. The code is
    /// recorded in the desk's case register (register.json).
    ConsentCode {
        /// Case id (A–Z, 0–9, - and /; up to 16).
        #[arg(long)]
        case: String,
        /// The phone number (E.164) of the person the code is for: only their app accepts it,
        /// and only their release is opened.
        #[arg(long)]
        phone: String,
        /// First day asked for (YYYY-MM-DD).
        #[arg(long)]
        first_day: String,
        /// Number of days (1–28; the last one today at the latest).
        #[arg(long, default_value_t = 14)]
        days: u8,
        /// Hours the code stays valid (at most 168, 7 days).
        #[arg(long, default_value_t = 72)]
        valid_hours: u32,
        /// The service's host name in the URL.
        #[arg(long, default_value = "spur.example")]
        host: String,
        /// Output prefix: PREFIX.png, PREFIX.pdf and PREFIX.code (hand the .code file to the
        /// vault operator with the case: `spur vault consent take --code PREFIX.code`).
        #[arg(long)]
        out: PathBuf,
    },
    /// Open a file from the vault.
    Open {
        #[command(subcommand)]
        what: OpenCommand,
    },
    /// Write the contact list of a case (CSV safe for spreadsheets, and JSON).
    Contacts {
        /// The case id.
        #[arg(long)]
        case: String,
        /// The consenting authority (default: this desk).
        #[arg(long)]
        authority: Option<u16>,
        /// CSV file ("-" for standard output).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// JSON file.
        #[arg(long)]
        json: Option<PathBuf>,
        /// PDF file for printing.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// Trace a card-only person (no app): from their printed card, the signed history request
    /// and the TAG server's answer, write the SCAN-key file for the vault.
    CardTrace {
        /// Case id (A–Z, 0–9, - and /; up to 16).
        #[arg(long)]
        case: String,
        /// The card's URL (as its QR code reads).
        #[arg(long)]
        card: String,
        /// The card's PIN, when it is protected (ask its owner).
        #[arg(long, env = "SPUR_CARD_PIN")]
        pin: Option<String>,
        /// The card was made by an app using the cheap test KDF (`spur app init --test-kdf`): tests
        /// only. Debug builds only: a release build has no such flag, so a cheap KDF can never
        /// be switched on in production.
        #[cfg(debug_assertions)]
        #[arg(long)]
        test_kdf: bool,
        /// The POST server's URL, where a PIN card's PIN is checked before the request is used.
        #[arg(long, env = "SPUR_POST_URL")]
        post: Option<String>,
        /// The request made with `history-request` for this card.
        #[arg(long)]
        request: PathBuf,
        /// The TAG server's answer to it (JSON).
        #[arg(long = "tmp-keys")]
        tmp_keys: PathBuf,
        /// Where to write the SCAN-key file.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Delete case and contact files (they hold phone numbers) untouched for more than 28 days.
    Sweep,
    /// The desk's audit log.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Sign a request for a printed card's past TMP keys (body of POST /v1/tmp-keys/history).
    HistoryRequest {
        /// The card's QR id (32 hex digits); or give --card.
        #[arg(long, required_unless_present = "card")]
        qr_id: Option<String>,
        /// The card's URL (as its QR code reads), instead of --qr-id.
        #[arg(long)]
        card: Option<String>,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        first_day: String,
        /// Number of days, up to today.
        #[arg(long, default_value_t = 14)]
        days: u32,
        /// Where to write the request.
        #[arg(long)]
        out: PathBuf,
        /// The TAG server's URL: send the request right away (with --answer).
        #[arg(long, env = "SPUR_TAG_URL", requires = "answer")]
        tag_url: Option<String>,
        /// Where to write the TAG server's answer (for `card-trace --tmp-keys` or
        /// `open consent --tmp-keys`).
        #[arg(long, requires = "tag_url")]
        answer: Option<PathBuf>,
    },
    /// Serve the desk's web pages for its staff (login required) on this machine only.
    Serve {
        /// Address to listen on: 127.0.0.1 (port 0 picks a free one). Other addresses are
        /// refused unless --allow-remote: the pages carry phone numbers over plain HTTP.
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: std::net::SocketAddr,
        /// Serve on a non-loopback address (only behind a TLS proxy the office runs).
        #[arg(long)]
        allow_remote: bool,
        /// The service's host name in consent codes.
        #[arg(long, default_value = "spur.example")]
        host: String,
        /// Hours a consent code stays valid (at most 168).
        #[arg(long, default_value_t = 72)]
        valid_hours: u32,
        /// The POST server's URL, where a PIN card's PIN is checked in a card-only trace.
        #[arg(long, env = "SPUR_POST_URL")]
        post: Option<String>,
        /// The TAG server's URL: a card-only trace sends its signed history request there and
        /// keeps the verified answer (without it the tracer sends the downloaded request).
        #[arg(long, env = "SPUR_TAG_URL")]
        tag_url: Option<String>,
        /// Card traces derive card keys with the cheap test KDF (`spur app init --test-kdf`):
        /// tests only; debug builds only.
        #[cfg(debug_assertions)]
        #[arg(long)]
        test_kdf: bool,
    },
    /// The desk's staff accounts for the web pages (passwords hashed with Argon2id).
    Staff {
        #[command(subcommand)]
        what: StaffCommand,
    },
    /// Bring in any file from the vault: its kind is read from its content and it is opened as
    /// the matching `open …` command does; the files for the vault go to --out.
    Import {
        /// The file from the vault.
        file: PathBuf,
        /// The TAG server's answers for the person's own cards (consent files).
        #[arg(long = "tmp-keys")]
        tmp_keys: Vec<PathBuf>,
        /// Which registration to open when several sent a release (consent files).
        #[arg(long)]
        candidate: Option<usize>,
        /// Where to write the files for the vault.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Where every case stands, and what to do next.
    Status,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account; the password is read from standard input (one line).
    Add {
        /// The staff member's login name (a-z, 0-9, '.', '-', '_').
        #[arg(long)]
        name: String,
        /// Replace the password of an existing account.
        #[arg(long)]
        reset: bool,
    },
    /// Remove a staff account.
    Remove {
        /// The login name.
        #[arg(long)]
        name: String,
    },
    /// List the staff accounts.
    List,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every line, the chain and the head kept next to the log.
    Verify,
}

#[derive(Subcommand)]
enum OpenCommand {
    /// A consent package: writes the SCAN-key file and a resolve request for the vault.
    Consent {
        /// The package.
        file: PathBuf,
        /// The TAG server's answers to history requests for the person's own cards.
        #[arg(long = "tmp-keys")]
        tmp_keys: Vec<PathBuf>,
        /// When several registrations sent a release with the person's phone number: the
        /// candidate to open (the number this command listed).
        #[arg(long)]
        candidate: Option<usize>,
        /// Where to write the files for the vault.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// A contacts package: opens the references, writes a resolve request for the vault.
    Contacts {
        /// The package.
        file: PathBuf,
        /// Where to write the request.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// A relay file (this desk is the infected person's home authority): takes off the AUTH
    /// layer of their user entries and writes the file back for the vault.
    Relay {
        /// The relay file.
        file: PathBuf,
        /// Where to write the file for the vault.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Relayed user entries of this desk's case: opens them, writes a further SCAN-key file and
    /// request for the vault.
    Relayed {
        /// The relayed file.
        file: PathBuf,
        /// Where to write the files for the vault.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// A resolve answer: contact data, place names, personal-code owners.
    Resolved {
        /// The answer.
        file: PathBuf,
        /// Where to write a further request, if one is needed.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
}

fn now() -> Minute {
    spur_protocol::time::Clock::minute(&spur_protocol::time::SystemClock)
}

/// `msg` in `lang` (for messages made before or without an open desk).
fn say(lang: Lang, msg: &Msg) -> String {
    texts().format(lang, msg)
}

/// The language of the desk folder `dir` (German when it has no readable settings).
fn lang_of(dir: &Path) -> Lang {
    Settings::load(dir).map_or(Lang::De, |s| s.lang())
}

fn date(lang: Lang, s: &str) -> anyhow::Result<spur_protocol::time::Day> {
    Day::from_date_text(s).with_context(|| {
        say(
            lang,
            &Msg::new("desk-err-date").text("text", format!("{s:?}")),
        )
    })
}

/// Asks the POST server at `post` whether the PIN-derived `tag` is the card's (`POST /v1/pin-check`).
fn card_pin_answer(
    lang: Lang,
    post: Option<&str>,
    id: &QrId,
    tag: &spur_protocol::tag::TagKey,
) -> anyhow::Result<spur_authority::card::PinAnswer> {
    use spur_authority::card::PinAnswer;
    use spur_core::transport::{NetError, Transport};
    let Some(post) = post else {
        bail!("{}", say(lang, &Msg::new("desk-err-pin-post")));
    };
    let net = spur_core::http::HttpTransport::new(post, post)
        .map_err(|_| anyhow::anyhow!("{post:?} is not an allowed server URL"))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match rt.block_on(net.pin_check(*id, tag.pin_check(id))) {
        Ok(true) => Ok(PinAnswer::Confirmed),
        Ok(false) => Ok(PinAnswer::NotConfirmed),
        Err(NetError::Busy { status: 429 }) => Ok(PinAnswer::TooMany),
        Err(e) => {
            bail!(
                "{}",
                say(
                    lang,
                    &Msg::new("desk-err-pin-check").text("why", format!("{e:?}"))
                )
            )
        }
    }
}

/// The personal code a card's URL carries.
fn personal_code(lang: Lang, url: &str) -> anyhow::Result<spur_protocol::qr::PersonalCode> {
    match spur_protocol::qr::Payload::parse(url)?.code {
        spur_protocol::qr::Code::Personal(p) => Ok(p),
        _ => bail!("{}", say(lang, &Msg::new("desk-err-not-card"))),
    }
}

/// The desk's words (parsed once per command).
fn texts() -> Texts {
    Texts::new()
}

/// The list of a contact file, with this desk's own case file when the case is its own.
fn list_of(desk: &Desk, cf: &case::ContactFile) -> anyhow::Result<contacts::ContactList> {
    let own: Option<case::CaseFile> = if cf.consenting_authority == desk.id {
        case::load(&case::case_path(&desk.cases_dir()?, &cf.case_id))?
    } else {
        None
    };
    Ok(contacts::build(desk, cf, own.as_ref()))
}

/// Sends a signed history request to the TAG server (`POST /v1/tmp-keys/history`) and returns
/// its answer.
fn send_history(lang: Lang, tag_url: &str, request: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let url = format!(
        "{}{}",
        tag_url.trim_end_matches('/'),
        spur_wire::api::routes::TMP_KEYS_HISTORY
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/octet-stream")
            .body(request)
            .send()
            .await
            .with_context(|| format!("sending the history request to {url}"))?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .context("reading the TAG server's answer")?;
        if !status.is_success() {
            bail!(
                "{}",
                say(
                    lang,
                    &Msg::new("desk-err-tag-refused")
                        .text("status", status.to_string())
                        .text(
                            "body",
                            spur_protocol::fields::printable(&String::from_utf8_lossy(&body))
                        )
                )
            );
        }
        Ok(body.to_vec())
    })
}

fn read(p: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(p).with_context(|| format!("reading {}", p.display()))
}

/// Runs the command; the desk's own refusals in the desk's language.
pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = args.dir.clone();
    // `init` refuses before the folder has settings: in the language it was asked for.
    let asked = match &args.command {
        Command::Init { lang, .. } => Some(Lang::from_tag(lang)),
        _ => None,
    };
    run_command(args).map_err(|e| in_desk_language(e, asked.unwrap_or_else(|| lang_of(&dir))))
}

/// `e` with every desk refusal in its chain worded in `lang` (the rest of the chain, which names
/// paths and fields, as it is).
fn in_desk_language(e: anyhow::Error, lang: Lang) -> anyhow::Error {
    if !e.chain().any(|c| c.downcast_ref::<DeskError>().is_some()) {
        return e;
    }
    let words: Vec<String> = e
        .chain()
        .map(|c| {
            c.downcast_ref::<DeskError>()
                .map_or_else(|| c.to_string(), |d| d.say(lang))
        })
        .collect();
    anyhow::anyhow!(words.join(": "))
}

fn run_command(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Init {
            id,
            name,
            ranges,
            lang,
            time_zone,
        } => {
            let ranges = ranges
                .iter()
                .map(|r| RangeEntry::parse(r))
                .collect::<Result<Vec<_>, _>>()?;
            let settings = Settings::new(&lang, &time_zone)?;
            Desk::init_with(&args.dir, &mut OsRng, id, &name, ranges, &settings)?;
            println!(
                "{}",
                texts().format(
                    settings.lang(),
                    &Msg::new("desk-msg-init")
                        .text("lang", settings.lang.clone())
                        .text("zone", settings.time_zone.clone())
                        .text("entry", args.dir.join("entry.json").display().to_string())
                )
            );
        }
        Command::Pin {
            root,
            directory,
            op,
        } => {
            let d = Desk::pin(&args.dir, &root, &directory, &op)?;
            let lang = lang_of(&args.dir);
            println!(
                "{}",
                texts().format(
                    lang,
                    &Msg::new("desk-msg-pinned")
                        .text("serial", d.serial.to_string())
                        .num("count", d.authorities.len() as f64)
                )
            );
        }
        Command::ConsentCode {
            case,
            phone,
            first_day,
            days,
            valid_hours,
            host,
            out,
        } => {
            let desk = Desk::open(&args.dir)?;
            let phone = spur_protocol::fields::PhoneNumber::parse(&phone)
                .with_context(|| desk.say(&Msg::new("desk-err-phone")))?;
            let max = spur_protocol::consent::MAX_LIFETIME_HOURS;
            if valid_hours == 0 || valid_hours > max {
                bail!(
                    "{}",
                    desk.say(&Msg::new("desk-err-valid-hours").num("max", max))
                );
            }
            let t = now();
            let made = spur_authority::code::make(
                &desk,
                &mut OsRng,
                &host,
                &spur_authority::code::CodeRequest {
                    case_id: &case,
                    first_day: date(desk.lang(), &first_day)?,
                    days,
                    now: t,
                    expires: t.plus(valid_hours * 60),
                },
                &phone,
            )?;
            let png = out.with_extension("png");
            let pdf = out.with_extension("pdf");
            let code = out.with_extension("code");
            std::fs::write(&png, &made.png)
                .with_context(|| format!("writing {}", png.display()))?;
            std::fs::write(&pdf, &made.pdf)
                .with_context(|| format!("writing {}", pdf.display()))?;
            std::fs::write(&code, format!("{}\n", made.url))
                .with_context(|| format!("writing {}", code.display()))?;
            println!("{}", made.url);
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-code-made")
                        .text("png", png.display().to_string())
                        .text("pdf", pdf.display().to_string())
                        .text("code", code.display().to_string())
                )
            );
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-code-hand")
                        .text("code", code.display().to_string())
                        .text("case", case.clone())
                )
            );
        }
        Command::Open {
            what:
                OpenCommand::Consent {
                    file,
                    tmp_keys,
                    candidate,
                    out,
                },
        } => {
            let desk = Desk::open(&args.dir)?;
            let histories = tmp_keys
                .iter()
                .map(|p| Ok(TmpHistory::parse(&read(p)?)?))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let o = open::open_consent_choosing(
                &desk,
                &mut OsRng,
                &read(&file)?,
                &histories,
                candidate,
            )?;
            case::save(
                &case::case_path(&desk.cases_dir()?, &o.case.case_id),
                &o.case,
            )?;
            let c = safe(&o.case.case_id);
            let a = write_out(&out, &format!("scan-keys-{c}.spkg"), &o.scan_file)?;
            let b = write_out(&out, &format!("resolve-places-{c}.spkg"), &o.resolve_file)?;
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-consent-opened")
                        .text("case", o.case.case_id.clone())
                        .num("stays", o.case.stays.len() as f64)
                        .text("scan", a.display().to_string())
                        .text("resolve", b.display().to_string())
                )
            );
            for n in o.notes {
                println!("{}", desk.say(&Msg::new("desk-msg-note").text("note", n)));
            }
            if let Some(t) = spur_authority::texts::skipped(&o.skips) {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-skipped-case").msgs("what", vec![t]))
                );
            }
        }
        Command::Open {
            what: OpenCommand::Contacts { file, out },
        } => {
            let desk = Desk::open(&args.dir)?;
            let o = open::open_contacts(&desk, &mut OsRng, &read(&file)?)?;
            let cf = &o.file;
            let list = list_of(&desk, cf)?;
            // A file of place labels only (forwarded by the vault) has no slot entries to count.
            if o.entries > 0 || o.place_labels == 0 {
                println!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-msg-contacts-opened")
                            .text("case", cf.case_id.clone())
                            .text("authority", desk.authority_name(cf.consenting_authority))
                            .num("entries", o.entries as f64)
                            .num("people", list.people.len() as f64)
                            .num("stays", list.stay_count as f64)
                    )
                );
            }
            if o.place_labels > 0 {
                println!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-msg-place-labels")
                            .num("count", o.place_labels as f64)
                            .text("authority", desk.authority_name(cf.consenting_authority))
                    )
                );
            }
            if let Some(t) = spur_authority::texts::skipped(&o.skips) {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-skipped-contacts").msgs("what", vec![t]))
                );
            }
            if let Some(r) = o.request {
                let p = write_out(
                    &out,
                    &format!("resolve-contacts-{}.spkg", safe(&cf.case_id)),
                    &r,
                )?;
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-for-vault").text("file", p.display().to_string()))
                );
            }
        }
        Command::Open {
            what: OpenCommand::Resolved { file, out },
        } => {
            let desk = Desk::open(&args.dir)?;
            let o = open::open_resolved(&desk, &mut OsRng, &read(&file)?)?;
            if let Some(t) = spur_authority::texts::skipped(&o.skips) {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-skipped-final").msgs("what", vec![t]))
                );
            }
            if o.gone > 0 {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-gone").num("count", o.gone as f64))
                );
            }
            match o.request {
                Some(r) => {
                    // Named by the file's own number, not by the answer's name: names do not grow.
                    let n = std::fs::read_dir(&out).map_or(0, |d| d.count());
                    let p = write_out(&out, &format!("resolve-more-{}.spkg", n + 1), &r)?;
                    println!(
                        "{}",
                        desk.say(&Msg::new("desk-msg-more").text("file", p.display().to_string()))
                    );
                }
                None => println!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-msg-resolved")
                            .text("case", o.case_id.clone())
                            .text("authority", o.consenting_authority.to_string())
                    )
                ),
            }
        }
        Command::Open {
            what: OpenCommand::Relay { file, out },
        } => {
            let desk = Desk::open(&args.dir)?;
            let (back, n) = spur_authority::relay::open_relay(&desk, &mut OsRng, &read(&file)?)?;
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("relay");
            let p = write_out(&out, &format!("relayed-{}.spkg", safe(stem)), &back)?;
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-relay")
                        .num("count", n as f64)
                        .text("file", p.display().to_string())
                )
            );
        }
        Command::Open {
            what: OpenCommand::Relayed { file, out },
        } => {
            let desk = Desk::open(&args.dir)?;
            let o = spur_authority::relay::open_relayed(&desk, &mut OsRng, &read(&file)?)?;
            let c = safe(&o.case.case_id);
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-relayed")
                        .text("case", o.case.case_id.clone())
                        .num("count", o.added as f64)
                )
            );
            if let Some(t) = spur_authority::texts::skipped(&o.skips) {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-skipped-case").msgs("what", vec![t]))
                );
            }
            if let (Some(s), Some(r)) = (o.scan_file, o.resolve_file) {
                let a = write_out(&out, &format!("scan-keys-{c}-relayed.spkg"), &s)?;
                let b = write_out(&out, &format!("resolve-places-{c}-relayed.spkg"), &r)?;
                println!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-msg-for-vault-two")
                            .text("a", a.display().to_string())
                            .text("b", b.display().to_string())
                    )
                );
            }
            if o.unopened > 0 {
                println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-unopened").num("count", o.unopened as f64))
                );
            }
        }
        Command::CardTrace {
            case: case_id,
            card,
            pin,
            #[cfg(debug_assertions)]
            test_kdf,
            post,
            request,
            tmp_keys,
            out,
        } => {
            let desk = Desk::open(&args.dir)?;
            let code = personal_code(desk.lang(), &card)?;
            // The cheap test KDF exists only in debug builds (the flag above): release builds
            // always derive with the real cost.
            #[cfg(debug_assertions)]
            let cost = if test_kdf {
                spur_protocol::usr::TEST_KDF
            } else {
                spur_protocol::usr::USR_KDF
            };
            #[cfg(not(debug_assertions))]
            let cost = spur_protocol::usr::USR_KDF;
            let tag = code.tag(pin.as_deref(), cost)?;
            if code.pin_protected {
                spur_authority::card::require_confirmed_pin(card_pin_answer(
                    desk.lang(),
                    post.as_deref(),
                    &code.id,
                    &tag,
                )?)?;
            }
            let history = spur_authority::history::answer_or_kept(
                &desk,
                &read(&request)?,
                &code.id,
                &read(&tmp_keys)?,
            )?;
            let o = spur_authority::card::card_trace(
                &desk,
                &mut OsRng,
                &case_id,
                &code.id,
                &tag,
                &read(&request)?,
                &history,
            )?;
            case::save(
                &case::case_path(&desk.cases_dir()?, &o.case.case_id),
                &o.case,
            )?;
            let p = write_out(
                &out,
                &format!("scan-keys-{}.spkg", safe(&case_id)),
                &o.scan_file,
            )?;
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-card-trace")
                        .text("case", case_id.clone())
                        .text("file", p.display().to_string())
                )
            );
        }
        Command::Contacts {
            case: case_id,
            authority,
            csv,
            json,
            pdf,
        } => {
            let desk = Desk::open(&args.dir)?;
            let consenting = authority.unwrap_or(desk.id);
            let cases = desk.cases_dir()?;
            let Some(cf) = case::load::<case::ContactFile>(&case::contacts_path(
                &cases, consenting, &case_id,
            ))?
            else {
                bail!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-err-no-contacts")
                            .text("case", case_id.clone())
                            .text("authority", consenting.to_string())
                    )
                );
            };
            let list = list_of(&desk, &cf)?;
            spur_authority::audit::record(
                &desk,
                "contact-list",
                serde_json::json!({
                    "case": case_id,
                    "consenting_authority": consenting,
                    "people": list.people.len(),
                    "stays": list.stay_count,
                    "csv": csv.as_ref().map(|p| p.display().to_string()),
                    "json": json.as_ref().map(|p| p.display().to_string()),
                    "pdf": pdf.as_ref().map(|p| p.display().to_string()),
                }),
            )?;
            let written = |p: &Path| {
                eprintln!(
                    "{}",
                    desk.say(
                        &Msg::new("desk-msg-list-written").text("file", p.display().to_string())
                    )
                );
            };
            match csv.as_deref() {
                Some(p) if p == Path::new("-") => print!("{}", contacts::to_csv(&list)?),
                Some(p) => {
                    spur_offline::private::write_private_file(
                        p,
                        contacts::to_csv(&list)?.as_bytes(),
                    )?;
                    written(p);
                }
                // No file asked for: the list on screen.
                None if json.is_none() && pdf.is_none() => print!("{}", contacts::to_text(&list)),
                None => {}
            }
            if let Some(p) = json {
                spur_offline::private::write_private_file(&p, contacts::to_json(&list).as_bytes())?;
                written(&p);
            }
            if let Some(p) = pdf {
                spur_offline::private::write_private_file(&p, &contacts::to_pdf(&list))?;
                written(&p);
            }
            eprintln!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-list")
                        .text("case", case_id.clone())
                        .num("people", list.people.len() as f64)
                        .num("stays", list.stay_count as f64)
                )
            );
        }
        Command::Sweep => {
            let desk = Desk::open(&args.dir)?;
            let now =
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::from(now().0) * 60);
            let s = spur_authority::retention::sweep(&desk, now)?;
            println!(
                "{}",
                desk.say(
                    &Msg::new("desk-msg-sweep")
                        .num("deleted", s.deleted as f64)
                        .num("kept", s.kept as f64)
                )
            );
        }
        Command::Audit {
            what: AuditCommand::Verify,
        } => {
            let r = spur_authority::audit::verify(&args.dir)?;
            let (t, lang) = (texts(), lang_of(&args.dir));
            println!(
                "{}",
                t.format(
                    lang,
                    &Msg::new("desk-msg-audit-ok")
                        .num("lines", r.lines as f64)
                        .text("head", r.head.to_string())
                )
            );
            if r.unconfirmed > 0 {
                println!(
                    "{}",
                    t.format(
                        lang,
                        &Msg::new("desk-msg-audit-unconfirmed").num("count", r.unconfirmed as f64)
                    )
                );
            }
            if r.torn_bytes > 0 {
                println!(
                    "{}",
                    t.format(
                        lang,
                        &Msg::new("desk-msg-audit-torn").num("count", r.torn_bytes as f64)
                    )
                );
            }
        }
        Command::HistoryRequest {
            qr_id,
            card,
            first_day,
            days,
            out,
            tag_url,
            answer,
        } => {
            let desk = Desk::open(&args.dir)?;
            let id = match (qr_id, card) {
                (Some(h), _) => QrId::from_hex(&h)?,
                (None, Some(url)) => personal_code(desk.lang(), &url)?.id,
                (None, None) => bail!("{}", desk.say(&Msg::new("desk-err-qr-or-card"))),
            };
            let first = date(desk.lang(), &first_day)?;
            let t = now();
            let first_slot = first
                .0
                .checked_mul(SLOTS_PER_DAY)
                .with_context(|| desk.say(&Msg::new("desk-err-days-range")))?;
            let last = first
                .0
                .checked_add(days.max(1))
                .and_then(|d| d.checked_mul(SLOTS_PER_DAY))
                .and_then(|s| s.checked_sub(1))
                .map(Slot)
                .with_context(|| desk.say(&Msg::new("desk-err-days-range")))?
                .min(t.slot());
            let req =
                spur_authority::history::request(&desk, &mut OsRng, id, Slot(first_slot), last, t)?;
            std::fs::write(&out, &req).with_context(|| format!("writing {}", out.display()))?;
            spur_authority::audit::record(
                &desk,
                "history-request",
                serde_json::json!({
                    "request": data_encoding::HEXLOWER.encode(&spur_wire::exchange::request_tag(&req)),
                    "first_slot": first_slot,
                    "last_slot": last.0,
                }),
            )?;
            let file = out.display().to_string();
            println!(
                "{}",
                desk.say(&Msg::new("desk-msg-history-written").text("file", file.clone()))
            );
            match (tag_url, answer) {
                (Some(url), Some(answer)) => {
                    let body = send_history(desk.lang(), &url, req.clone())?;
                    // Kept only once every key verifies against the TAG server's published key.
                    let verified = spur_authority::history::finish(&desk, &req, &id, &body)?;
                    let n = verified.keys.len();
                    std::fs::write(&answer, verified.to_json())
                        .with_context(|| format!("writing {}", answer.display()))?;
                    println!(
                        "{}",
                        desk.say(
                            &Msg::new("desk-msg-history-answer")
                                .text("file", answer.display().to_string())
                                .num("count", n as f64)
                        )
                    );
                }
                _ => println!(
                    "{}",
                    desk.say(&Msg::new("desk-msg-history-send").text("file", file))
                ),
            }
        }
        Command::Serve {
            listen,
            allow_remote,
            host,
            valid_hours,
            post,
            tag_url,
            #[cfg(debug_assertions)]
            test_kdf,
        } => {
            #[cfg(debug_assertions)]
            let kdf = if test_kdf {
                spur_protocol::usr::TEST_KDF
            } else {
                spur_protocol::usr::USR_KDF
            };
            #[cfg(not(debug_assertions))]
            let kdf = spur_protocol::usr::USR_KDF;
            // The desk's language words the PIN check's refusals, as on the command line.
            let lang = Desk::open(&args.dir)?.lang();
            let pin_check: Option<spur_authority::web::PinCheck> = post.map(|p| {
                Box::new(move |id: &QrId, tag: &spur_protocol::tag::TagKey| {
                    // The check runs on a thread of its own: the web server's runtime is busy.
                    let (p, id, tag) = (p.clone(), *id, tag.clone());
                    std::thread::spawn(move || card_pin_answer(lang, Some(&p), &id, &tag))
                        .join()
                        .map_err(|_| {
                            spur_authority::DeskError::refused(Msg::new(
                                "desk-err-pin-check-failed",
                            ))
                        })?
                        .map_err(|e| {
                            spur_authority::DeskError::refused(
                                Msg::new("desk-err-worded").text("text", e.to_string()),
                            )
                        })
                }) as spur_authority::web::PinCheck
            });
            let tag_send: Option<spur_authority::web::TagSend> = tag_url.map(|url| {
                Box::new(move |request: &[u8]| {
                    // Its own thread, like the PIN check: the web server's runtime is busy.
                    let (url, request) = (url.clone(), request.to_vec());
                    std::thread::spawn(move || send_history(lang, &url, request))
                        .join()
                        .map_err(|_| {
                            spur_authority::DeskError::refused(Msg::new("desk-err-tag-failed"))
                        })?
                        .map_err(|e| {
                            spur_authority::DeskError::refused(
                                Msg::new("desk-err-worded").text("text", format!("{e:#}")),
                            )
                        })
                }) as spur_authority::web::TagSend
            });
            spur_authority::web::serve(
                &args.dir,
                spur_authority::web::ServeOptions {
                    listen,
                    allow_remote,
                    host,
                    valid_hours,
                    kdf,
                    pin_check,
                    tag_send,
                },
                |addr| {
                    use std::io::Write;
                    println!("spur desk web server ready on port {}", addr.port());
                    println!("open http://{addr}/ and log in with a staff account");
                    let _ = std::io::stdout().flush();
                },
            )?;
        }
        Command::Staff { what } => match what {
            StaffCommand::Add { name, reset } => {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                let password =
                    zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
                spur_authority::web::staff::add(&args.dir, &mut OsRng, &name, &password, reset)?;
                println!(
                    "staff account {name} {}",
                    if reset {
                        "has a new password"
                    } else {
                        "created"
                    }
                );
            }
            StaffCommand::Remove { name } => {
                if spur_authority::web::staff::remove(&args.dir, &name)? {
                    println!("staff account {name} removed");
                } else {
                    bail!("there is no staff account {name}");
                }
            }
            StaffCommand::List => {
                for n in spur_authority::web::staff::names(&args.dir)? {
                    println!("{n}");
                }
            }
        },
        Command::Import {
            file,
            tmp_keys,
            candidate,
            out,
        } => {
            let desk = Desk::open(&args.dir)?;
            let texts = spur_authority::texts::Texts::new();
            let lang = spur_authority::web::lang::desk_lang(&desk);
            let tmp_keys = tmp_keys
                .iter()
                .map(|p| Ok(TmpHistory::parse(&read(p)?)?))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let i = spur_authority::workflow::import(
                &desk,
                &mut OsRng,
                &read(&file)?,
                &spur_authority::workflow::ImportOptions {
                    tmp_keys,
                    candidate,
                },
            )?;
            let written = spur_authority::workflow::write_for_vault(&out, &i.for_vault)?;
            println!(
                "{}",
                texts.format(
                    lang,
                    &spur_authority::texts::Msg::new("web-import-done").text(
                        "kind",
                        texts.get(lang, spur_authority::workflow::kind_id(i.kind))
                    )
                )
            );
            println!("case {} (authority {})", i.case_id, i.authority);
            for m in &i.said {
                println!("{}", texts.format(lang, m));
            }
            for n in &i.notes {
                println!("note: {n}");
            }
            for p in written {
                println!("for the vault: {}", p.display());
            }
        }
        Command::Status => {
            let desk = Desk::open(&args.dir)?;
            let texts = spur_authority::texts::Texts::new();
            let lang = spur_authority::web::lang::desk_lang(&desk);
            let cases = spur_authority::workflow::cases(&desk)?;
            if cases.is_empty() {
                println!("{}", texts.get(lang, "web-cases-none"));
            }
            for c in cases {
                println!(
                    "{} (authority {}): {}; {}",
                    c.case_id,
                    c.authority,
                    texts.get(lang, c.stage.id()),
                    texts.format(
                        lang,
                        &spur_authority::texts::Msg::new("web-people")
                            .num("count", c.people as f64)
                    ),
                );
                println!("  {}", texts.get(lang, c.stage.next_id()));
            }
        }
    }
    Ok(())
}
