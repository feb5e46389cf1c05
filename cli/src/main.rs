//! The `spur` command: one binary with a subcommand per party, and `spur demo`.

mod app;
mod authority;
mod bench_decode;
mod bench_server;
mod demo;
mod files;
mod scan;
mod server;
mod vault;

use clap::{Parser, Subcommand};

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
}

#[derive(Subcommand)]
enum BenchCommand {
    /// QR decoding against ZBar and zxing-cpp on a generated corpus.
    Decode(bench_decode::Args),
    /// TAG and POST server load on loopback, beside direct database inserts.
    Server(bench_server::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
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
