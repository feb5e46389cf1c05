//! One authority desk on disk: its key files, its directory entry, the pinned directory, the
//! vault's OP public key, and its case files.
//!
//! Layout: `auth.key` (X25519, 0600), `sign.key` (Ed25519, 0600), `entry.json` (the directory
//! entry to hand to the operator), `root.pub`, `directory.bin` and `op.pub` (from the operator,
//! pinned by `spur authority pin`), `settings.json` (language and time zone, [`crate::settings`]),
//! `cases/` (case files, 0600).

use std::path::{Path, PathBuf};

use spur_offline::keyfile;
use spur_protocol::directory::Directory;
use spur_protocol::keys::{
    AuthorityKeys, SealPublicKey, SealSecretKey, SignPublicKey, SignSecretKey,
};
use spur_wire::exchange::{OP_PUBLIC, ROOT_PUBLIC};

use crate::entry::DirectoryEntry;
use crate::error::{DeskError, Result};
use crate::settings::Settings;
use crate::texts::{Lang, Msg, Texts};

/// Key-file kind of the AUTH secret key.
pub const AUTH_SECRET: &str = "auth-secret";
/// Key-file kind of the signing key.
pub const SIGN_SECRET: &str = "auth-sign-secret";

/// An open desk.
pub struct Desk {
    dir: PathBuf,
    /// This authority's id.
    pub id: u16,
    /// The authority's keys.
    pub keys: AuthorityKeys,
    /// The pinned, verified directory.
    pub directory: Directory,
    /// The operator's root key (verifies the vault's files).
    pub root: SignPublicKey,
    /// The vault's OP key (files for the vault are sealed to it).
    pub op: SealPublicKey,
    /// Language and time zone.
    pub settings: Settings,
    texts: Texts,
}

impl Desk {
    /// Creates the keys and the directory entry of a new desk in `dir`.
    pub fn init(
        dir: &Path,
        rng: &mut impl rand_core::CryptoRngCore,
        id: u16,
        name: &str,
        ranges: Vec<crate::entry::RangeEntry>,
    ) -> Result<DirectoryEntry> {
        Self::init_with(dir, rng, id, name, ranges, &Settings::default())
    }

    /// [`Desk::init`] with the desk's language and time zone.
    pub fn init_with(
        dir: &Path,
        rng: &mut impl rand_core::CryptoRngCore,
        id: u16,
        name: &str,
        ranges: Vec<crate::entry::RangeEntry>,
        settings: &Settings,
    ) -> Result<DirectoryEntry> {
        spur_offline::private::private_dir(dir)?;
        let keys = AuthorityKeys::generate(rng);
        let entry = DirectoryEntry::new(id, name, &keys, ranges);
        entry.to_authority()?; // validates names and ranges before anything is written
        keyfile::write_secret(
            &dir.join("auth.key"),
            AUTH_SECRET,
            keys.seal.to_bytes().as_ref(),
        )?;
        keyfile::write_secret(
            &dir.join("sign.key"),
            SIGN_SECRET,
            keys.sign.to_bytes().as_ref(),
        )?;
        let json = serde_json::to_string_pretty(&entry)
            .map_err(|e| DeskError::bad_file("entry", e.to_string()))?;
        std::fs::write(dir.join("entry.json"), json + "\n").map_err(|e| DeskError::io(dir, e))?;
        settings.save(dir)?;
        Ok(entry)
    }

    /// Pins the operator's root key, the signed directory and the vault's OP key: the directory
    /// must verify and list this authority with this desk's keys.
    pub fn pin(dir: &Path, root_pub: &Path, directory: &Path, op_pub: &Path) -> Result<Directory> {
        let root = SignPublicKey::from_bytes(keyfile::read_public::<32>(root_pub, ROOT_PUBLIC)?)?;
        let signed = std::fs::read(directory).map_err(|e| DeskError::io(directory, e))?;
        let d = Directory::verify(&signed, &root)?;
        let op = keyfile::read_public::<32>(op_pub, OP_PUBLIC)?;
        SealPublicKey::from_bytes(op)?;
        let entry = load_entry(dir)?;
        let me = d.authority(entry.id).ok_or_else(|| {
            DeskError::refused(
                Msg::new("desk-err-directory-lacks").text("id", entry.id.to_string()),
            )
        })?;
        let keys = load_keys(dir)?;
        if me.seal != keys.seal.public() || me.sign != keys.sign.public() {
            return Err(DeskError::refused(Msg::new(
                "desk-err-directory-other-keys",
            )));
        }
        for (from, name) in [
            (root_pub, "root.pub"),
            (directory, "directory.bin"),
            (op_pub, "op.pub"),
        ] {
            let to = dir.join(name);
            if from != to {
                std::fs::copy(from, &to).map_err(|e| DeskError::io(&to, e))?;
            }
        }
        Ok(d)
    }

    /// Opens the desk in `dir` (initialised and pinned).
    pub fn open(dir: &Path) -> Result<Self> {
        let entry = load_entry(dir)?;
        let settings = Settings::load(dir)?;
        let keys = load_keys(dir)?;
        if !dir.join("root.pub").exists() || !dir.join("directory.bin").exists() {
            return Err(DeskError::NotPinned);
        }
        let root = SignPublicKey::from_bytes(keyfile::read_public::<32>(
            &dir.join("root.pub"),
            ROOT_PUBLIC,
        )?)?;
        let p = dir.join("directory.bin");
        let signed = std::fs::read(&p).map_err(|_| DeskError::NotPinned)?;
        let directory = Directory::verify(&signed, &root)?;
        let op =
            SealPublicKey::from_bytes(keyfile::read_public::<32>(&dir.join("op.pub"), OP_PUBLIC)?)?;
        Ok(Self {
            dir: dir.to_owned(),
            id: entry.id,
            keys,
            directory,
            root,
            op,
            settings,
            texts: Texts::new(),
        })
    }

    /// The language of the desk's sheets, lists and messages.
    pub fn lang(&self) -> Lang {
        self.settings.lang()
    }

    /// The desk's words.
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// `msg` in the desk's language.
    pub fn say(&self, msg: &Msg) -> String {
        self.texts.format(self.lang(), msg)
    }

    /// `minute` as the desk's clock shows it, with the zone named: `07.12.2026 14:05 MEZ` in
    /// German, `2026-12-07 14:05 CET` in English.
    pub fn local_time(&self, minute: spur_protocol::time::Minute) -> String {
        crate::texts::local_time(&self.texts, self.lang(), &self.settings.time_zone, minute)
    }

    /// The desk's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The case-file directory (created on demand, mode 0700).
    pub fn cases_dir(&self) -> Result<PathBuf> {
        use std::os::unix::fs::DirBuilderExt;
        let p = self.dir.join("cases");
        if !p.exists() {
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&p)
                .map_err(|e| DeskError::io(&p, e))?;
        }
        Ok(p)
    }

    /// The AUTH secret key.
    pub fn seal_key(&self) -> &SealSecretKey {
        &self.keys.seal
    }

    /// The signing key.
    pub fn sign_key(&self) -> &SignSecretKey {
        &self.keys.sign
    }

    /// The sender-key lookup for files from the vault: only the vault (root key) is accepted.
    pub fn vault_key(&self) -> impl Fn(u16) -> Result<SignPublicKey> + '_ {
        move |from| {
            if from == spur_wire::exchange::VAULT {
                Ok(self.root)
            } else {
                Err(DeskError::NotFromVault)
            }
        }
    }

    /// The name of an authority from the directory (or its number).
    pub fn authority_name(&self, id: u16) -> String {
        self.directory
            .authority(id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| format!("authority {id}"))
    }
}

/// The directory entry, or the advice to make the desk first when the folder has none.
fn load_entry(dir: &Path) -> Result<DirectoryEntry> {
    let path = dir.join("entry.json");
    if !path.exists() {
        return Err(DeskError::NotInitialised {
            dir: dir.display().to_string(),
        });
    }
    DirectoryEntry::load(&path)
}

fn load_keys(dir: &Path) -> Result<AuthorityKeys> {
    Ok(AuthorityKeys {
        seal: SealSecretKey::from_bytes(*keyfile::read_secret::<32>(
            &dir.join("auth.key"),
            AUTH_SECRET,
        )?),
        sign: SignSecretKey::from_bytes(*keyfile::read_secret::<32>(
            &dir.join("sign.key"),
            SIGN_SECRET,
        )?),
    })
}
