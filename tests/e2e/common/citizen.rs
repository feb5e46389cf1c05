//! A citizen: their own app data directory and credentials, and what a scan of a picture reads.

use std::path::{Path, PathBuf};

use super::*;

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
    pub(super) fn app_raw(&self) -> Spur {
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
