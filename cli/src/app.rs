//! `spur app`: the citizen app on the desktop, for testers. It drives the same core as the phone
//! apps (`spur-core`), with a file key (mode 0600) in the data directory as the platform key.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use spur_core::app::App;
use spur_core::checkin::Stay;
use spur_core::config::{Config, KdfChoice};
use spur_core::http::HttpTransport;
use spur_core::pdf::Layout;
use spur_core::register::RegistrationForm;
use spur_core::store::Store;
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
    /// Logs in again on this computer with the same phone number and secret.
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
        /// short, 15 … 240 (minutes), or open
        #[arg(long, default_value = "60")]
        stay: String,
        /// The card owner's PIN for a protected personal code.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Ends the open check-in.
    CheckOut,
    /// Shows history and counters.
    History,
    /// Completes waiting check-ins and sends the outbox.
    Sync,
    /// Releases the days a consent code asks for (secret from SPUR_SECRET or stdin).
    Consent {
        #[arg(long)]
        url: String,
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

fn stay(s: &str) -> anyhow::Result<Stay> {
    Ok(match s {
        "short" => Stay::Short,
        "open" => Stay::Open,
        m => Stay::Minutes(m.parse().context("--stay is short, open or minutes")?),
    })
}

fn minute_text(m: u32) -> String {
    let day = spur_core::consent::day_text(spur_protocol::time::Minute(m).day());
    format!("{day} {:02}:{:02} UTC", (m % 1440) / 60, m % 60)
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
    let app = rt.block_on(async {
        let config = Config::parse(
            &c.host,
            &c.tag_url,
            &c.post_url,
            &c.op_key,
            &c.root_key,
            kdf,
        )
        .map_err(|e| anyhow::anyhow!("{:?}", e.msg.id))?;
        let net = HttpTransport::new(&config.tag_url, &config.post_url)
            .map_err(|e| anyhow::anyhow!("{:?}", e.msg.id))?;
        let store = Store::open(&args.data_dir.join("spur.db"))
            .map_err(|e| anyhow::anyhow!("{:?}", e.msg.id))?;
        let key = file_key(&args.data_dir)?;
        App::new(
            store,
            &key,
            net,
            Arc::new(spur_core::clock::SystemClock),
            config,
        )
        .map_err(|e| anyhow::anyhow!("{:?}", e.msg.id))
    })?;
    app.set_lang(spur_core::texts::Lang::from_tag(&args.lang));
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
    std::fs::write(with("svg"), spur_core::render::svg(url, 8)?)?;
    std::fs::write(with("png"), spur_core::render::png(url, 10)?)?;
    let m = spur_core::render::matrix(url)?;
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
fn shown(app: &App<HttpTransport>, item: &spur_core::checkin::HistoryItem) -> String {
    if item.personal {
        app.say(&spur_core::texts::Msg::new("personal-code"))
    } else {
        spur_protocol::fields::printable(&item.name)
    }
}

async fn command(app: &App<HttpTransport>, cmd: Cmd) -> Result<(), Failure> {
    match cmd {
        Cmd::Init { .. } => {}
        Cmd::Register(p) | Cmd::Login(p) => {
            let form = RegistrationForm {
                phone: p.phone,
                secret: zeroize::Zeroizing::new(secret().map_err(Failure::Other)?),
                country: p.country,
                postcode: p.postcode,
                campus_id: p.campus_id,
                birth_year: p.birth_year,
            };
            let (_, words) = spur_core::register::secret_strength(&form.secret);
            println!("{}", app.say(&words));
            let sent = app.register(form).await?;
            println!(
                "{}",
                if sent {
                    "registered"
                } else {
                    "registered; upload waits for the network"
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
            let form = spur_core::codes::PlaceForm {
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
            let text = match (url, image) {
                (Some(u), _) => u,
                (None, Some(path)) => match spur_core::scan::picture(&std::fs::read(path)?)? {
                    spur_core::scan::Seen::Spur(t) => t,
                    _ => {
                        return Err(Failure::Other(anyhow::anyhow!(
                            "no spur code in the picture"
                        )))
                    }
                },
                (None, None) => {
                    return Err(Failure::Other(anyhow::anyhow!("give --url or --image")))
                }
            };
            let c = app
                .check_in(&text, stay(&s).map_err(Failure::Other)?, pin)
                .await?;
            println!(
                "checked in at {} from {}",
                spur_protocol::fields::printable(&c.item.name),
                minute_text(c.item.time_in)
            );
        }
        Cmd::CheckOut => match app.check_out().await? {
            Some(c) => println!("checked out of {}", shown(app, &c.item)),
            None => println!("no open check-in"),
        },
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
        }
        Cmd::Consent { url, phone } => {
            let req = app.consent_request(&url).await?;
            println!("{}", app.say(&app.consent_text(&req)));
            app.give_consent(&url, &phone, secret().map_err(Failure::Other)?)
                .await?;
            println!("released");
        }
        Cmd::DeleteAll => {
            let d = app.delete_all().await?;
            let id = if d == spur_core::local::Deleted::Everything {
                "delete-done"
            } else {
                "delete-pending"
            };
            println!("{}", app.say(&spur_core::texts::Msg::new(id)));
        }
    }
    Ok(())
}
