//! `spur man DIR` and `spur completions SHELL`: man pages and shell completions generated from
//! the same clap definitions the binary parses, so they cannot drift from its real options.

use std::path::PathBuf;

use anyhow::Context;

/// Options of `spur man`.
#[derive(clap::Args)]
pub struct ManArgs {
    /// Directory the pages go to (created if missing): `spur.1` and one page per subcommand
    /// (`spur-server-tag.1`, …).
    dir: PathBuf,
}

/// Options of `spur completions`.
#[derive(clap::Args)]
pub struct CompletionArgs {
    /// The shell to write a completion script for (printed on standard output).
    shell: clap_complete::Shell,
}

/// Writes `spur.1` and a page for every subcommand of `command` into the chosen directory.
pub fn man(args: ManArgs, command: clap::Command) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    // generate_to builds the command itself; building it here first would add `help` pages.
    clap_mangen::generate_to(command, &args.dir)
        .with_context(|| format!("writing man pages into {}", args.dir.display()))?;
    Ok(())
}

/// Prints the completion script of the chosen shell for `command` on standard output.
pub fn completions(args: CompletionArgs, mut command: clap::Command) -> anyhow::Result<()> {
    use std::io::Write as _;
    let name = command.get_name().to_owned();
    // clap_complete panics when its writer fails (a closed pipe): render into memory, where
    // writing cannot fail, and write that out ourselves.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    let mut out = std::io::stdout().lock();
    match out.write_all(&script).and_then(|()| out.flush()) {
        // `spur completions bash | head` closed the pipe early: nothing to report.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing the completion script"),
    }
}
