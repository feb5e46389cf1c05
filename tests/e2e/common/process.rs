//! Running the real `spur` binary: one CLI step run to its end with its status and message
//! checked, and long-running server processes that are killed when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{SHIFT, SPUR};

/// What one finished CLI step printed.
#[derive(Debug)]
pub struct Output {
    /// Exit status was success.
    pub ok: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// One `spur …` invocation, built up and then run to its end.
pub struct Spur {
    cmd: Command,
    shown: String,
}

impl Spur {
    /// `spur` with these arguments.
    pub fn new<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Self {
        let mut cmd = Command::new(SPUR);
        let mut shown = String::from("spur");
        for a in args {
            shown.push(' ');
            shown.push_str(&a.as_ref().to_string_lossy());
            cmd.arg(a);
        }
        // No shift leaks in from the environment of whoever runs the tests.
        cmd.env_remove(SHIFT).env_remove("SPUR_SECRET");
        cmd.stdin(Stdio::null());
        Self { cmd, shown }
    }

    /// Adds an argument.
    pub fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&a.as_ref().to_string_lossy());
        self.cmd.arg(a);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    /// Runs the process with its clock moved by `days` (0 = not moved).
    pub fn shifted(self, days: i64) -> Self {
        if days == 0 {
            self
        } else {
            self.env(SHIFT, days.to_string())
        }
    }

    /// Runs to the end.
    pub fn run(mut self) -> Output {
        let out = self
            .cmd
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.shown));
        Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs, asserts success, and returns standard output.
    pub fn ok(self) -> String {
        let shown = self.shown.clone();
        let o = self.run();
        assert!(
            o.ok,
            "`{shown}` failed\nstdout: {}\nstderr: {}",
            o.stdout, o.stderr
        );
        o.stdout
    }

    /// Runs, asserts a failure exit, and returns standard error (the message for people).
    pub fn fails(self) -> String {
        let shown = self.shown.clone();
        let o = self.run();
        assert!(
            !o.ok,
            "`{shown}` should have failed\nstdout: {}\nstderr: {}",
            o.stdout, o.stderr
        );
        o.stderr
    }
}

/// A long-running `spur server …` process: killed (SIGKILL) and reaped when dropped, its output
/// collected by reader threads.
pub struct Proc {
    child: Child,
    /// Ports from the ready lines, in the order printed.
    pub ports: Vec<u16>,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
}

fn collect(
    pipe: impl std::io::Read + Send + 'static,
    into: Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            into.lock().unwrap().push_str(&line);
            into.lock().unwrap().push('\n');
            if let Some(tx) = &lines {
                let _ = tx.send(line);
            }
        }
    });
}

impl Proc {
    /// Starts `spur args…` (clock moved by `shift` days) and waits for `ready` lines of the form
    /// `spur <what> server ready on port N`.
    pub fn start(args: &[String], shift: i64, ready: usize) -> Self {
        let mut cmd = Command::new(SPUR);
        cmd.args(args)
            .env_remove(SHIFT)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if shift != 0 {
            cmd.env(SHIFT, shift.to_string());
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawning spur {args:?}: {e}"));
        let out = Arc::new(Mutex::new(String::new()));
        let err = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        collect(child.stdout.take().unwrap(), out.clone(), Some(tx));
        collect(child.stderr.take().unwrap(), err.clone(), None);
        let mut p = Self {
            child,
            ports: Vec::new(),
            out,
            err,
        };
        while p.ports.len() < ready {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    if let Some(port) = line
                        .strip_prefix("spur ")
                        .and_then(|l| l.split(" server ready on port ").nth(1))
                    {
                        p.ports.push(port.trim().parse().unwrap());
                    }
                }
                Err(_) => panic!(
                    "spur {args:?} printed no ready line\nstdout: {}\nstderr: {}",
                    p.stdout(),
                    p.stderr()
                ),
            }
        }
        p
    }

    /// The first port it listens on.
    pub fn port(&self) -> u16 {
        self.ports[0]
    }

    /// Everything printed on stdout so far.
    pub fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    /// Everything printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit (the servers finish accepted requests first).
    pub fn terminate(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        // Let the reader threads take the last lines.
        std::thread::sleep(Duration::from_millis(100));
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now (for a server started later, "the network returns").
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Extension so a step can take several arguments at once.
pub trait Args {
    /// Adds these arguments.
    fn args(self, a: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>) -> Self;
}

impl Args for Spur {
    fn args(mut self, a: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>) -> Self {
        for x in a {
            self = self.arg(x);
        }
        self
    }
}
