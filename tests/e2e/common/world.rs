//! The operator's vault, two authority desks, the signed directory and both servers on disk and
//! on loopback, plus the small file helpers the trace steps use.

use std::path::{Path, PathBuf};

use super::*;

/// Lower-case hex of the key in a public key file (`spur <kind> v1` + hex line).
pub fn key_hex(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().nth(1).unwrap().trim().to_owned()
}

/// The vault's OP secret key, read from its key file the way the vault reads it.
pub fn op_secret(vault: &Path) -> spur_protocol::keys::SealSecretKey {
    let b = spur_offline::keyfile::read_secret::<32>(
        &vault.join("op.key"),
        spur_vault::vault::OP_SECRET,
    );
    spur_protocol::keys::SealSecretKey::from_bytes(*b.unwrap())
}

/// A desk's AUTH secret key, read from its key file the way the desk reads it.
pub fn auth_secret(desk: &Path) -> spur_protocol::keys::SealSecretKey {
    let b = spur_offline::keyfile::read_secret::<32>(
        &desk.join("auth.key"),
        spur_authority::desk::AUTH_SECRET,
    );
    spur_protocol::keys::SealSecretKey::from_bytes(*b.unwrap())
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
        w.pin_post_key();
        w
    }

    /// The POST server's export public key file (written next to its store on first start).
    pub fn post_key(&self) -> PathBuf {
        self.post_db.parent().unwrap().join("export-sign.key.pub")
    }

    /// Pins the POST server's export key in the vault: from then on unsigned or altered export
    /// files are refused at import.
    pub fn pin_post_key(&self) {
        let out = self.vault().arg("pin-post-key").arg(self.post_key()).ok();
        assert!(out.contains("pinned"), "{out}");
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
                    // The tests read the desk's English words; German is the default.
                    "--lang",
                    "en",
                ])
                .ok();
            assert!(out.contains("entry.json"), "{out}");
        }
        // The TAG server's secret first: its POPRF public key goes into the directory.
        let tag_secret = root.join("tag").join("tag-secret");
        std::fs::create_dir_all(tag_secret.parent().unwrap()).unwrap();
        let tag_key = Spur::new(["server", "tag-key", "--create-secret", "--secret-file"])
            .arg(&tag_secret)
            .ok();
        Spur::new(["vault", "--dir"])
            .arg(&vault)
            .arg("sign-directory")
            .args(["--tag-key", tag_key.trim()])
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
            secret: format!("{name}-ballot-quarry-tiptoe-lantern-minnow"),
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

    /// The authority's consent code for `case` (desk `i`) for the person with `phone`, over
    /// `days` days from `first_day`; the desk also writes `consent-<case>.code` for the vault.
    pub fn consent_code(
        &self,
        i: usize,
        case: &str,
        phone: &str,
        first_day: &str,
        days: u8,
    ) -> String {
        let out = self
            .desk(i)
            .args(["consent-code", "--case", case, "--phone", phone])
            .args(["--first-day", first_day])
            .args(["--days", &days.to_string(), "--host", HOST, "--out"])
            .arg(self.dir().join(format!("consent-{case}")))
            .ok();
        out.lines().next().unwrap().to_owned()
    }

    /// The whole exchange after a consent (steps 3–11 of docs/vault-authority.md), every step a
    /// separate process; returns each desk's contact list as CSV text (None when it got none).
    /// `tmp_keys`: the TAG server's answers for the person's own cards.
    pub fn trace(&self, case: &str, tmp_keys: &[PathBuf]) -> [Option<String>; 2] {
        self.trace_with(case, tmp_keys, &[])
    }

    /// [`World::trace`], with more options for `spur authority open consent` (`--candidate N`).
    pub fn trace_with(
        &self,
        case: &str,
        tmp_keys: &[PathBuf],
        open_args: &[&str],
    ) -> [Option<String>; 2] {
        let (consent, out) = self.take_consent(case);
        assert!(out.contains("for authority 1"), "{out}");
        self.open_consent(case, &consent, tmp_keys, open_args);
        self.finish_trace(case)
    }

    /// The trace's folder of `case`.
    pub fn step_dir(&self, case: &str) -> PathBuf {
        self.dir().join(format!("trace-{case}"))
    }

    /// Pull, import and `spur vault consent take --code consent-<case>.code`: the package for the
    /// desk and what the vault printed.
    pub fn take_consent(&self, case: &str) -> (PathBuf, String) {
        let step = self.step_dir(case);
        self.pull_and_import(&format!("export-{case}"));
        let out = self
            .vault()
            .args(["consent", "take", "--code"])
            .arg(self.dir().join(format!("consent-{case}.code")))
            .arg("--out")
            .arg(step.join("1"))
            .ok();
        (only(&step.join("1"), "spkg"), out)
    }

    /// `spur authority open consent` at the Munich desk; returns what it printed.
    pub fn open_consent(
        &self,
        case: &str,
        consent: &Path,
        tmp_keys: &[PathBuf],
        open_args: &[&str],
    ) -> String {
        let step = self.step_dir(case);
        let mut open = self.desk(0).args(["open", "consent"]).arg(consent);
        for t in tmp_keys {
            open = open.arg("--tmp-keys").arg(t);
        }
        open.args(open_args).arg("--out").arg(step.join("2")).ok()
    }

    /// The rest of the trace after the desk opened the consent: SCAN keys, contacts, resolving,
    /// the contact lists.
    pub fn finish_trace(&self, case: &str) -> [Option<String>; 2] {
        self.finish_trace_logged(case).0
    }

    /// [`World::finish_trace`], keeping everything the steps printed (skips are reported there);
    /// a resolve loop or growing file names fail the test instead of running forever.
    pub fn finish_trace_logged(&self, case: &str) -> ([Option<String>; 2], String) {
        let mut log = String::new();
        let step = self.step_dir(case);
        let scan_keys = step.join("2").join(format!("scan-keys-{case}.spkg"));
        let places = step.join("2").join(format!("resolve-places-{case}.spkg"));
        log += &self
            .vault()
            .arg("trace")
            .arg(&scan_keys)
            .arg("--out")
            .arg(step.join("3"))
            .ok();
        // Requests for the vault, by desk index; answers go back to the desk that asked.
        let mut queue: Vec<(usize, PathBuf)> = vec![(0, places)];
        for f in files_with(&step.join("3"), "spkg") {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let to = usize::from(!name.starts_with("contacts-1-"));
            let out_dir = step.join(format!("4-{to}"));
            log += &self
                .desk(to)
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
            assert!(n < 20, "the resolve rounds do not end:\n{log}");
            let ans_dir = step.join(format!("5-{n}"));
            log += &self
                .vault()
                .arg("resolve")
                .arg(&req)
                .arg("--out")
                .arg(&ans_dir)
                .ok();
            let more_dir = step.join(format!("6-{n}"));
            // The answer, and any contacts file the vault forwarded (card owners, place labels)
            // for the desk it is sealed to.
            let (answer, forwarded): (Vec<PathBuf>, Vec<PathBuf>) =
                files_with(&ans_dir, "spkg").into_iter().partition(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("resolved-")
                });
            assert_eq!(answer.len(), 1, "one answer in {}", ans_dir.display());
            log += &self
                .desk(to)
                .args(["open", "resolved"])
                .arg(&answer[0])
                .arg("--out")
                .arg(&more_dir)
                .ok();
            for (i, f) in forwarded.into_iter().enumerate() {
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                assert!(name.starts_with("contacts-"), "{name}");
                let at = usize::from(!name.starts_with("contacts-1-"));
                let out_dir = step.join(format!("7-{n}-{i}"));
                log += &self
                    .desk(at)
                    .args(["open", "contacts"])
                    .arg(&f)
                    .arg("--out")
                    .arg(&out_dir)
                    .ok();
                for r in files_with(&out_dir, "spkg") {
                    queue.push((at, r));
                }
            }
            for r in files_with(&more_dir, "spkg") {
                let name = r.file_name().unwrap().to_string_lossy().into_owned();
                assert!(name.len() < 40, "file names must not grow: {name}");
                queue.push((to, r));
            }
        }
        let lists = [0, 1].map(|i| {
            let csv = step.join(format!("list-{i}.csv"));
            let o = self
                .desk(i)
                .args(["contacts", "--case", case, "--authority", "1", "--csv"])
                .arg(&csv)
                .run();
            o.ok.then(|| std::fs::read_to_string(&csv).unwrap())
        });
        (lists, log)
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
