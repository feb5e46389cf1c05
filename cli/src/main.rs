//! The `spur` command: one binary with a subcommand per party, and `spur demo`.

mod app;
mod authority;
mod bench_decode;
mod bench_scale;
mod bench_server;
mod camera_video;
mod demo;
mod docs_gen;
mod files;
mod playthrough;
mod scan;
mod server;
mod vault;

use clap::{CommandFactory, Parser, Subcommand};

/// spur: consent-based contact tracing with QR codes.
#[derive(Parser)]
#[command(name = "spur", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The citizen app on the desktop, for testers: register, make codes, check in, consent.
    App(app::Args),
    /// The operator's offline vault: import, index, trace, statistics, directory signing.
    #[command(args_override_self = true)]
    Vault(vault::Args),
    /// The health authority's desk: keys, consent codes, opening packages, contact lists.
    Authority(authority::Args),
    /// The whole system on this machine: servers, a simulated town, a consent and the trace.
    Demo(demo::Args),
    /// Run the TAG server, the POST server, or both for development.
    Server(server::Args),
    /// Decode a spur QR code from a picture or the camera.
    Scan(scan::Args),
    /// Benchmarks that print their figures beside a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Write the man pages (spur.1 and one per subcommand) into a directory, for packaging.
    #[command(hide = true)]
    Man(docs_gen::ManArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell), for packaging.
    #[command(hide = true)]
    Completions(docs_gen::CompletionArgs),
    /// Tools for the project's own tests (the web shell's fake camera video).
    #[command(hide = true)]
    Dev {
        #[command(subcommand)]
        what: DevCommand,
    },
}

#[derive(Subcommand)]
enum DevCommand {
    /// A Y4M video of a place code for Chromium's fake camera.
    CameraVideo(camera_video::Args),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// QR decoding against ZBar and zxing-cpp on a generated corpus.
    Decode(bench_decode::Args),
    /// TAG and POST server load on loopback, beside direct database inserts.
    Server(bench_server::Args),
    /// A town's uploads at 10^5, 10^6, 10^7… records through every party, beside baselines.
    Scale(bench_scale::Args),
}

/// Exits quietly when standard output is a closed pipe (`spur … | head`): `println!` panics on
/// EPIPE, and the Rust runtime ignores SIGPIPE, so without this every early-closing reader would
/// see a panic message. Other panics keep the default report.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        // std's message for a failed print; os error 32 is EPIPE on Linux and macOS.
        if payload.starts_with("failed printing to stdout") && payload.contains("os error 32") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> std::process::ExitCode {
    quiet_on_broken_pipe();
    // A `--config FILE` (spur server tag|post|dev, spur vault) becomes arguments placed before
    // the real ones, each key checked against the subcommand's flags (spur_server::config).
    let argv = match spur_server::config::expand(&Cli::command(), std::env::args_os().collect()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("spur: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let cli = Cli::parse_from(argv);
    let result = match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::App(a) => app::run(a),
        Command::Vault(a) => vault::run(a),
        Command::Authority(a) => authority::run(a),
        Command::Server(a) => server::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Bench { what } => match what {
            BenchCommand::Decode(a) => bench_decode::run(a),
            BenchCommand::Server(a) => bench_server::run(a),
            BenchCommand::Scale(a) => bench_scale::run(a),
        },
        Command::Man(a) => docs_gen::man(a, Cli::command()),
        Command::Completions(a) => docs_gen::completions(a, Cli::command()),
        Command::Dev { what } => match what {
            DevCommand::CameraVideo(a) => camera_video::run(a),
        },
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spur: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
