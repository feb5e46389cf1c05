//! `spur server tag|post|dev|pull`: runs spur's online services, or pulls an export for the vault.

use std::path::PathBuf;

use spur_server::run::{PostArgs, TagArgs};

/// Options.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// The TAG server: QR ids and TMP keys; stores nothing, logs no identifier.
    // `args_override_self`: a flag given twice keeps the last, so the command line wins over the
    // arguments a `--config` file stands for (spur_server::config, placed before the real ones).
    #[command(args_override_self = true)]
    Tag(TagArgs),
    /// The POST server: stores OP-sealed records 28 days and exports them to the vault.
    #[command(args_override_self = true)]
    Post(PostArgs),
    /// Both servers on 127.0.0.1 for development (SQLite, secrets created on first start).
    #[command(args_override_self = true)]
    Dev {
        /// Directory for the SQLite file, the TAG secret and the export token.
        #[arg(long, default_value = "spur-dev")]
        data_dir: PathBuf,
        /// TAG server port.
        #[arg(long, default_value_t = 8081)]
        tag_port: u16,
        /// POST server port.
        #[arg(long, default_value_t = 8082)]
        post_port: u16,
        /// A vault folder (`spur vault init`, `spur vault sign-directory`): serve its signed
        /// directory and print the `spur app init` line for these servers.
        #[arg(long)]
        vault: Option<PathBuf>,
        /// Configuration file, log, metrics.
        #[command(flatten)]
        ops: spur_server::run::OpsArgs,
    },
    /// The web host of the codes' addresses (/P, /C, /A) and the app-links files; stores nothing.
    Web(spur_server::web::run::WebArgs),
    /// Pull the POST server's export into files the vault imports offline.
    Pull(spur_server::pull::PullArgs),
    /// Print the TAG server's POPRF public key (hex) for `spur vault sign-directory --tag-key`.
    TagKey {
        /// The TAG server's secret file.
        #[arg(long)]
        secret_file: PathBuf,
        /// Create the secret file (mode 0600) when it does not exist.
        #[arg(long)]
        create_secret: bool,
    },
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.what {
        What::Tag(a) => spur_server::run::run_tag(a),
        What::Post(a) => spur_server::run::run_post(a),
        What::Dev {
            data_dir,
            tag_port,
            post_port,
            vault,
            ops,
        } => spur_server::run::run_dev(&data_dir, tag_port, post_port, vault.as_deref(), &ops),
        What::Web(a) => spur_server::web::run::run_web(a),
        What::Pull(a) => spur_server::pull::run(a),
        What::TagKey {
            secret_file,
            create_secret,
        } => {
            let s = spur_server::run::load_tag_secret(&secret_file, create_secret)?;
            println!(
                "{}",
                data_encoding::HEXLOWER.encode(&s.tmp_deriver()?.public().to_bytes())
            );
            Ok(())
        }
    }
}
