//! A simulated town for the end-to-end tests: a vault and two authority desks on disk, users,
//! places and printed cards, visits over many days, and the POST server's export files, built
//! with the real protocol API. Also the whole trace, played through files as the tools do.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use spur_authority::case;
use spur_authority::contacts::{self, ContactList};
use spur_authority::entry::RangeEntry;
use spur_authority::open::{self, TmpHistory};
use spur_authority::Desk;
use spur_protocol::consent::ConsentCode;
use spur_protocol::directory::Directory;
use spur_protocol::export::{encode_signed, ExportRow};
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::SignSecretKey;
use spur_protocol::record::consent_release::{build_consent_release, Releaser};
use spur_protocol::record::visit::CodeKind;
use spur_protocol::tag::{QrId, TagKey, TagServerSecret, TmpDeriver};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::usr::UsrKey;
use spur_testkit::world::Parts;
use spur_vault::export_file::{row_from_upload, InMemory};
use spur_vault::Vault;

/// The whole trace played through files: the `spur demo` code itself, so tests and demo cannot
/// drift apart.
#[path = "../../../cli/src/playthrough.rs"]
mod playthrough;

pub use spur_testkit::towns::BERLIN;
pub use spur_testkit::towns::MUNICH;
/// 2026-11-01.
pub const FIRST_DAY: u32 = 20_758;

pub struct User {
    pub phone: String,
    pub name: Option<String>,
    pub usr: UsrKey,
    pub region: Region,
    pub home: u16,
}

pub struct Code {
    pub kind: CodeKind,
    pub id: QrId,
    pub tag: TagKey,
    pub region: Option<Region>,
    /// Index of the owning user for a personal code.
    pub owner: Option<usize>,
}

/// One stay as the ground truth knows it.
#[derive(Clone, Copy, Debug)]
pub struct Visit {
    pub user: usize,
    pub code: usize,
    pub from: Minute,
    pub to: Minute,
}

pub struct Town {
    pub rng: ChaCha20Rng,
    pub root: PathBuf,
    pub vault: Vault,
    pub desks: BTreeMap<u16, Desk>,
    pub dir: Directory,
    pub tmp: TmpDeriver,
    pub tag_server: TagServerSecret,
    pub users: Vec<User>,
    pub codes: Vec<Code>,
    pub visits: Vec<Visit>,
    /// Uploads with their upload day.
    pub uploads: Vec<(Day, Vec<u8>)>,
    /// The URLs of the consent codes made, in order (the vault takes a code's releases).
    pub code_urls: Vec<String>,
    /// The POST server's export signing key (the vault pinned its public key).
    pub post_key: std::sync::Arc<SignSecretKey>,
}

/// The testkit's builders over a town's fields, drawing from its randomness, for its vault's
/// operator key. A macro, not a method, so that it borrows only those fields and a caller can
/// still read the town's users and codes while it builds.
macro_rules! parts {
    ($town:expr) => {
        Parts {
            rng: &mut $town.rng,
            op: $town.vault.op_public(),
            dir: &$town.dir,
            tag_server: &$town.tag_server,
            tmp: &$town.tmp,
        }
    };
}

pub fn at(day: u32, hh: u32, mm: u32) -> Minute {
    Minute((FIRST_DAY + day) * 1440 + hh * 60 + mm)
}

impl Town {
    /// Vault and two desks, initialised, the directory signed and pinned.
    pub fn new(root: &Path, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        Vault::init(&root.join("vault"), &mut rng).unwrap();
        let mut vault = Vault::open(&root.join("vault")).unwrap();
        vault.threads = 2;
        vault.today = Some(Day(FIRST_DAY + 14));
        let mut entries = Vec::new();
        for spur_testkit::towns::Town { id, name, range } in spur_testkit::towns::TOWNS {
            let e = Desk::init(
                &root.join(format!("desk{id}")),
                &mut rng,
                id,
                name,
                vec![RangeEntry::parse(range).unwrap()],
            )
            .unwrap();
            entries.push(e.to_authority().unwrap());
        }
        // The TAG server's secret from its own stream, so its public key can be in the directory.
        let tag_server = TagServerSecret::random(&mut ChaCha20Rng::seed_from_u64(seed ^ 0x7467));
        let tmp = tag_server.tmp_deriver().unwrap();
        let dir = Directory {
            serial: 1,
            issued: Minute(FIRST_DAY * 1440),
            tag_key: tmp.public(),
            default_authority: MUNICH,
            authorities: entries,
        };
        vault.sign_directory(&dir).unwrap();
        // The POST server's export key, pinned as `spur vault pin-post-key` does.
        let post_key = std::sync::Arc::new(SignSecretKey::generate(
            // Its own stream: the town's draws stay what they were.
            &mut ChaCha20Rng::seed_from_u64(seed ^ 0x5057),
        ));
        let post_pub = root.join("export-sign.key.pub");
        spur_offline::keyfile::write_public(
            &post_pub,
            spur_vault::vault::POST_EXPORT_PUBLIC,
            &post_key.public().to_bytes(),
        )
        .unwrap();
        vault.pin_post_key(&post_pub).unwrap();
        let mut desks = BTreeMap::new();
        for id in [MUNICH, BERLIN] {
            let d = root.join(format!("desk{id}"));
            let v = root.join("vault");
            Desk::pin(
                &d,
                &v.join("root.pub"),
                &v.join("directory.bin"),
                &v.join("op.pub"),
            )
            .unwrap();
            desks.insert(id, Desk::open(&d).unwrap());
        }
        Self {
            rng,
            root: root.to_owned(),
            vault,
            desks,
            dir,
            tmp,
            tag_server,
            users: Vec::new(),
            codes: Vec::new(),
            visits: Vec::new(),
            uploads: Vec::new(),
            code_urls: Vec::new(),
            post_key,
        }
    }

    pub fn register(&mut self, phone: &str, postcode: &str, campus: Option<&str>) -> usize {
        let u = parts!(self).register(phone, postcode, campus);
        self.uploads.push((Day(FIRST_DAY), u.registration_wire));
        self.users.push(User {
            phone: u.phone.as_str().to_owned(),
            name: campus.map(str::to_owned),
            usr: u.usr,
            region: u.region,
            home: u.home,
        });
        self.users.len() - 1
    }

    pub fn place(&mut self, name: &str, postcode: &str) -> usize {
        let p = parts!(self).place(name, postcode, "");
        self.uploads.push((Day(FIRST_DAY), p.record_wire));
        self.codes.push(Code {
            kind: CodeKind::Place,
            id: p.id,
            tag: p.tag,
            region: Some(p.region),
            owner: None,
        });
        self.codes.len() - 1
    }

    pub fn card(&mut self, owner: usize) -> usize {
        let (home, usr) = (self.users[owner].home, &self.users[owner].usr);
        let (id, tag, wire) = parts!(self).card(home, usr);
        self.uploads.push((Day(FIRST_DAY), wire));
        self.codes.push(Code {
            kind: CodeKind::Personal,
            id,
            tag,
            region: None,
            owner: Some(owner),
        });
        self.codes.len() - 1
    }

    pub fn visit(&mut self, user: usize, code: usize, from: Minute, to: Minute) {
        // Visits starting in the same minute get distinct find indexes.
        let same = self
            .visits
            .iter()
            .filter(|v| v.user == user && v.from == from)
            .count();
        let (u, c) = (&self.users[user], &self.codes[code]);
        let recs = parts!(self).visit(
            (&u.usr, u.home, u.region),
            c.kind,
            &c.id,
            &c.tag,
            c.region,
            (from, to),
            u8::try_from(same).unwrap(),
        );
        for r in recs.slot_entries.into_iter().chain(recs.user_entries) {
            self.uploads.push((from.day(), r));
        }
        self.visits.push(Visit {
            user,
            code,
            from,
            to,
        });
    }

    /// The infected user consents to `days` days from day 0: the release goes into the uploads.
    pub fn consent(&mut self, user: usize, days: u8, own_cards: &[usize]) -> ConsentCode {
        let home = self.users[user].home;
        self.consent_by(home, user, days, own_cards)
    }

    /// Like `consent`, with the code made by `authority` (not necessarily the user's home).
    pub fn consent_by(
        &mut self,
        authority: u16,
        user: usize,
        days: u8,
        own_cards: &[usize],
    ) -> ConsentCode {
        let munich = self.desks.get(&authority).unwrap();
        let now = at(u32::from(days), 10, 0);
        let phone = PhoneNumber::parse(&self.users[user].phone).unwrap();
        let made = spur_authority::code::make(
            munich,
            &mut self.rng,
            "spur.example",
            &spur_authority::code::CodeRequest {
                case_id: "M-2026-0042",
                first_day: Day(FIRST_DAY),
                days,
                now,
                expires: now.plus(60 * 48),
            },
            &phone,
        )
        .unwrap();
        self.code_urls.push(made.url.clone());
        let phone = phone.as_str().to_owned();
        self.release_as(user, &phone, &made.code, days, own_cards, now.day());
        made.code
    }

    /// The same consent code released again from another device of `user` (same registration),
    /// listing `own_cards` as own personal codes.
    pub fn release_again(&mut self, user: usize, code: &ConsentCode, own_cards: &[usize]) {
        let phone = self.users[user].phone.clone();
        let day = at(u32::from(code.days), 10, 0).day();
        self.release_as(user, &phone, code, code.days, own_cards, day);
    }

    /// A release for `code` built by hand with `user`'s keys, the phone number `phone`, the
    /// code's first `days` days and `own_cards`, uploaded on `upload_day`.
    pub fn release_as(
        &mut self,
        user: usize,
        phone: &str,
        code: &ConsentCode,
        days: u8,
        own_cards: &[usize],
        upload_day: Day,
    ) {
        let now = at(u32::from(code.days), 10, 0);
        let mut verified = code.verify(&self.dir, now).unwrap();
        verified.code.days = days;
        let phone = PhoneNumber::parse(phone).unwrap();
        let own: Vec<_> = own_cards
            .iter()
            .map(|c| (self.codes[*c].id, self.codes[*c].tag.clone()))
            .collect();
        let u = &self.users[user];
        let release = build_consent_release(
            &mut self.rng,
            &self.vault.op_public(),
            &verified,
            &Releaser {
                usr: &u.usr,
                home_authority: u.home,
                phone: &phone,
                own_codes: &own,
            },
        )
        .unwrap();
        self.uploads.push((upload_day, release));
    }

    /// The uploads as export files of `per_file` rows each.
    pub fn export_files(&self, per_file: usize) -> Vec<InMemory> {
        let rows: Vec<ExportRow> = self
            .uploads
            .iter()
            .map(|(d, w)| row_from_upload(*d, w).unwrap())
            .collect();
        rows.chunks(per_file)
            .enumerate()
            .map(|(i, c)| InMemory {
                name: format!("export-{i}.spx"),
                bytes: encode_signed(self.post_key.clone(), c, false, &format!("c{i}")),
            })
            .collect()
    }

    pub fn import_all(&mut self, per_file: usize) {
        for f in self.export_files(per_file) {
            self.vault.import(&f).unwrap();
        }
    }

    /// The TAG server's answer to a history request for a card over `days` days.
    pub fn history(&self, card: usize, days: u32) -> TmpHistory {
        let c = &self.codes[card];
        let keys = (FIRST_DAY * 48..(FIRST_DAY + days) * 48)
            .map(|s| (Slot(s), self.tmp.tmp(&c.id, Slot(s))))
            .collect();
        TmpHistory { qr_id: c.id, keys }
    }

    /// The whole trace through files, as the commands do it; returns each desk's contact list.
    pub fn run_trace(&mut self, histories: &[TmpHistory]) -> BTreeMap<u16, ContactList> {
        let pending = self.vault.pending_consents().unwrap();
        assert_eq!(pending.len(), 1);
        let url = self.code_urls.last().unwrap().clone();
        let pkg = self.vault.consent(&mut self.rng, &url).unwrap().file;
        let desk = &self.desks[&pkg.to];
        let opened = open::open_consent(desk, &mut self.rng, &pkg.bytes, histories).unwrap();
        assert!(
            opened.notes.iter().all(|n| n.contains("relayed there")),
            "{:?}",
            opened.notes
        );
        case::save(
            &case::case_path(&desk.cases_dir().unwrap(), &opened.case.case_id),
            &opened.case,
        )
        .unwrap();
        let consenting = pkg.to;
        self.play(
            vec![opened.scan_file],
            vec![(consenting, opened.resolve_file)],
        );
        self.lists(consenting, "M-2026-0042")
    }

    /// Plays the files until nothing is left to send.
    pub fn play(&mut self, scans: Vec<Vec<u8>>, requests: Vec<(u16, Vec<u8>)>) {
        let desks = &self.desks;
        playthrough::play(
            &mut self.vault,
            |id| desks.get(&id),
            &mut self.rng,
            scans,
            requests,
        )
        .unwrap();
    }

    /// Each desk's contact list of a case.
    pub fn lists(&self, consenting: u16, case_id: &str) -> BTreeMap<u16, ContactList> {
        let mut lists = BTreeMap::new();
        for (id, desk) in &self.desks {
            let cases = desk.cases_dir().unwrap();
            let cf: Option<case::ContactFile> =
                case::load(&case::contacts_path(&cases, consenting, case_id)).unwrap();
            if let Some(cf) = cf {
                let own: Option<case::CaseFile> = if *id == consenting {
                    case::load(&case::case_path(&cases, case_id)).unwrap()
                } else {
                    None
                };
                lists.insert(*id, contacts::build(desk, &cf, own.as_ref()));
            }
        }
        lists
    }

    /// Ground truth: phones per home authority of everyone whose stay overlaps one of the
    /// infected person's stays at the same code on the released days, everyone who scanned one
    /// of their cards on those days, and the owners of cards they scanned.
    pub fn expected(
        &self,
        infected: usize,
        days: u32,
        own_cards: &[usize],
    ) -> BTreeMap<u16, BTreeSet<String>> {
        let in_days = |m: Minute| m.day().0 >= FIRST_DAY && m.day().0 < FIRST_DAY + days;
        let mine: Vec<&Visit> = self
            .visits
            .iter()
            .filter(|v| v.user == infected && in_days(v.from))
            .collect();
        let mut out: BTreeMap<u16, BTreeSet<String>> = BTreeMap::new();
        let mut add = |u: usize| {
            if u != infected {
                out.entry(self.users[u].home)
                    .or_default()
                    .insert(self.users[u].phone.clone());
            }
        };
        for v in &self.visits {
            if v.user == infected {
                continue;
            }
            if mine
                .iter()
                .any(|m| m.code == v.code && m.from < v.to && v.from < m.to)
            {
                add(v.user);
            }
            if own_cards.contains(&v.code)
                && Slot::covering(v.from, v.to)
                    .any(|s| s.day().0 >= FIRST_DAY && s.day().0 < FIRST_DAY + days)
            {
                add(v.user);
            }
        }
        for m in &mine {
            if let Some(owner) = self.codes[m.code].owner {
                add(owner);
            }
        }
        out
    }

    pub fn random(&mut self, n: u32) -> u32 {
        self.rng.next_u32() % n
    }
}
