//! Shared fixtures of the end-to-end tests: the real `spur` binary run as separate processes on
//! 127.0.0.1 — servers that are killed when dropped, CLI steps whose exit status and message are
//! checked, the operator's vault and two authority desks on disk, citizens with their own data
//! directories, the whole trace exchanged as files, and readers of raw database bytes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod dump;
pub mod http;
pub mod town;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The binary under test.
pub const SPUR: &str = env!("CARGO_BIN_EXE_spur");
/// The host every code of these tests names.
pub const HOST: &str = "spur.e2e";
/// The Munich authority: id, name, postcode range.
pub const MUNICH: (u16, &str, &str) = (1, "Gesundheitsamt Muenchen", "DE:80000-81999");
/// The Berlin authority.
pub const BERLIN: (u16, &str, &str) = (2, "Gesundheitsamt Berlin", "DE:10000-14999");
/// The environment variable of the clock hook in `protocol/src/time.rs`.
pub const SHIFT: &str = "SPUR_CLOCK_SHIFT_DAYS";

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

/// Lower-case hex of the key in a public key file (`spur <kind> v1` + hex line).
pub fn key_hex(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().nth(1).unwrap().trim().to_owned()
}

/// Today's date (UTC) as the commands take it, moved by `shift` days.
pub fn date(shift: i64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let day = (secs / 86_400 + shift) as u32;
    spur_protocol::time::Day(day).date_text()
}

/// The operator (vault), two authority desks, the signed directory, and the TAG and POST server
/// processes, all in one temporary folder.
pub struct World {
    /// The temporary folder (deleted on drop).
    pub tmp: tempfile::TempDir,
    /// The vault's directory.
    pub vault: PathBuf,
    /// Desk directories: Munich, Berlin.
    pub desks: [PathBuf; 2],
    /// The directory root public key (hex), pinned by apps.
    pub root_hex: String,
    /// The OP public key (hex).
    pub op_hex: String,
    /// The TAG server's secret file (shared by replicas).
    pub tag_secret: PathBuf,
    /// The POST server's SQLite file.
    pub post_db: PathBuf,
    /// The export token file.
    pub token: PathBuf,
    /// The TAG server.
    pub tag: Option<Proc>,
    /// The POST server.
    pub post: Option<Proc>,
    /// TAG server URL the apps are configured with.
    pub tag_url: String,
    /// POST server URL the apps are configured with.
    pub post_url: String,
    /// POST server port.
    pub post_port: u16,
}

impl World {
    /// Keys, directory, pinned desks, and both servers running.
    pub fn new() -> Self {
        let mut w = Self::offline();
        w.tag = Some(w.start_tag(0, 0));
        let post = w.start_post(0, 0);
        w.post_port = post.port();
        w.post = Some(post);
        w.tag_url = format!("http://127.0.0.1:{}", w.tag.as_ref().unwrap().port());
        w.post_url = format!("http://127.0.0.1:{}", w.post_port);
        w
    }

    /// Keys, directory and pinned desks; no server started. The URLs name ports that nothing
    /// listens on yet (`start_tag`/`start_post` with `tag_port()`/`post_port` start them there).
    pub fn offline() -> Self {
        let tmp = tempfile::Builder::new()
            .prefix("spur-e2e-")
            .tempdir()
            .unwrap();
        let root = tmp.path().to_owned();
        let vault = root.join("vault");
        Spur::new(["vault", "--dir"]).arg(&vault).arg("init").ok();
        let desks = [root.join("desk-munich"), root.join("desk-berlin")];
        for (d, (id, name, range)) in desks.iter().zip([MUNICH, BERLIN]) {
            let out = Spur::new(["authority", "--dir"])
                .arg(d)
                .args([
                    "init",
                    "--id",
                    &id.to_string(),
                    "--name",
                    name,
                    "--range",
                    range,
                ])
                .ok();
            assert!(out.contains("entry.json"), "{out}");
        }
        Spur::new(["vault", "--dir"])
            .arg(&vault)
            .arg("sign-directory")
            .arg("--entry")
            .arg(desks[0].join("entry.json"))
            .arg("--entry")
            .arg(desks[1].join("entry.json"))
            .args(["--default-authority", "1", "--serial", "1"])
            .ok();
        for d in &desks {
            let out = Spur::new(["authority", "--dir"])
                .arg(d)
                .arg("pin")
                .arg("--root")
                .arg(vault.join("root.pub"))
                .arg("--directory")
                .arg(vault.join("directory.bin"))
                .arg("--op")
                .arg(vault.join("op.pub"))
                .ok();
            assert!(
                out.contains("pinned directory 1 with 2 authorities"),
                "{out}"
            );
        }
        let token = root.join("export-token");
        std::fs::write(&token, "e2e-export-token-0123456789abcdef").unwrap();
        std::fs::create_dir_all(root.join("post")).unwrap();
        let (tp, pp) = (free_port(), free_port());
        Self {
            root_hex: key_hex(&vault.join("root.pub")),
            op_hex: key_hex(&vault.join("op.pub")),
            tag_secret: root.join("tag").join("tag-secret"),
            post_db: root.join("post").join("post.sqlite"),
            token,
            vault,
            desks,
            tag: None,
            post: None,
            tag_url: format!("http://127.0.0.1:{tp}"),
            post_url: format!("http://127.0.0.1:{pp}"),
            post_port: pp,
            tmp,
        }
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The port in `tag_url`.
    pub fn tag_port(&self) -> u16 {
        self.tag_url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// A TAG server (or replica: same secret file) on `port` (0 = any), clock moved by `shift`.
    pub fn start_tag(&self, port: u16, shift: i64) -> Proc {
        std::fs::create_dir_all(self.tag_secret.parent().unwrap()).unwrap();
        let args: Vec<String> = vec![
            "server".into(),
            "tag".into(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--secret-file".into(),
            self.tag_secret.display().to_string(),
            "--create-secret".into(),
            "--directory".into(),
            self.vault.join("directory.bin").display().to_string(),
            "--directory-root".into(),
            self.root_hex.clone(),
            "--rate-limit".into(),
            "0".into(),
        ];
        Proc::start(&args, shift, 1)
    }

    /// The POST server on `port` (0 = any), clock moved by `shift` days.
    pub fn start_post(&self, port: u16, shift: i64) -> Proc {
        let args: Vec<String> = vec![
            "server".into(),
            "post".into(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--sqlite".into(),
            self.post_db.display().to_string(),
            "--export-token-file".into(),
            self.token.display().to_string(),
            "--rate-limit".into(),
            "0".into(),
        ];
        Proc::start(&args, shift, 1)
    }

    /// Registers a citizen with their own data directory (app configured with the cheap test
    /// Argon2 cost).
    pub fn citizen(
        &self,
        name: &str,
        phone: &str,
        postcode: &str,
        campus: Option<&str>,
    ) -> Citizen {
        let c = self.unregistered(name, phone, postcode);
        c.register(campus);
        c
    }

    /// A citizen whose app is configured but who has not registered yet.
    pub fn unregistered(&self, name: &str, phone: &str, postcode: &str) -> Citizen {
        let c = Citizen {
            dir: self.dir().join("phones").join(name),
            phone: phone.to_owned(),
            postcode: postcode.to_owned(),
            secret: format!("correct horse battery {name} staple"),
        };
        let out = c
            .app_raw()
            .args(["init", "--host", HOST, "--tag-url", &self.tag_url])
            .args(["--post-url", &self.post_url, "--op-key", &self.op_hex])
            .args(["--root-key", &self.root_hex, "--test-kdf"])
            .ok();
        assert!(out.contains("configured"), "{out}");
        c
    }

    /// `spur vault --dir V …`
    pub fn vault(&self) -> Spur {
        Spur::new(["vault", "--dir"]).arg(&self.vault)
    }

    /// `spur authority --dir D …` for desk 0 (Munich) or 1 (Berlin).
    pub fn desk(&self, i: usize) -> Spur {
        Spur::new(["authority", "--dir"]).arg(&self.desks[i])
    }

    /// Pulls the POST server's export into `dir` with `spur server pull`; returns the files.
    pub fn pull(&self, dir: &Path) -> Vec<PathBuf> {
        Spur::new(["server", "pull", "--server"])
            .arg(format!("127.0.0.1:{}", self.post_port))
            .arg("--token-file")
            .arg(&self.token)
            .arg("--dir")
            .arg(dir)
            .ok();
        files_with(dir, "spurx")
    }

    /// Pulls everything and imports it into the vault.
    pub fn pull_and_import(&self, name: &str) -> Vec<PathBuf> {
        let files = self.pull(&self.dir().join(name));
        let mut v = self.vault().arg("import");
        for f in &files {
            v = v.arg(f);
        }
        v.ok();
        files
    }

    /// The authority's consent code for `case` (desk `i`), over `days` days from `first_day`.
    pub fn consent_code(&self, i: usize, case: &str, first_day: &str, days: u8) -> String {
        let out = self
            .desk(i)
            .args(["consent-code", "--case", case, "--first-day", first_day])
            .args(["--days", &days.to_string(), "--host", HOST, "--out"])
            .arg(self.dir().join(format!("consent-{case}")))
            .ok();
        out.lines().next().unwrap().to_owned()
    }

    /// The whole exchange after a consent (steps 3–11 of docs/vault-authority.md), every step a
    /// separate process; returns each desk's contact list as CSV text (None when it got none).
    /// `tmp_keys`: the TAG server's answers for the person's own cards.
    pub fn trace(&self, case: &str, tmp_keys: &[PathBuf]) -> [Option<String>; 2] {
        let step = self.dir().join(format!("trace-{case}"));
        self.pull_and_import(&format!("export-{case}"));
        let out = self
            .vault()
            .args(["consent", "take", "--case", case, "--out"])
            .arg(step.join("1"))
            .ok();
        assert!(out.contains("for authority 1"), "{out}");
        let consent = only(&step.join("1"), "spkg");
        let mut open = self.desk(0).args(["open", "consent"]).arg(&consent);
        for t in tmp_keys {
            open = open.arg("--tmp-keys").arg(t);
        }
        open.arg("--out").arg(step.join("2")).ok();
        let scan_keys = step.join("2").join(format!("scan-keys-{case}.spkg"));
        let places = step.join("2").join(format!("resolve-places-{case}.spkg"));
        self.vault()
            .arg("trace")
            .arg(&scan_keys)
            .arg("--out")
            .arg(step.join("3"))
            .ok();
        // Requests for the vault, by desk index; answers go back to the desk that asked.
        let mut queue: Vec<(usize, PathBuf)> = vec![(0, places)];
        for f in files_with(&step.join("3"), "spkg") {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let to = if name.starts_with("contacts-1-") {
                0
            } else {
                1
            };
            let out_dir = step.join(format!("4-{to}"));
            self.desk(to)
                .args(["open", "contacts"])
                .arg(&f)
                .arg("--out")
                .arg(&out_dir)
                .ok();
            for r in files_with(&out_dir, "spkg") {
                queue.push((to, r));
            }
        }
        let mut n = 0;
        while let Some((to, req)) = queue.pop() {
            n += 1;
            let ans_dir = step.join(format!("5-{n}"));
            self.vault()
                .arg("resolve")
                .arg(&req)
                .arg("--out")
                .arg(&ans_dir)
                .ok();
            let more_dir = step.join(format!("6-{n}"));
            self.desk(to)
                .args(["open", "resolved"])
                .arg(only(&ans_dir, "spkg"))
                .arg("--out")
                .arg(&more_dir)
                .ok();
            for r in files_with(&more_dir, "spkg") {
                queue.push((to, r));
            }
        }
        [0, 1].map(|i| {
            let csv = step.join(format!("list-{i}.csv"));
            let o = self
                .desk(i)
                .args(["contacts", "--case", case, "--authority", "1", "--csv"])
                .arg(&csv)
                .run();
            o.ok.then(|| std::fs::read_to_string(&csv).unwrap())
        })
    }
}

/// The files in `dir` ending in `.ext`, sorted (none if the folder does not exist).
pub fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

/// The one file in `dir` ending in `.ext`.
pub fn only(dir: &Path, ext: &str) -> PathBuf {
    let v = files_with(dir, ext);
    assert_eq!(v.len(), 1, "one .{ext} file in {}: {v:?}", dir.display());
    v[0].clone()
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

/// A citizen: their own app data directory and credentials.
pub struct Citizen {
    /// The app's data directory.
    pub dir: PathBuf,
    /// Phone number (E.164).
    pub phone: String,
    /// Home postcode.
    pub postcode: String,
    /// The secret they registered with.
    pub secret: String,
}

impl Citizen {
    fn app_raw(&self) -> Spur {
        Spur::new(["app", "--data-dir"]).arg(&self.dir)
    }

    /// `spur app --data-dir D …` with the citizen's secret in the environment.
    pub fn app(&self) -> Spur {
        self.app_raw().env("SPUR_SECRET", &self.secret)
    }

    /// Registers (asserts it was uploaded).
    pub fn register(&self, campus: Option<&str>) {
        let mut s = self.app().args([
            "register",
            "--phone",
            &self.phone,
            "--postcode",
            &self.postcode,
        ]);
        if let Some(c) = campus {
            s = s.args(["--campus-id", c]);
        }
        let out = s.ok();
        assert!(out.lines().any(|l| l == "registered"), "{out}");
    }

    /// Makes a place code in the citizen's folder; returns the PNG's path.
    pub fn place_code(&self, name: &str, postcode: &str, responsible: &str) -> PathBuf {
        let prefix = self.dir.join(format!("place-{}", name.replace(' ', "_")));
        self.app()
            .args(["place-code", "--phone", responsible, "--postcode", postcode])
            .args(["--name", name, "--kind", "gastronomy", "--out"])
            .arg(&prefix)
            .ok();
        prefix.with_extension("png")
    }

    /// Makes a printable personal code; returns the PNG's path.
    pub fn card(&self) -> PathBuf {
        let prefix = self.dir.join("card");
        self.app()
            .arg("personal-code")
            .arg("--out")
            .arg(&prefix)
            .ok();
        prefix.with_extension("png")
    }

    /// Checks in from a picture of a code for `stay` (minutes, `short` or `open`), the clock
    /// moved by `shift` days; returns what the app printed.
    pub fn check_in(&self, picture: &Path, stay: &str, shift: i64) -> String {
        self.app()
            .shifted(shift)
            .args(["check-in", "--stay", stay, "--image"])
            .arg(picture)
            .ok()
    }

    /// `spur app sync`; returns its report line.
    pub fn sync(&self, shift: i64) -> String {
        self.app().shifted(shift).arg("sync").ok()
    }

    /// Scans the consent code and releases the days (asserts success).
    pub fn consent(&self, url: &str) -> String {
        let out = self
            .app()
            .args(["consent", "--url", url, "--phone", &self.phone])
            .ok();
        assert!(out.contains("released"), "{out}");
        out
    }
}

/// What `spur scan --image` reads from a picture: the code's URL.
pub fn scan_url(picture: &Path) -> String {
    let out = Spur::new(["scan", "--image"]).arg(picture).ok();
    out.lines()
        .find_map(|l| l.strip_prefix("spur code: "))
        .unwrap()
        .to_owned()
}
