//! The case traced at every size: an infected person with 14 days × 10 check-ins at the town's
//! places and three contacts at each, all built by the protocol's own `build_visit`; their consent
//! (code and release); and the vault's steps for it, timed: consent intake, the authority's
//! opening (not timed, it is the desk's), the trace, and a resolve of registrations.

use std::time::Instant;

use anyhow::anyhow;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use spur_protocol::consent::{ConsentCode, ConsentTerms};
use spur_protocol::directory::{Authority, Directory};
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey};
use spur_protocol::record::consent_release::{
    build_consent_release, ReleaseForAuthority, Releaser,
};
use spur_protocol::record::visit::{
    build_visit, open_user_auth_layer, open_visit, CodeKind, VisitInput, Visitor,
};
use spur_protocol::tag::{QrCommitment, TagKey, TagServerSecret};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};
use spur_vault::export_file::row_from_upload;
use spur_vault::reach::CaseReach;
use spur_vault::store::{ConsentRow, Store};
use spur_wire::exchange::{Hex, ResolveRequest, ScanKeyFile, ScanStay};

use super::population::{Upload, FIRST_DAY};

/// Days the consent covers (the last 14 of the 28).
const CASE_DAYS: u32 = 14;
/// Check-ins of the infected person per day.
const VISITS_PER_DAY: u32 = 10;
/// Contacts at each of the infected person's check-ins.
const CONTACTS: u32 = 3;

/// The case: keys, the uploads it adds to the town, and its consent.
pub struct Case {
    op: SealSecretKey,
    auth: AuthorityKeys,
    infected: UsrKey,
    code: ConsentCode,
    consent: ConsentRow,
    /// The uploads of the infected person and the contacts (visits).
    pub uploads: Vec<Upload>,
    /// Slot entries among them (each one is a contact the trace must find).
    pub slot_entries: usize,
}

fn err(what: &str) -> impl Fn(spur_protocol::error::ProtocolError) -> anyhow::Error + '_ {
    move |e| anyhow!("{what}: {e}")
}

fn user(i: u32) -> anyhow::Result<UsrKey> {
    let phone = PhoneNumber::parse(&format!("+49151{i:08}")).map_err(err("phone"))?;
    UsrKey::derive(&phone, "secret", TEST_KDF).map_err(err("USR key"))
}

impl Case {
    /// Builds the case at the town's postcodes `regions`, sealed to `op` (the vault's key).
    pub fn build(op: SealSecretKey, regions: &[Region]) -> anyhow::Result<Self> {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let auth = AuthorityKeys::generate(&mut rng);
        let tag_server = TagServerSecret::random(&mut rng);
        let tmp = tag_server.tmp_deriver().map_err(err("TMP"))?;
        let infected = user(1)?;
        let others = (2..2 + CONTACTS)
            .map(user)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut uploads = Vec::new();
        let mut slot_entries = 0;
        let first = FIRST_DAY + super::population::DAYS - CASE_DAYS;
        for d in 0..CASE_DAYS {
            for v in 0..VISITS_PER_DAY {
                let id = tag_server
                    .issue_qr_id(&QrCommitment::random(&mut rng))
                    .map_err(err("QR id"))?;
                let tag = TagKey::random(&mut rng);
                let from = Minute((first + d) * 1440 + 480 + v * 75);
                let n = regions.len().max(1);
                let region = regions
                    .get((d * VISITS_PER_DAY + v) as usize % n)
                    .ok_or_else(|| anyhow!("no postcodes"))?;
                let stays = std::iter::once((&infected, from, from.plus(50)))
                    .chain(others.iter().map(|o| (o, from.plus(10), from.plus(40))));
                for (usr, t_in, t_out) in stays {
                    let input = VisitInput {
                        code_kind: CodeKind::Place,
                        qr_id: id,
                        tag: tag.clone(),
                        region: Some(*region),
                        time_in: t_in,
                        time_out: t_out,
                        scan_keys: Slot::covering(t_in, t_out)
                            .map(|s| {
                                tag.scan_key(&id, s, &tmp.tmp(&id, s))
                                    .map(|k| (s, k))
                                    .map_err(err("SCAN key"))
                            })
                            .collect::<anyhow::Result<_>>()?,
                        find_index: 0,
                    };
                    let visitor = Visitor {
                        usr,
                        registration_id: usr.registration_id().map_err(err("registration id"))?,
                        home_authority: (1, &auth.seal.public()),
                        home_region: Some(*region),
                    };
                    let built = build_visit(&mut rng, &op.public(), &visitor, &input)
                        .map_err(err("visit"))?;
                    slot_entries += built.slot_entries.len();
                    uploads.push(Upload {
                        day: t_in.day(),
                        visit: true,
                        body: built
                            .slot_entries
                            .into_iter()
                            .chain(built.user_entries)
                            .flatten()
                            .collect(),
                    });
                }
            }
        }
        // The consent: code issued by the authority, release built by the app.
        let now = Minute((first + CASE_DAYS) * 1440);
        let mut nonce = [0u8; 16];
        rng.fill_bytes(&mut nonce);
        let phone = PhoneNumber::parse("+4915100000001").map_err(err("phone"))?;
        let code = ConsentCode::issue(
            &auth.sign,
            &ConsentTerms {
                authority: 1,
                case_id: "SCALE-1",
                first_day: Day(first),
                days: CASE_DAYS as u8,
                issued: now,
                expires: now.plus(600),
            },
            nonce,
            &phone,
        )
        .map_err(err("consent code"))?;
        let dir = Directory {
            serial: 1,
            issued: Minute(FIRST_DAY * 1440),
            default_authority: 1,
            tag_key: tmp.public(),
            authorities: vec![Authority {
                id: 1,
                name: "Gesundheitsamt".into(),
                seal: auth.seal.public(),
                sign: auth.sign.public(),
                ranges: vec![],
            }],
        };
        let verified = code.verify(&dir, now).map_err(err("consent code"))?;
        let person = Releaser {
            usr: &infected,
            home_authority: 1,
            phone: &phone,
            own_codes: &[],
        };
        let release = build_consent_release(&mut rng, &op.public(), &verified, &person)
            .map_err(err("release"))?;
        let row = row_from_upload(now.day(), &release).map_err(|e| anyhow!("release: {e}"))?;
        let consent = ConsentRow {
            id: row.id,
            day: row.day,
            case_id: "SCALE-1".into(),
            consenting_authority: 1,
            nonce,
            sealed: row.body,
        };
        Ok(Self {
            op,
            auth,
            infected,
            code,
            consent,
            uploads,
            slot_entries,
        })
    }

    /// The vault's key.
    pub fn op(&self) -> &SealSecretKey {
        &self.op
    }

    /// Runs consent intake and the trace on `store`; returns (intake seconds, trace seconds,
    /// contact entries found). The authority's opening between them is not timed.
    pub fn trace(&self, store: &mut dyn Store) -> anyhow::Result<(f64, f64, usize)> {
        let t = Instant::now();
        let intake = spur_vault::consent::intake(
            store,
            &self.op,
            &self.code,
            std::slice::from_ref(&self.consent),
        )
        .map_err(|e| anyhow!("consent intake: {e}"))?;
        let t_intake = t.elapsed().as_secs_f64();
        let found = intake
            .package
            .candidates
            .first()
            .ok_or_else(|| anyhow!("the consent found no candidate"))?;
        let rel = ReleaseForAuthority::open(&self.auth.seal, &found.release_auth_part.0)
            .map_err(err("release"))?;
        let enc: std::collections::HashMap<_, _> = rel.enc_keys.iter().cloned().collect();
        let mut stays = Vec::new();
        for (i, e) in found.user_entries.iter().enumerate() {
            let usr =
                open_user_auth_layer(&self.auth.seal, &e.auth_layer.0).map_err(err("entry"))?;
            let key = enc
                .get(&Minute(e.minute).day())
                .ok_or_else(|| anyhow!("no day key for an entry"))?;
            let seg = open_visit(key, &usr).map_err(err("visit"))?;
            stays.push(ScanStay {
                stay: i as u32,
                code_kind: 1,
                bucket: Hex(Region::encode_opt(seg.region.as_ref()).to_vec()),
                time_in: seg.time_in.0,
                time_out: seg.time_out.0,
                own_code: false,
                keys: seg
                    .scan_keys
                    .iter()
                    .map(|(s, k)| (s.0, Hex(k.expose().to_vec())))
                    .collect(),
            });
        }
        let _ = &self.infected;
        let scan = ScanKeyFile {
            case_id: "SCALE-1".into(),
            nonce: Hex(self.consent.nonce.to_vec()),
            stays,
            infected_ref: None,
            card_request: None,
        };
        let t = Instant::now();
        let traced = spur_vault::trace::trace(store, &scan, 1, |_| true)
            .map_err(|e| anyhow!("trace: {e}"))?;
        let t_trace = t.elapsed().as_secs_f64();
        let contacts = traced.packages.values().map(|p| p.contacts.len()).sum();
        Ok((t_intake, t_trace, contacts))
    }
}

/// Resolves `ids` (registration ids) for authority 1; returns (seconds, registrations given).
pub fn resolve(store: &mut dyn Store, ids: &[[u8; 16]]) -> anyhow::Result<(f64, usize)> {
    let req = ResolveRequest {
        case_id: "1:SCALE-1".into(),
        registrations: ids.iter().map(|i| Hex(i.to_vec())).collect(),
        ..Default::default()
    };
    let mut reach = CaseReach::default();
    reach.contacts.insert(1, ids.len() as u64);
    let t = Instant::now();
    let r = spur_vault::resolve::resolve(store, 1, 1, &req, &mut reach)
        .map_err(|e| anyhow!("resolve: {e}"))?;
    Ok((t.elapsed().as_secs_f64(), r.answer.registrations.len()))
}
