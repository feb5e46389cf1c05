//! `spur app`: the citizen app on the desktop, for testers. It drives the same core as the phone
//! apps (`spur-core`), with a file key (mode 0600) in the data directory as the platform key.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use spur_core::http::HttpTransport;
use spur_core::pdf::Layout;
use spur_core::App;
use spur_core::RegistrationForm;
use spur_core::Stay;
use spur_core::Store;
use spur_core::{Config, KdfChoice};
use spur_protocol::fields::PlaceKind;

/// Options.
#[derive(clap::Args)]
pub struct Args {
    /// Directory for the app's database, file key and configuration.
    #[arg(long, env = "SPUR_APP_DIR", default_value = "spur-app")]
    data_dir: PathBuf,
    /// Language of messages (de, en).
    #[arg(long, env = "SPUR_LANG", default_value = "en")]
    lang: String,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Writes the service configuration into the data directory.
    Init {
        /// Host the codes name.
        #[arg(long)]
        host: String,
        /// TAG server URL.
        #[arg(long)]
        tag_url: String,
        /// POST server URL.
        #[arg(long)]
        post_url: String,
        /// Operator OP public key (hex).
        #[arg(long)]
        op_key: String,
        /// Directory root key (hex).
        #[arg(long)]
        root_key: String,
        /// Cheap Argon2id cost, for tests and demos only.
        #[arg(long)]
        test_kdf: bool,
    },
    /// Registers (secret from SPUR_SECRET or asked on stdin).
    Register(Person),
    /// Logs in again on this computer with the same phone number and secret. The POST server is
    /// asked first whether these credentials have a registration: a mistyped secret is refused,
    /// never turned into a new identity (use `register` for a new one).
    Login(Person),
    /// Makes a place code and writes PREFIX.svg, .png and .pdf.
    PlaceCode {
        #[arg(long)]
        phone: String,
        #[arg(long, default_value = "DE")]
        country: String,
        #[arg(long)]
        postcode: String,
        #[arg(long)]
        name: String,
        /// gastronomy, retail, company, education, event, other
        #[arg(long, default_value = "other")]
        kind: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "place")]
        out: PathBuf,
    },
    /// Makes a personal code (a printable card) and writes PREFIX.svg, .png and .pdf (A6 and A4).
    PersonalCode {
        /// Protect the card with this PIN (4 to 12 digits).
        #[arg(long)]
        pin: Option<String>,
        #[arg(long, default_value = "card")]
        out: PathBuf,
    },
    /// Checks in from a code's URL or a picture of it.
    CheckIn {
        #[arg(long, conflicts_with = "image")]
        url: Option<String>,
        #[arg(long)]
        image: Option<PathBuf>,
        /// short; a fixed stay such as 15m, 90m, 1h, 2h or 60 (minutes: 15 minutes to 4 hours
        /// in steps of 15); open (ends after 2 hours unless extended) or open:3h
        #[arg(long, default_value = "1h")]
        stay: String,
        /// The card owner's PIN for a protected personal code.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Ends the open check-in, or with --id any check-in still going on (a fixed stay left
    /// early).
    CheckOut {
        /// The check-in's id (see `running`).
        #[arg(long)]
        id: Option<i64>,
    },
    /// Shows the check-ins still going on, their planned ends and due reminders.
    Running,
    /// Moves the planned end of a check-in still going on (the reminder's "stay longer").
    Extend {
        /// The check-in's id (see `running`).
        #[arg(long)]
        id: i64,
        /// How much longer: 15m, 1h, 2h …
        #[arg(long, default_value = "1h")]
        by: String,
    },
    /// Shows history and counters.
    History,
    /// Completes waiting check-ins and sends the outbox.
    Sync,
    /// Releases the days a consent code asks for (secret from SPUR_SECRET or stdin).
    Consent {
        #[arg(long, conflicts_with = "image", required_unless_present = "image")]
        url: Option<String>,
        /// A picture (PNG or JPEG) of the consent code, as `check-in --image`.
        #[arg(long)]
        image: Option<PathBuf>,
        #[arg(long)]
        phone: String,
    },
    /// Deletes all local data and asks the server to drop the registration.
    DeleteAll,
}

#[derive(clap::Args)]
struct Person {
    #[arg(long)]
    phone: String,
    #[arg(long, default_value = "DE")]
    country: String,
    #[arg(long)]
    postcode: Option<String>,
    #[arg(long)]
    campus_id: Option<String>,
    #[arg(long)]
    birth_year: Option<u16>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FileConfig {
    host: String,
    tag_url: String,
    post_url: String,
    op_key: String,
    root_key: String,
    test_kdf: bool,
}

fn private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// The file key: 32 random bytes in `<dir>/key`, created with mode 0600.
fn file_key(dir: &Path) -> anyhow::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join("key");
    if !path.exists() {
        let mut k = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut k);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        f.write_all(&k)?;
    }
    Ok(std::fs::read(&path)?)
}

fn secret() -> anyhow::Result<String> {
    if let Ok(s) = std::env::var("SPUR_SECRET") {
        return Ok(s);
    }
    eprint!("secret: ");
    let mut s = String::new();
    std::io::stdin().read_line(&mut s)?;
    Ok(s.trim_end_matches(['\r', '\n']).to_owned())
}

/// A duration as the CLI takes it: `15m`, `90m`, `1h`, `2h`, `1h30m`, or bare minutes (`60`).
fn minutes(s: &str) -> Option<u32> {
    let s = s.trim().to_ascii_lowercase();
    if let Ok(m) = s.parse::<u32>() {
        return Some(m);
    }
    let (h, rest) = match s.split_once('h') {
        Some((h, rest)) => (h.parse::<u32>().ok()?, rest),
        None => (0, s.as_str()),
    };
    let m = match rest {
        "" => 0,
        r => r.strip_suffix('m')?.parse::<u32>().ok()?,
    };
    h.checked_mul(60)?.checked_add(m)
}

const STAY_HELP: &str = "--stay is short, a fixed stay of 15 minutes to 4 hours in steps of 15 \
     (such as 15m, 90m, 1h or 2h), open (ends after 2 hours unless extended) or open:3h";

fn stay(s: &str) -> anyhow::Result<Stay> {
    let bad = || anyhow::anyhow!("{STAY_HELP}; \"{s}\" is none of these");
    Ok(match s.trim() {
        "short" => Stay::Short,
        "open" => Stay::Open,
        o if o.starts_with("open:") => {
            let m = minutes(&o["open:".len()..]).ok_or_else(bad)?;
            let s = Stay::OpenFor(m);
            s.planned().map_err(|_| bad())?;
            s
        }
        d => {
            let m = minutes(d).ok_or_else(bad)?;
            let s = Stay::Minutes(m);
            s.planned().map_err(|_| bad())?;
            s
        }
    })
}

fn minute_text(m: u32) -> String {
    format!("{} UTC", spur_protocol::time::Minute(m).date_time_text())
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    private_dir(&args.data_dir)?;
    if let Cmd::Init {
        host,
        tag_url,
        post_url,
        op_key,
        root_key,
        test_kdf,
    } = args.command
    {
        let c = FileConfig {
            host,
            tag_url,
            post_url,
            op_key,
            root_key,
            test_kdf,
        };
        std::fs::write(
            args.data_dir.join("config.json"),
            serde_json::to_vec_pretty(&c)?,
        )?;
        println!("configured {}", args.data_dir.display());
        return Ok(());
    }
    let c: FileConfig = serde_json::from_slice(
        &std::fs::read(args.data_dir.join("config.json")).context("run `spur app init` first")?,
    )?;
    let kdf = if c.test_kdf {
        KdfChoice::Test
    } else {
        KdfChoice::Standard
    };
    let rt = tokio::runtime::Runtime::new()?;
    let lang = spur_core::texts::Lang::from_tag(&args.lang);
    let texts = spur_core::texts::Texts::new();
    // Errors before the app is up are said in sentences too, never as message ids.
    let said = |e: spur_core::Error| anyhow::anyhow!(texts.format(lang, &e.msg));
    let app = rt.block_on(async {
        let config = Config::parse(
            &c.host,
            &c.tag_url,
            &c.post_url,
            &c.op_key,
            &c.root_key,
            kdf,
        )
        .map_err(said)?;
        let net = HttpTransport::new(&config.tag_url, &config.post_url).map_err(said)?;
        let db = args.data_dir.join("spur.db");
        let store = Store::open(&db).map_err(|e| {
            let words = texts.format(lang, &e.msg);
            if e.kind == spur_core::ErrorKind::StoreDamaged {
                anyhow::anyhow!("{words} ({})", db.display())
            } else {
                anyhow::anyhow!(words)
            }
        })?;
        let key = file_key(&args.data_dir)?;
        App::new(store, &key, net, Arc::new(spur_core::SystemClock), config).map_err(said)
    })?;
    app.set_lang(lang);
    rt.block_on(command(&app, args.command))
        .map_err(|e| match e {
            Failure::Core(e) => anyhow::anyhow!(app.say(&e.msg)),
            Failure::Other(e) => e,
        })
}

enum Failure {
    Core(spur_core::Error),
    Other(anyhow::Error),
}

impl From<spur_core::Error> for Failure {
    fn from(e: spur_core::Error) -> Self {
        Self::Core(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<spur_protocol::ProtocolError> for Failure {
    fn from(e: spur_protocol::ProtocolError) -> Self {
        Self::Core(e.into())
    }
}

fn write_code(url: &str, out: &Path, text: spur_core::pdf::CardText) -> Result<(), Failure> {
    let with = |ext: &str| out.with_extension(ext);
    std::fs::write(with("svg"), spur_core::qr_svg(url, 8)?)?;
    std::fs::write(with("png"), spur_core::qr_png(url, 10)?)?;
    let m = spur_core::qr_matrix(url)?;
    std::fs::write(
        with("pdf"),
        spur_core::pdf::card_pdf(&m, &text, Layout::A6)?,
    )?;
    std::fs::write(
        out.with_extension("a4.pdf"),
        spur_core::pdf::card_pdf(&m, &text, Layout::A4Sheet)?,
    )?;
    println!("wrote {}.svg, .png, .pdf and .a4.pdf", out.display());
    Ok(())
}

/// A check-in's place name, or the translated words for a personal code.
/// The code's text from `--url`, or read from the picture at `--image`.
fn code_text(url: Option<String>, image: Option<PathBuf>) -> Result<String, Failure> {
    match (url, image) {
        (Some(u), _) => Ok(u),
        (None, Some(path)) => match spur_core::scan_picture(&std::fs::read(path)?)? {
            spur_core::Seen::Spur(t) => Ok(t),
            _ => Err(Failure::Other(anyhow::anyhow!(
                "no spur code in the picture"
            ))),
        },
        (None, None) => Err(Failure::Other(anyhow::anyhow!("give --url or --image"))),
    }
}

fn shown(app: &App<HttpTransport>, item: &spur_core::HistoryItem) -> String {
    if item.personal {
        app.say(&spur_core::texts::Msg::new("personal-code"))
    } else {
        spur_protocol::fields::printable(&item.name)
    }
}

enum CmdKind {
    Login,
    Other,
}

async fn command(app: &App<HttpTransport>, cmd: Cmd) -> Result<(), Failure> {
    let cmd_kind = if matches!(cmd, Cmd::Login(_)) {
        CmdKind::Login
    } else {
        CmdKind::Other
    };
    match cmd {
        Cmd::Init { .. } => {}
        Cmd::Register(p) | Cmd::Login(p) => {
            let login = matches!(cmd_kind, CmdKind::Login);
            let form = RegistrationForm {
                phone: p.phone,
                secret: zeroize::Zeroizing::new(secret().map_err(Failure::Other)?),
                country: p.country,
                postcode: p.postcode,
                campus_id: p.campus_id,
                birth_year: p.birth_year,
            };
            let (_, words) = spur_core::secret_strength(&form.secret);
            println!("{}", app.say(&words));
            // `login` asks the server whether these credentials have a registration first: a
            // mistyped secret is told, never turned into a new identity.
            let sent = if login {
                app.login(form).await?
            } else {
                app.register(form).await?
            };
            println!(
                "{}",
                match (login, sent) {
                    (false, true) => "registered",
                    (false, false) => "registered; upload waits for the network",
                    (true, true) => "logged in; registered",
                    (true, false) => "logged in; registered, upload waits for the network",
                }
            );
        }
        Cmd::PlaceCode {
            phone,
            country,
            postcode,
            name,
            kind,
            description,
            out,
        } => {
            let kind = PlaceKind::from_id(&kind)?;
            let form = spur_core::PlaceForm {
                responsible_phone: phone,
                country,
                postcode,
                name,
                kind,
                description,
            };
            let code = app.create_place_code(form).await?;
            let text = app.card_text(&code.url)?;
            write_code(&code.url, &out, text)?;
        }
        Cmd::PersonalCode { pin, out } => {
            let code = app.create_personal_code(pin, true).await?;
            let text = app.card_text(&code.url)?;
            write_code(&code.url, &out, text)?;
        }
        Cmd::CheckIn {
            url,
            image,
            stay: s,
            pin,
        } => {
            let text = code_text(url, image)?;
            let stay = stay(&s).map_err(Failure::Other)?;
            let c = app.check_in(&text, stay, pin).await?;
            println!("{}", app.check_in_words(&c));
            println!("check-in id: {}", c.id);
            if app.pin_unchecked(c.id)? {
                let m = spur_core::texts::Msg::new("check-in-pin-unchecked");
                println!("{}", app.say(&m));
            }
        }
        Cmd::CheckOut { id } => {
            let ended = match id {
                Some(id) => app.end_check_in(id).await?,
                None => app.check_out().await?,
            };
            match ended {
                Some(c) => println!("{}", app.check_out_words(&c)),
                None if id.is_some() => println!("that check-in is not going on (any more)"),
                None => println!("no open check-in"),
            }
        }
        Cmd::Running => {
            let running = app.running_check_ins()?;
            if running.is_empty() {
                println!("no check-in is going on");
            }
            let now = app.now_minute();
            for r in running {
                println!(
                    "{}  {}  since {}, {} {}",
                    r.id,
                    shown(app, &r.item),
                    minute_text(r.item.time_in),
                    if r.open { "open, ends" } else { "ends" },
                    minute_text(r.planned_out)
                );
                if r.reminder_at.is_some_and(|t| t <= now) {
                    println!("    {}", app.reminder_words(&r));
                }
            }
        }
        Cmd::Extend { id, by } => {
            let m = minutes(&by).ok_or_else(|| {
                Failure::Other(anyhow::anyhow!("--by is a duration such as 15m, 1h or 2h"))
            })?;
            let r = app.extend_check_in(id, m).await?;
            println!(
                "{} now ends {}",
                shown(app, &r.item),
                minute_text(r.planned_out)
            );
        }
        Cmd::History => {
            for h in app.history()? {
                let out = h.time_out.map(minute_text).unwrap_or_else(|| "open".into());
                println!(
                    "{}  {} – {}",
                    if h.personal {
                        "(personal code)".to_owned()
                    } else {
                        spur_protocol::fields::printable(&h.name)
                    },
                    minute_text(h.time_in),
                    out
                );
            }
            let c = app.counters()?;
            println!(
                "scans: {}, contact hours: {:.1}",
                c.scans,
                c.contact_minutes as f64 / 60.0
            );
        }
        Cmd::Sync => {
            let r = app.sync().await?;
            println!(
                "sent {}, pending {}, waiting {}, lost {}, refused {}",
                r.sent, r.pending, r.waiting, r.lost, r.refused
            );
            // The same sentences the phone shows, so a tester sees what the counts mean.
            if r.pending > 0 {
                let m = spur_core::texts::Msg::new("sync-pending").num("count", r.pending);
                println!("{}", app.say(&m));
            }
            if r.lost > 0 {
                let m = spur_core::texts::Msg::new("sync-lost").num("count", r.lost);
                println!("{}", app.say(&m));
            }
            for (id, n) in [
                ("sync-not-issued", r.not_issued),
                ("sync-wrong-pin", r.wrong_pin),
            ] {
                if n > 0 {
                    println!(
                        "{}",
                        app.say(&spur_core::texts::Msg::new(id).num("count", n))
                    );
                }
            }
        }
        Cmd::Consent { url, image, phone } => {
            let url = code_text(url, image)?;
            let req = app.consent_request(&url).await?;
            println!("{}", app.say(&app.consent_text(&req)));
            app.give_consent(&url, &phone, secret().map_err(Failure::Other)?)
                .await?;
            println!("released");
        }
        Cmd::DeleteAll => {
            let d = app.delete_all().await?;
            let id = if d == spur_core::Deleted::Everything {
                "delete-done"
            } else {
                "delete-pending"
            };
            println!("{}", app.say(&spur_core::texts::Msg::new(id)));
        }
    }
    Ok(())
}
