//! One vault on disk: its key files, signed directory, store and audit log, and each step as a
//! method that writes its audit line.
//!
//! Layout of a vault directory: `op.key` / `op.pub` (X25519, the OP key), `root.key` / `root.pub`
//! (Ed25519, the directory root), `directory.bin` (the signed directory), `vault.db` (SQLite,
//! unless a PostgreSQL store is given) and `audit.log`.

use std::path::{Path, PathBuf};

use serde_json::json;
use spur_offline::audit::{AuditLog, AuditReport};
use spur_offline::keyfile;
use spur_protocol::directory::Directory;
use spur_protocol::keys::{SealPublicKey, SealSecretKey, SignPublicKey, SignSecretKey};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::time::{Day, RETENTION_DAYS};
use spur_wire::exchange::{
    self, Envelope, PackageKind, RelayedPackage, ResolveRequest, ScanKeyFile, OP_PUBLIC,
    ROOT_PUBLIC, VAULT,
};

use crate::error::{Result, VaultError};
use crate::export_file::ExportSource;
use crate::store::{sqlite::SqliteStore, ConsentRow, ImportCounts, Store};

/// Key-file kinds.
pub const OP_SECRET: &str = "op-secret";
/// Root secret key file kind.
pub const ROOT_SECRET: &str = "root-secret";
/// Key-file kind of the POST server's export public key (`spur server post` writes it next to its
/// export signing key).
pub const POST_EXPORT_PUBLIC: &str = "post-export-public";
/// The pinned POST export key in the vault's directory.
pub const POST_KEY_FILE: &str = "post.pub";

/// An open vault.
pub struct Vault {
    dir: PathBuf,
    op: SealSecretKey,
    root: SignSecretKey,
    store: Box<dyn Store>,
    audit: AuditLog,
    /// Threads used to open OP layers on import.
    pub threads: usize,
    /// The day retention counts from at import (`None`: the system clock; simulations that
    /// replay fixed days set it).
    pub today: Option<Day>,
}

/// A file the vault wrote for an authority.
pub struct Outgoing {
    /// Receiving authority.
    pub to: u16,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// What a resolve request produced.
#[derive(Debug)]
pub struct ResolveResult {
    /// The answer for the requesting authority.
    pub answer: Outgoing,
    /// Files sent on to other authorities (card owners, relayed user entries).
    pub forwarded: Vec<Outgoing>,
    /// Items of the request skipped (outside the case, deleted, malformed), by reason.
    pub skips: spur_offline::skip::Skips,
}

impl std::fmt::Debug for Outgoing {
    // The bytes are a sealed file: their length says enough in a test failure.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Outgoing(to {}, {} bytes)", self.to, self.bytes.len())
    }
}

/// What a consent take produced.
#[derive(Debug)]
pub struct ConsentTake {
    /// The package for the consenting authority.
    pub file: Outgoing,
    /// The code's case id.
    pub case_id: String,
    /// Candidates in the package (more than one: the desk chooses by its case register).
    pub candidates: usize,
    /// Releases that answered the code (identical ones merged into one candidate).
    pub releases: usize,
    /// Releases with the code's nonce that were refused, with the reason.
    pub refused: Vec<crate::consent::RefusedRelease>,
    /// Waiting releases naming the code's case and authority that answer no code handed to the
    /// vault: left waiting, never traced.
    pub unanswered: usize,
}

/// What a trace produced.
#[derive(Debug)]
pub struct TraceResult {
    /// One contact file per authority.
    pub files: Vec<Outgoing>,
    /// Contacts per authority (for the operator's console).
    pub contacts: Vec<(u16, usize)>,
    /// Stays, keys and contacts skipped, by reason.
    pub skips: spur_offline::skip::Skips,
}

impl Vault {
    /// Creates the key files of a new vault in `dir` (created if missing). Refuses to overwrite.
    pub fn init(dir: &Path, rng: &mut impl rand_core::CryptoRngCore) -> Result<()> {
        spur_offline::private::private_dir(dir)?;
        let op = SealSecretKey::generate(rng);
        let root = SignSecretKey::generate(rng);
        keyfile::write_secret(&dir.join("op.key"), OP_SECRET, op.to_bytes().as_ref())?;
        keyfile::write_public(&dir.join("op.pub"), OP_PUBLIC, &op.public().to_bytes())?;
        keyfile::write_secret(&dir.join("root.key"), ROOT_SECRET, root.to_bytes().as_ref())?;
        keyfile::write_public(
            &dir.join("root.pub"),
            ROOT_PUBLIC,
            &root.public().to_bytes(),
        )?;
        Ok(())
    }

    /// Opens the vault in `dir` with its SQLite store.
    pub fn open(dir: &Path) -> Result<Self> {
        let store = SqliteStore::open(&dir.join("vault.db"))?;
        Self::open_with(dir, Box::new(store))
    }

    /// Opens the vault in `dir` with the given store.
    pub fn open_with(dir: &Path, store: Box<dyn Store>) -> Result<Self> {
        let op =
            SealSecretKey::from_bytes(*keyfile::read_secret::<32>(&dir.join("op.key"), OP_SECRET)?);
        let root = SignSecretKey::from_bytes(*keyfile::read_secret::<32>(
            &dir.join("root.key"),
            ROOT_SECRET,
        )?);
        Ok(Self {
            dir: dir.to_owned(),
            op,
            root,
            store,
            audit: AuditLog::new(&dir.join("audit.log")),
            threads: crate::import::default_threads(),
            today: None,
        })
    }

    /// The store (for statistics and tests).
    pub fn store(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// The OP public key (authorities seal their files to it).
    pub fn op_public(&self) -> SealPublicKey {
        self.op.public()
    }

    /// The directory root's public key.
    pub fn root_public(&self) -> SignPublicKey {
        self.root.public()
    }

    fn log(&mut self, event: &str, detail: serde_json::Value) -> Result<()> {
        self.audit.append(self.store.as_mut(), event, detail)
    }

    /// Passes `r` on; an error is first audited as `event` with `detail` and its reason.
    fn audited<T>(
        &mut self,
        r: Result<T>,
        event: &str,
        mut detail: serde_json::Value,
    ) -> Result<T> {
        if let Err(e) = &r {
            if let Some(o) = detail.as_object_mut() {
                o.insert("reason".into(), json!(e.to_string()));
            }
            self.log(event, detail)?;
        }
        r
    }

    /// Signs a directory with the root key, stores it as `directory.bin` and returns its bytes.
    pub fn sign_directory(&mut self, dir: &Directory) -> Result<Vec<u8>> {
        // A refused directory (overlapping ranges, invalid postcodes or names) is audited.
        let signed = self.audited(
            dir.sign(&self.root).map_err(VaultError::from),
            "sign-directory-refused",
            json!({ "serial": dir.serial }),
        )?;
        spur_offline::private::write_private_file(&self.dir.join("directory.bin"), &signed)?;
        let ids: Vec<u16> = dir.authorities.iter().map(|a| a.id).collect();
        self.log(
            "sign-directory",
            json!({ "serial": dir.serial, "authorities": ids }),
        )?;
        Ok(signed)
    }

    /// The signed directory, verified against the root key.
    pub fn directory(&self) -> Result<Directory> {
        let p = self.dir.join("directory.bin");
        let b = std::fs::read(&p).map_err(|e| VaultError::io(&p, e))?;
        Ok(Directory::verify(&b, &self.root.public())?)
    }

    /// Pins the POST server's export public key (from the key file `spur server post` wrote next
    /// to its signing key): from then on every export file must carry a valid signature by it.
    /// Pinning the same key again changes nothing; another key is refused (delete `post.pub` by
    /// hand to re-pin after a key change).
    pub fn pin_post_key(&mut self, path: &Path) -> Result<SignPublicKey> {
        let raw = keyfile::read_public::<32>(path, POST_EXPORT_PUBLIC)?;
        let key = SignPublicKey::from_bytes(raw)?;
        let to = self.dir.join(POST_KEY_FILE);
        match self.post_key()? {
            Some(k) if k == key => return Ok(key),
            Some(_) => {
                return Err(VaultError::Refused(format!(
                    "another POST server key is pinned in {}; delete it by hand to pin a new one",
                    to.display()
                )))
            }
            None => keyfile::write_public(&to, POST_EXPORT_PUBLIC, &raw)?,
        }
        self.log(
            "pin-post-key",
            json!({ "key": data_encoding::HEXLOWER.encode(&raw) }),
        )?;
        Ok(key)
    }

    /// The pinned POST export key, if one is pinned.
    pub fn post_key(&self) -> Result<Option<SignPublicKey>> {
        let p = self.dir.join(POST_KEY_FILE);
        if !p.exists() {
            return Ok(None);
        }
        let raw = keyfile::read_public::<32>(&p, POST_EXPORT_PUBLIC)?;
        Ok(Some(SignPublicKey::from_bytes(raw)?))
    }

    /// Imports one export file: checked whole, its signature checked against the pinned POST
    /// key, OP layers opened, stored in one transaction. Refused (and audited) while no POST key
    /// is pinned.
    pub fn import(&mut self, source: &dyn ExportSource) -> Result<ImportCounts> {
        let name = source.name();
        let bytes = source.bytes()?;
        let Some(pinned) = self.post_key()? else {
            // No silent downgrade: without the POST server's key a file's rows cannot be told
            // from rows added, removed or altered in transit.
            let e = VaultError::Refused(format!(
                "no POST server key is pinned: pin it once with `spur vault pin-post-key \
                 export-sign.key.pub` (the file next to the POST server's store), then import; \
                 {} not imported",
                name
            ));
            self.log(
                "import-refused",
                json!({ "file": name, "reason": "no POST server key pinned" }),
            )?;
            return Err(e);
        };
        let parsed =
            spur_protocol::export::parse(&bytes).and_then(|f| f.verify_signer(&pinned).map(|()| f));
        let file = self.audited(
            parsed.map_err(VaultError::from),
            "import-refused",
            json!({ "file": name }),
        )?;
        let today = self
            .today
            .unwrap_or_else(|| spur_protocol::time::Clock::day(&spur_protocol::time::SystemClock));
        let keep_from = Day(today.0.saturating_sub(RETENTION_DAYS));
        let counts = match crate::import::import_file(
            self.store.as_mut(),
            &self.op,
            &file,
            &name,
            self.threads,
            keep_from,
        ) {
            Ok(c) => c,
            Err(e @ VaultError::Refused(_)) => {
                self.log(
                    "import-refused",
                    json!({ "file": name, "reason": e.to_string() }),
                )?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        self.log(
            "import",
            json!({
                "file": name,
                "sha256": data_encoding::HEXLOWER.encode(&file.digest),
                "counts": counts,
                "cursor": file.cursor,
                "more": file.more,
            }),
        )?;
        Ok(counts)
    }

    /// Consent releases not handled yet.
    pub fn pending_consents(&mut self) -> Result<Vec<ConsentRow>> {
        self.store.pending_consents()
    }

    /// Consent intake for one consent code the desk issued (`code`: the code's URL as the desk
    /// wrote it): verifies it against the signed directory and the day and time policy, takes the
    /// waiting releases that answer it and writes the package for the consenting authority. The
    /// code's nonce is then used up. Refused releases, releases naming the case that answer no
    /// code handed over, and a refused code are audited.
    pub fn consent(
        &mut self,
        rng: &mut impl rand_core::CryptoRngCore,
        code: &str,
    ) -> Result<ConsentTake> {
        let dir = self.directory()?;
        let verified =
            crate::consent::parse_code(code).and_then(|c| Ok(c.verify_signed(&dir)?.code));
        let code = match verified {
            Ok(c) => c,
            Err(e) => {
                self.log("consent-refused", json!({ "reason": e.to_string() }))?;
                return Err(VaultError::Refused(format!(
                    "consent code refused: {e}; ask the desk for the code file it wrote with \
                     `spur authority consent-code`"
                )));
            }
        };
        let pending = self.store.pending_consents()?;
        let unanswered = pending
            .iter()
            .filter(|r| {
                r.nonce != code.nonce
                    && r.case_id == code.case_id
                    && r.consenting_authority == code.authority
            })
            .count();
        if unanswered > 0 {
            // Releases naming this case that answer no code handed to the vault stay waiting,
            // never traced (forged, or for a code of the desk not handed over yet).
            self.log(
                "consent-unanswered",
                json!({ "case": code.case_id, "authority": code.authority, "releases": unanswered }),
            )?;
        }
        let intake = crate::consent::intake(self.store.as_mut(), &self.op, &code, &pending);
        let intake = self.audited(
            intake,
            "consent-refused",
            json!({ "case": code.case_id, "authority": code.authority }),
        )?;
        for r in &intake.refused {
            self.log(
                "consent-release-refused",
                json!({ "case": code.case_id, "authority": code.authority, "record": r.record, "reason": r.reason }),
            )?;
        }
        if intake.package.candidates.is_empty() {
            let reason = format!(
                "no waiting release answers the code ({} with its nonce refused)",
                intake.refused.len()
            );
            self.log(
                "consent-refused",
                json!({ "case": code.case_id, "authority": code.authority, "reason": reason }),
            )?;
            return Err(VaultError::Refused(format!(
                "no waiting release answers the consent code for case {} ({} with its nonce \
                 refused); import the newest export files and run this again; if none comes, \
                 ask the desk whether the person consented",
                code.case_id,
                intake.refused.len()
            )));
        }
        let to = intake.consenting_authority;
        let bytes = self.seal_for(rng, &dir, PackageKind::Consent, to, &intake.package)?;
        if !self.store.use_nonce(&code.nonce, &code.case_id, to)? {
            return Err(VaultError::Refused(
                "this consent code was taken before".into(),
            ));
        }
        let entries: Vec<usize> = intake
            .package
            .candidates
            .iter()
            .map(|c| c.user_entries.len())
            .collect();
        for c in &intake.package.candidates {
            self.remember_consent(to, &code.case_id, &c.user_entries)?;
        }
        self.log(
            "consent",
            json!({
                "case": code.case_id,
                "authority": to,
                "days": intake.days,
                "releases": intake.releases,
                "candidates": intake.package.candidates.len(),
                "refused": intake.refused.len(),
                "user_entries": entries,
            }),
        )?;
        Ok(ConsentTake {
            file: Outgoing { to, bytes },
            case_id: code.case_id,
            candidates: intake.package.candidates.len(),
            releases: intake.releases,
            refused: intake.refused,
            unanswered,
        })
    }

    /// Opens a file an authority sent the vault, its signature checked against the directory;
    /// a refused file is logged as `refused_event` before the error returns.
    fn open_from_authority<T: serde::de::DeserializeOwned>(
        &mut self,
        dir: &Directory,
        file: &[u8],
        kind: PackageKind,
        refused_event: &str,
    ) -> Result<(Envelope, T)> {
        let opened =
            exchange::open::<T, VaultError>(file, kind, VAULT, &self.op, Self::sender_key(dir));
        self.audited(opened, refused_event, json!({}))
    }

    fn sender_key(dir: &Directory) -> impl Fn(u16) -> Result<SignPublicKey> + '_ {
        move |id| {
            dir.authority(id)
                .map(|a| a.sign)
                .ok_or(VaultError::Protocol(
                    spur_protocol::ProtocolError::UnknownAuthority(id),
                ))
        }
    }

    /// Runs the trace of an authority's SCAN-key file; one contacts file per authority.
    pub fn trace(
        &mut self,
        rng: &mut impl rand_core::CryptoRngCore,
        file: &[u8],
    ) -> Result<TraceResult> {
        let dir = self.directory()?;
        let (env, scan) = self.open_from_authority::<ScanKeyFile>(
            &dir,
            file,
            PackageKind::ScanKeys,
            "trace-refused",
        )?;
        if let Err(e) = spur_protocol::consent::validate_case_id(&scan.case_id) {
            self.log(
                "trace-refused",
                json!({ "from": env.from, "reason": "bad case id" }),
            )?;
            return Err(e.into());
        }
        // A consent's nonce, or for a card-only person the authority's signed TMP-history request.
        let card = match &scan.card_request {
            Some(req) => match crate::card::check(&dir, env.from, &scan, &req.0) {
                Ok(r) => {
                    let tag = exchange::request_tag(&req.0);
                    if !self.store.use_nonce(
                        &tag,
                        &crate::card::case_marker(&scan.case_id),
                        env.from,
                    )? {
                        self.log(
                            "trace-refused",
                            json!({ "from": env.from, "case": scan.case_id, "reason": "card request used before" }),
                        )?;
                        return Err(VaultError::Refused(
                            "card trace: this TMP-history request was used for a trace before"
                                .into(),
                        ));
                    }
                    Some((r, tag))
                }
                Err(e) => {
                    self.log(
                        "trace-refused",
                        json!({ "from": env.from, "case": scan.case_id, "reason": e.to_string() }),
                    )?;
                    return Err(e);
                }
            },
            None => None,
        };
        if card.is_none() {
            let handed = match scan.nonce.array::<16>() {
                Some(n) => self.store.nonce_case(&n)?,
                None => None,
            };
            match handed {
                Some((case, auth)) if case == scan.case_id && auth == env.from => {}
                _ => {
                    self.log(
                        "trace-refused",
                        json!({ "from": env.from, "case": scan.case_id, "reason": "no consent" }),
                    )?;
                    return Err(VaultError::Refused(format!(
                        "no consent for case {} of authority {} was handled by this vault, and no card request came with the file",
                        scan.case_id, env.from
                    )));
                }
            }
        }
        let traced = crate::trace::trace(self.store.as_mut(), &scan, env.from, |a| {
            dir.authority(a).is_some()
        })?;
        let mut files = Vec::new();
        let mut contacts = Vec::new();
        let mut place_stays = Vec::new();
        for (to, pkg) in &traced.packages {
            let auth = dir
                .authority(*to)
                .ok_or(spur_protocol::ProtocolError::UnknownAuthority(*to))?;
            let bytes = exchange::seal(
                rng,
                Envelope {
                    kind: PackageKind::Contacts,
                    from: VAULT,
                    to: *to,
                },
                &auth.seal,
                &self.root,
                pkg,
            )?;
            contacts.push((*to, pkg.contacts.len()));
            if *to != env.from {
                // Another authority's contacts at a place: the consenting desk may label it.
                let at_places = pkg.contacts.iter().map(|c| c.stay).filter(|n| {
                    scan.stays
                        .iter()
                        .any(|s| s.stay == *n && s.code_kind == CodeKind::Place as u8)
                });
                place_stays.push((*to, at_places.collect::<Vec<_>>()));
            }
            files.push(Outgoing { to: *to, bytes });
        }
        let keys: usize = scan.stays.iter().map(|s| s.keys.len()).sum();
        // A card trace names its request by digest (the QR id and slots stay with the authority).
        let basis = match &card {
            Some((_, tag)) => json!({ "card_request": data_encoding::HEXLOWER.encode(tag) }),
            None => json!("consent"),
        };
        let mut reach = self.reach(env.from, &scan.case_id)?.unwrap_or_default();
        reach.add_trace(&scan, &contacts);
        for (to, stays) in place_stays {
            reach.add_place_stays_sent(to, stays);
        }
        self.store
            .reach_put(env.from, &scan.case_id, &reach.to_json())?;
        self.log(
            "trace",
            json!({ "from": env.from, "case": scan.case_id, "basis": basis, "stays": scan.stays.len(), "scan_keys": keys, "contacts": contacts, "skipped": traced.skips.audit() }),
        )?;
        Ok(TraceResult {
            files,
            contacts,
            skips: traced.skips,
        })
    }

    /// Answers an authority's resolve request, and sends on what the request forwards: card
    /// owners to the authority their reference is sealed to (a contacts file), user entries to
    /// the authority that can take off their AUTH layer (a relay file).
    pub fn resolve(
        &mut self,
        rng: &mut impl rand_core::CryptoRngCore,
        file: &[u8],
    ) -> Result<ResolveResult> {
        let dir = self.directory()?;
        let (env, req) = self.open_from_authority::<ResolveRequest>(
            &dir,
            file,
            PackageKind::ResolveRequest,
            "resolve-refused",
        )?;
        let refused = json!({ "from": env.from, "case": req.case_id });
        let case = self.case_of(
            env.from,
            &req.case_id,
            req.places.is_empty() && req.personal.is_empty(),
        );
        let (consenting, case_id, mut reach) =
            self.audited(case, "resolve-refused", refused.clone())?;
        let plan = crate::forward::plan(self.store.as_mut(), &dir, env.from, &req, &mut reach);
        let (forwards, mut skips) = self.audited(plan, "resolve-refused", refused)?;
        let resolved =
            crate::resolve::resolve(self.store.as_mut(), env.from, consenting, &req, &mut reach)?;
        skips.merge(&resolved.skips);
        let mut answer = resolved.answer;
        if env.from == consenting {
            answer.elsewhere = reach.elsewhere();
        }
        let bytes = self.seal_for(rng, &dir, PackageKind::ResolveAnswer, env.from, &answer)?;
        self.store
            .reach_put(consenting, &case_id, &reach.to_json())?;
        let mut forwarded = Vec::new();
        for (to, pkg) in &forwards.contacts {
            let bytes = self.seal_for(rng, &dir, PackageKind::Contacts, *to, pkg)?;
            forwarded.push(Outgoing { to: *to, bytes });
        }
        if let Some((to, pkg)) = &forwards.relay {
            let bytes = self.seal_for(rng, &dir, PackageKind::Relay, *to, pkg)?;
            forwarded.push(Outgoing { to: *to, bytes });
        }
        let owners: Vec<(u16, usize)> = forwards
            .contacts
            .iter()
            .filter(|(_, p)| !p.contacts.is_empty())
            .map(|(to, p)| (*to, p.contacts.len()))
            .collect();
        let labels: Vec<(u16, usize)> = forwards
            .contacts
            .iter()
            .filter(|(_, p)| !p.place_labels.is_empty())
            .map(|(to, p)| (*to, p.place_labels.len()))
            .collect();
        self.log(
            "resolve",
            json!({
                "from": env.from,
                "case": req.case_id,
                "asked": { "registrations": req.registrations.len(), "places": req.places.len(), "personal": req.personal.len() },
                "given": { "registrations": answer.registrations.len(), "places": answer.places.len(), "personal": answer.personal.len() },
                "missing": answer.missing.len(),
                "skipped": skips.audit(),
                "forwarded_owners": owners,
                "forwarded_place_labels": labels,
                "relayed_entries": forwards.relay.as_ref().map(|(to, p)| json!({ "to": to, "entries": p.entries.len() })),
            }),
        )?;
        Ok(ResolveResult {
            answer: Outgoing {
                to: env.from,
                bytes,
            },
            forwarded,
            skips,
        })
    }

    /// What the case `case_id` of `authority` reached, if this vault handled it.
    fn reach(&mut self, authority: u16, case_id: &str) -> Result<Option<crate::reach::CaseReach>> {
        match self.store.reach_get(authority, case_id)? {
            None => Ok(None),
            Some(j) => crate::reach::CaseReach::parse(&j)
                .map(Some)
                .ok_or_else(|| VaultError::Store("a stored case reach is malformed".into())),
        }
    }

    /// Remembers the user entries a consent package handed to `authority` for `case_id`.
    fn remember_consent(
        &mut self,
        authority: u16,
        case_id: &str,
        entries: &[spur_wire::exchange::FoundEntry],
    ) -> Result<()> {
        let mut reach = self.reach(authority, case_id)?.unwrap_or_default();
        reach.add_consent(entries);
        self.store.reach_put(authority, case_id, &reach.to_json())
    }

    /// The case a resolve request from `from` names (`<authority>:<case>`) and its reach: only a
    /// case this vault handled (a consent handed or a trace run), asked by its consenting
    /// authority or by an authority the case sent contacts to.
    fn case_of(
        &mut self,
        from: u16,
        case_ref: &str,
        req_codes_empty: bool,
    ) -> Result<(u16, String, crate::reach::CaseReach)> {
        let (consenting, case_id) = exchange::split_case_ref(case_ref)?;
        let Some(reach) = self.reach(consenting, &case_id)? else {
            return Err(VaultError::Refused(format!(
                "outside any case: this vault handled no consent and ran no trace for case {case_id} of authority {consenting}"
            )));
        };
        if from != consenting && !reach.contacts.contains_key(&from) {
            return Err(VaultError::Refused(format!(
                "outside the case: case {case_id} of authority {consenting} sent no contacts to authority {from}"
            )));
        }
        if (!req_codes_empty)
            && reach.place_stays == 0
            && reach.card_stays == 0
            && reach.contacts.is_empty()
        {
            return Err(VaultError::Refused(format!(
                "case {case_id} of authority {consenting} has not been traced yet: run `spur vault trace` on its SCAN-key file first, then this request again"
            )));
        }
        Ok((consenting, case_id, reach))
    }

    /// Takes a home authority's relayed USR layers and seals them on to the consenting authority
    /// (only for a consent this vault handed to that authority).
    pub fn relay(
        &mut self,
        rng: &mut impl rand_core::CryptoRngCore,
        file: &[u8],
    ) -> Result<Outgoing> {
        let dir = self.directory()?;
        let (env, pkg) = self.open_from_authority::<RelayedPackage>(
            &dir,
            file,
            PackageKind::Relayed,
            "relay-refused",
        )?;
        let nonce: [u8; 16] = pkg
            .nonce
            .array()
            .ok_or_else(|| VaultError::bad_file("relayed file", "bad nonce"))?;
        match self.store.nonce_case(&nonce)? {
            Some((case, auth)) if case == pkg.case_id && auth == pkg.consenting_authority => {}
            _ => {
                self.log(
                    "relay-refused",
                    json!({ "from": env.from, "case": pkg.case_id, "reason": "no consent" }),
                )?;
                return Err(VaultError::Refused(format!(
                    "no consent for case {} of authority {} was handled by this vault",
                    pkg.case_id, pkg.consenting_authority
                )));
            }
        }
        let to = pkg.consenting_authority;
        let bytes = self.seal_for(rng, &dir, PackageKind::Relayed, to, &pkg)?;
        self.log(
            "relay",
            json!({ "from": env.from, "to": to, "case": pkg.case_id, "entries": pkg.entries.len(), "unopened": pkg.unopened }),
        )?;
        Ok(Outgoing { to, bytes })
    }

    fn seal_for<T: serde::Serialize>(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        dir: &Directory,
        kind: PackageKind,
        to: u16,
        body: &T,
    ) -> Result<Vec<u8>> {
        let auth = dir
            .authority(to)
            .ok_or(spur_protocol::ProtocolError::UnknownAuthority(to))?;
        Ok(exchange::seal(
            rng,
            Envelope {
                kind,
                from: VAULT,
                to,
            },
            &auth.seal,
            &self.root,
            body,
        )?)
    }

    /// The published statistics.
    pub fn stats(&mut self, threshold: u64) -> Result<Vec<crate::stats::StatRow>> {
        let raw = self.store.raw_stats()?;
        let rows = crate::stats::table(&raw, threshold);
        self.log(
            "stats",
            json!({ "threshold": threshold, "rows": rows.len() }),
        )?;
        Ok(rows)
    }

    /// Deletes everything recorded more than 28 days before `today`.
    pub fn sweep(&mut self, today: Day) -> Result<u64> {
        let keep_from = Day(today.0.saturating_sub(RETENTION_DAYS));
        let n = self.store.sweep(keep_from)?;
        self.log(
            "sweep",
            json!({ "keep_from_day": keep_from.0, "deleted": n }),
        )?;
        Ok(n)
    }

    /// Verifies the audit log.
    pub fn audit_verify(&mut self) -> Result<AuditReport> {
        self.audit.verify(self.store.as_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export_file::InMemory;
    use rand_chacha::rand_core::SeedableRng;
    use spur_protocol::keys::SignSecretKey;

    fn file(bytes: Vec<u8>) -> InMemory {
        InMemory {
            name: "export-0.spurx".into(),
            bytes,
        }
    }

    #[test]
    fn no_file_is_imported_before_the_post_key_is_pinned() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("v");
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        Vault::init(&dir, &mut rng).unwrap();
        let mut v = Vault::open(&dir).unwrap();
        let key = std::sync::Arc::new(SignSecretKey::generate(&mut rng));
        let signed = spur_protocol::export::encode_signed(key.clone(), &[], false, "c0");
        let unsigned = spur_protocol::export::encode(&[], false, "c0");
        // Neither an unsigned nor a signed file: nothing can be checked yet.
        for bytes in [unsigned.clone(), signed.clone()] {
            let e = v.import(&file(bytes)).unwrap_err().to_string();
            assert!(e.contains("spur vault pin-post-key"), "{e}");
        }
        let log = std::fs::read_to_string(dir.join("audit.log")).unwrap();
        assert_eq!(log.matches("\"import-refused\"").count(), 2, "{log}");
        assert!(log.contains("no POST server key pinned"), "{log}");
        // Pinned: the signed file imports, the unsigned one is still refused.
        let public = tmp.path().join("export-sign.key.pub");
        keyfile::write_public(&public, POST_EXPORT_PUBLIC, &key.public().to_bytes()).unwrap();
        v.pin_post_key(&public).unwrap();
        assert!(v.import(&file(unsigned)).is_err());
        v.import(&file(signed)).unwrap();
        assert!(v.audit_verify().is_ok());
    }
}
