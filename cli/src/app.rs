//! `spur app`: the citizen app on the desktop, for testers. It drives the core through the same
//! facade as the phone apps (`spur_core::ffi::Spur`), with a file (mode 0600) in the data
//! directory as the platform's key store.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use spur_core::ffi::{
    CardLayout, Host, KeyProvider, KeyStoreError, PlaceForm, PlaceType, RegistrationForm,
    ScannedImage, Spur, SpurConfig, SpurError, Stay,
};
use spur_protocol::fields::PlaceKind;
use spur_protocol::time::Minute;

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
    /// Registers (secret from SPUR_SECRET or asked on stdin; an empty answer takes the proposed
    /// passphrase, printed to write down). A secret below the policy's minimum is refused.
    Register(Person),
    /// Prints a proposed passphrase for the USR secret (five random words, 65 bits).
    ProposeSecret,
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

/// The desktop's key store: the key the core generates, kept in `<dir>/key` (mode 0600).
struct FileKeys(PathBuf);

impl FileKeys {
    fn failed(e: std::io::Error) -> KeyStoreError {
        KeyStoreError::Failed {
            detail: e.kind().to_string(),
        }
    }
}

impl KeyProvider for FileKeys {
    fn load(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        match std::fs::read(&self.0) {
            Ok(k) => Ok(Some(k)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Self::failed(e)),
        }
    }

    fn store(&self, key: Vec<u8>) -> Result<(), KeyStoreError> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&self.0)
            .map_err(Self::failed)?;
        f.write_all(&key).map_err(Self::failed)?;
        f.sync_all().map_err(Self::failed)
    }
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

/// The secret of a new registration: SPUR_SECRET, or asked on stdin with the app's proposal,
/// which an empty answer takes (and which is then printed, to be written down).
fn new_secret(app: &Spur) -> anyhow::Result<String> {
    if let Ok(s) = std::env::var("SPUR_SECRET") {
        return Ok(s);
    }
    let proposal = app.propose_passphrase();
    eprintln!("{}", app.captions().secret_hint);
    eprintln!("  {proposal}");
    eprint!("{} (Enter takes the proposal): ", app.captions().secret);
    let mut s = String::new();
    std::io::stdin().read_line(&mut s)?;
    let typed = s.trim_end_matches(['\r', '\n']);
    Ok(if typed.is_empty() {
        proposal
    } else {
        typed.to_owned()
    })
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

fn stay(app: &Spur, s: &str) -> anyhow::Result<Stay> {
    let bad = || anyhow::anyhow!("{STAY_HELP}; \"{s}\" is none of these");
    let choice = match s.trim() {
        "short" => Stay::Short,
        "open" => Stay::Open,
        o if o.starts_with("open:") => Stay::OpenFor(minutes(&o["open:".len()..]).ok_or_else(bad)?),
        d => Stay::Minutes(minutes(d).ok_or_else(bad)?),
    };
    if app.stay_is_valid(choice) {
        Ok(choice)
    } else {
        Err(bad())
    }
}

/// A time the facade gives in Unix seconds, as `YYYY-MM-DD HH:MM UTC`.
fn time_text(unix_seconds: u64) -> String {
    let m = Minute::from_unix_seconds(unix_seconds);
    format!("{} UTC", m.date_time_text())
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
    let config = SpurConfig {
        data_dir: args.data_dir.to_string_lossy().into_owned(),
        host: c.host,
        tag_url: c.tag_url,
        post_url: c.post_url,
        op_public_key: c.op_key,
        directory_root_key: c.root_key,
        locale: args.lang,
    };
    let host = host(c.test_kdf)?;
    let rt = tokio::runtime::Runtime::new()?;
    let keys = FileKeys(args.data_dir.join("key"));
    // The facade's client needs the runtime it runs in, as in the shells.
    let app = rt
        .block_on(async { Spur::with_host(config, &keys, host) })
        .map_err(|e| match e {
            SpurError::StoreDamaged { reason } => {
                anyhow::anyhow!("{reason} ({})", args.data_dir.join("spur.db").display())
            }
            e => anyhow::anyhow!(e.words()),
        })?;
    rt.block_on(command(&app, args.command))
        .map_err(|e| match e {
            Failure::Core(e) => anyhow::anyhow!(e.words()),
            Failure::Other(e) => e,
        })
}

/// The host for a configuration: the cheap test KDF when `spur app init --test-kdf` asked for it,
/// which only debug builds can do (see `spur_core::ffi::Host`).
fn host(test_kdf: bool) -> anyhow::Result<Host> {
    #[cfg(debug_assertions)]
    let host = Host {
        cheap_kdf: test_kdf,
        ..Host::default()
    };
    #[cfg(not(debug_assertions))]
    let host = if test_kdf {
        anyhow::bail!(
            "--test-kdf needs a debug build of spur \
             (release builds derive keys only with the real cost)"
        )
    } else {
        Host::default()
    };
    Ok(host)
}

enum Failure {
    Core(SpurError),
    Other(anyhow::Error),
}

impl From<SpurError> for Failure {
    fn from(e: SpurError) -> Self {
        Self::Core(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Other(e.into())
    }
}

fn write_code(app: &Spur, url: &str, out: &Path) -> Result<(), Failure> {
    let with = |ext: &str| out.with_extension(ext);
    std::fs::write(with("svg"), app.code_svg(url.to_owned(), 8)?)?;
    std::fs::write(with("png"), app.code_png(url.to_owned(), 10)?)?;
    std::fs::write(with("pdf"), app.code_pdf(url.to_owned(), CardLayout::A6)?)?;
    std::fs::write(
        out.with_extension("a4.pdf"),
        app.code_pdf(url.to_owned(), CardLayout::A4Sheet)?,
    )?;
    println!("wrote {}.svg, .png, .pdf and .a4.pdf", out.display());
    Ok(())
}

/// The code's text from `--url`, or read from the picture at `--image`.
fn code_text(app: &Spur, url: Option<String>, image: Option<PathBuf>) -> Result<String, Failure> {
    match (url, image) {
        (Some(u), _) => Ok(u),
        (None, Some(path)) => match app.scan_picture(std::fs::read(path)?)? {
            ScannedImage::Spur { text } => Ok(text),
            _ => Err(Failure::Other(anyhow::anyhow!(
                "no spur code in the picture"
            ))),
        },
        (None, None) => Err(Failure::Other(anyhow::anyhow!("give --url or --image"))),
    }
}

/// A check-in's place name (control characters made visible), or the translated words for a
/// personal code (the facade's entry carries them already).
fn shown(entry: &spur_core::ffi::HistoryEntry) -> String {
    if entry.personal {
        entry.name.clone()
    } else {
        spur_protocol::fields::printable(&entry.name)
    }
}

enum CmdKind {
    Login,
    Other,
}

async fn command(app: &Spur, cmd: Cmd) -> Result<(), Failure> {
    let cmd_kind = if matches!(cmd, Cmd::Login(_)) {
        CmdKind::Login
    } else {
        CmdKind::Other
    };
    match cmd {
        Cmd::Init { .. } => {}
        Cmd::ProposeSecret => println!("{}", app.propose_passphrase()),
        Cmd::Register(p) | Cmd::Login(p) => {
            let login = matches!(cmd_kind, CmdKind::Login);
            let secret = if login { secret() } else { new_secret(app) };
            let form = RegistrationForm {
                phone: p.phone,
                secret: secret.map_err(Failure::Other)?,
                country: p.country,
                postcode: p.postcode,
                campus_id: p.campus_id,
                birth_year: p.birth_year,
            };
            println!(
                "{}",
                app.secret_strength(form.secret.clone(), form.phone.clone())
                    .words
            );
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
            let kind = PlaceKind::from_id(&kind).map_err(|e| Failure::Other(e.into()))?;
            let form = PlaceForm {
                responsible_phone: phone,
                country,
                postcode,
                name,
                kind: PlaceType::from(kind),
                description,
            };
            let code = app.create_place_code(form).await?;
            write_code(app, &code.url, &out)?;
        }
        Cmd::PersonalCode { pin, out } => {
            let code = app.create_personal_code(pin, true).await?;
            write_code(app, &code.url, &out)?;
        }
        Cmd::CheckIn {
            url,
            image,
            stay: s,
            pin,
        } => {
            let text = code_text(app, url, image)?;
            let stay = stay(app, &s).map_err(Failure::Other)?;
            let c = app.check_in(text, stay, pin).await?;
            println!("{}", c.message);
            println!("check-in id: {}", c.id);
            if let Some(note) = c.pin_not_checked {
                println!("{note}");
            }
        }
        Cmd::CheckOut { id } => {
            let ended = match id {
                Some(id) => app.end_check_in(id).await?,
                None => app.check_out().await?,
            };
            match ended {
                Some(c) => println!("{}", c.message),
                None if id.is_some() => println!("that check-in is not going on (any more)"),
                None => println!("no open check-in"),
            }
        }
        Cmd::Running => {
            let running = app.running_check_ins()?;
            if running.is_empty() {
                println!("no check-in is going on");
            }
            for r in running {
                println!(
                    "{}  {}  since {}, {} {}",
                    r.id,
                    shown(&r.entry),
                    time_text(r.entry.time_in),
                    if r.open { "open, ends" } else { "ends" },
                    time_text(r.planned_out)
                );
                if r.reminder_due {
                    println!("    {}", r.reminder);
                }
            }
        }
        Cmd::Extend { id, by } => {
            let m = minutes(&by).ok_or_else(|| {
                Failure::Other(anyhow::anyhow!("--by is a duration such as 15m, 1h or 2h"))
            })?;
            let r = app.extend_check_in(id, m).await?;
            println!("{} now ends {}", shown(&r.entry), time_text(r.planned_out));
        }
        Cmd::History => {
            for h in app.history()? {
                let out = h.time_out.map(time_text).unwrap_or_else(|| "open".into());
                println!(
                    "{}  {} – {}",
                    if h.personal {
                        "(personal code)".to_owned()
                    } else {
                        spur_protocol::fields::printable(&h.name)
                    },
                    time_text(h.time_in),
                    out
                );
            }
            let c = app.counters()?;
            println!("scans: {}, contact hours: {:.1}", c.scans, c.contact_hours);
        }
        Cmd::Sync => {
            let r = app.sync().await?;
            println!(
                "sent {}, pending {}, waiting {}, lost {}, refused {}",
                r.sent, r.pending, r.waiting, r.lost, r.refused
            );
            // The same sentences the phone shows, so a tester sees what the counts mean.
            for sentence in &r.sentences {
                println!("{sentence}");
            }
        }
        Cmd::Consent { url, image, phone } => {
            let url = code_text(app, url, image)?;
            let info = app.consent_info(url.clone()).await?;
            println!("{}", info.text);
            let said = app
                .give_consent(url, phone, secret().map_err(Failure::Other)?)
                .await?;
            println!("released");
            println!("{said}");
        }
        Cmd::DeleteAll => {
            println!("{}", app.delete_all_data().await?.message);
        }
    }
    Ok(())
}
