//! Runs a server in a child process: the test binary re-executes itself with SPUR_TEST_CHILD set
//! and calls the same entry points, with the same options, as `spur server tag|post`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};

use clap::Parser;

#[derive(Parser)]
enum ChildCommand {
    Tag(spur_server::run::TagArgs),
    Post(spur_server::run::PostArgs),
}

/// In the child: runs the server named by the arguments and exits. In the parent: returns.
pub fn run_child_if_asked() {
    if std::env::var("SPUR_TEST_CHILD").is_err() {
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let cmd = ChildCommand::parse_from(&args);
    let r = match cmd {
        ChildCommand::Tag(a) => spur_server::run::run_tag(a),
        ChildCommand::Post(a) => spur_server::run::run_post(a),
    };
    std::process::exit(if r.is_ok() { 0 } else { 1 });
}

/// A server child process and its port.
pub struct ServerChild {
    pub child: Child,
    pub port: u16,
    pub stdout: BufReader<ChildStdout>,
    pub first_line: String,
    pub stderr: Option<ChildStderr>,
}

/// Starts `tag|post` with `args` in `cwd`; waits for the ready line.
pub fn spawn(args: &[&str], cwd: &std::path::Path) -> ServerChild {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .env("SPUR_TEST_CHILD", "1")
        .env_remove("SPUR_EXPORT_TOKEN")
        .env_remove("SPUR_POSTGRES_URL")
        .env_remove("SPUR_LOG")
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let port = line
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| {
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("server did not start: {line:?} {err}")
        });
    let stderr = child.stderr.take();
    ServerChild {
        child,
        port,
        stdout,
        first_line: line,
        stderr,
    }
}

/// Sends SIGTERM (graceful shutdown).
pub fn terminate(child: &Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}
