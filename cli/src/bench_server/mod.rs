//! `spur bench server`: TAG and POST server load on loopback, each beside a baseline measured in
//! the same run (the work lives in `spur_server::bench`).

/// Options.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    bench: spur_server::bench::BenchArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    spur_server::bench::main(args.bench)
}
