//! The `spur` command: one binary with a subcommand per party, and `spur demo`.

mod bench_decode;
mod bench_server;
mod scan;
mod server;

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
