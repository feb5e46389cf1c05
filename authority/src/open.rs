//! The desk's steps on files from the vault: open a consent package into the SCAN-key file (and
//! a request for the places visited), open a contacts package into a request for the contacts'
//! registrations, and open the vault's answers into contact data and place names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;
use spur_offline::skip::{SkipReason, Skips};
use spur_protocol::fields::{PlaceKind, Region};
use spur_protocol::record::place::{
    open_contact_ref, open_personal_tag_layer, seal_contact_ref, PlaceDetails, PlaceRecordBody,
};
use spur_protocol::record::registration::ContactData;
use spur_protocol::record::visit::{open_user_auth_layer, open_visit, CodeKind};
use spur_protocol::tag::{QrId, TagKey, TmpKey};
use spur_protocol::time::{Minute, Slot, SLOTS_PER_DAY};
use spur_wire::exchange::{
    self, case_ref, split_case_ref, ConsentPackage, ContactsPackage, Envelope, ForwardEntries,
    ForwardOwner, FoundEntry, Hex, PackageKind, ResolveAnswer, ResolveRequest, SealedRef, VAULT,
};

use crate::audit;
use crate::case::{self, CaseFile, ContactFile, ContactStay, Person, Stay};
use crate::desk::Desk;
use crate::error::{DeskError, Result};
use crate::stays::{self, StayKeys};
use crate::texts::Msg;

/// The past TMP keys of one code, as the TAG server's history answer lists them.
#[derive(Clone, Debug)]
pub struct TmpHistory {
    /// The code.
    pub qr_id: QrId,
    /// Slots with their TMP keys.
    pub keys: Vec<(Slot, TmpKey)>,
}

impl TmpHistory {
    /// Parses the TAG server's answer: `{"qr_id": "<hex>", "keys": [{"slot": n, "tmp": "<hex>"}]}`.
    pub fn parse(json: &[u8]) -> Result<Self> {
        #[derive(serde::Deserialize)]
        struct K {
            slot: u32,
            tmp: Hex,
        }
        #[derive(serde::Deserialize)]
        struct H {
            qr_id: String,
            keys: Vec<K>,
        }
        let bad = |r: &str| DeskError::bad_file("TMP history", r.to_owned());
        let h: H = serde_json::from_slice(json).map_err(|e| {
            if json.windows(13).any(|w| w == b"\"evaluations\"") {
                // The TAG server's raw answer: its proofs must be checked first.
                bad("this is the TAG server's unverified answer: let `spur authority \
                     history-request --tag-url URL --answer FILE` fetch and verify it, and give FILE")
            } else {
                bad(&e.to_string())
            }
        })?;
        let qr_id = QrId::from_hex(&h.qr_id)?;
        let keys = h
            .keys
            .into_iter()
            .map(|k| {
                Ok((
                    Slot(k.slot),
                    TmpKey::from_bytes(
                        k.tmp
                            .array()
                            .ok_or_else(|| bad("a TMP key is not 32 bytes"))?,
                    ),
                ))
            })
            .collect::<Result<_>>()?;
        Ok(Self { qr_id, keys })
    }

    /// The same JSON [`TmpHistory::parse`] reads: how the desk keeps a TAG answer once
    /// `history::finish` has verified every key against the TAG server's published key.
    pub fn to_json(&self) -> Vec<u8> {
        let keys: Vec<serde_json::Value> = self
            .keys
            .iter()
            .map(|(slot, tmp)| {
                serde_json::json!({ "slot": slot.0, "tmp": data_encoding::HEXLOWER.encode(tmp.expose()) })
            })
            .collect();
        serde_json::json!({ "qr_id": data_encoding::HEXLOWER.encode(&self.qr_id.0), "keys": keys })
            .to_string()
            .into_bytes()
    }
}

/// What opening a consent package gives.
pub struct ConsentOpened {
    /// The case file (saved by the caller).
    pub case: CaseFile,
    /// The SCAN-key file for the vault.
    pub scan_file: Vec<u8>,
    /// The request to resolve the places and personal codes visited.
    pub resolve_file: Vec<u8>,
    /// Things the desk's user should know (codes without TMP keys, entries sealed elsewhere).
    pub notes: Vec<String>,
    /// User entries skipped (did not open, outside the released days), by reason.
    pub skips: Skips,
}

/// Seals a file for the vault, signed by this desk.
pub fn to_vault<T: serde::Serialize>(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    kind: PackageKind,
    body: &T,
) -> Result<Vec<u8>> {
    Ok(exchange::seal(
        rng,
        Envelope {
            kind,
            from: desk.id,
            to: VAULT,
        },
        &desk.op,
        desk.sign_key(),
        body,
    )?)
}

/// The infected person's registration id sealed to their home authority, for the vault to hand
/// on in that authority's contacts file (`None` when there is no registration id: a card trace).
pub fn infected_ref(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    case: &CaseFile,
) -> Result<Option<SealedRef>> {
    let Some(id) = case.registration_id.array::<16>() else {
        return Ok(None);
    };
    let home = desk.directory.authority(case.home_authority).ok_or(
        spur_protocol::ProtocolError::UnknownAuthority(case.home_authority),
    )?;
    Ok(Some(SealedRef {
        authority: home.id,
        sealed: Hex(seal_contact_ref(rng, &home.seal, &id)?),
    }))
}

/// Opens a consent package from the vault: the release made by the code's person (checked
/// against the case register, `crate::register::choose`), then every user entry. A user entry
/// that does not open or lies outside the released days is skipped and counted; a refused
/// package is audited with its reason.
pub fn open_consent(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
    histories: &[TmpHistory],
) -> Result<ConsentOpened> {
    open_consent_choosing(desk, rng, file, histories, None)
}

/// [`open_consent`], with the candidate the tracer chose (1-based) when several registrations
/// sent a release with the phone number the code was issued to.
pub fn open_consent_choosing(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
    histories: &[TmpHistory],
    choice: Option<usize>,
) -> Result<ConsentOpened> {
    audit::refused(
        desk,
        "open-consent",
        open_consent_inner(desk, rng, file, histories, choice),
    )
}

fn open_consent_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
    histories: &[TmpHistory],
    choice: Option<usize>,
) -> Result<ConsentOpened> {
    let (_, all) = exchange::open::<ConsentPackage, DeskError>(
        file,
        PackageKind::Consent,
        desk.id,
        desk.seal_key(),
        desk.vault_key(),
    )?;
    let now = spur_protocol::time::Clock::minute(&spur_protocol::time::SystemClock);
    let chosen = crate::register::choose(desk, now, &all, choice)?;
    let (pkg, release) = (chosen.consent, chosen.release);
    let enc: HashMap<_, _> = release.enc_keys.iter().cloned().collect();
    let mut notes = chosen.notes;
    let mut skips = Skips::new();
    let mut segments = Vec::new();
    let mut elsewhere: Vec<FoundEntry> = Vec::new();
    for e in &pkg.user_entries {
        let minute = Minute(e.minute);
        let Ok(usr) = open_user_auth_layer(desk.seal_key(), &e.auth_layer.0) else {
            // Sealed to the person's home authority: relayed there through the vault.
            elsewhere.push(e.clone());
            continue;
        };
        let Some(key) = enc.get(&minute.day()) else {
            skips.add(SkipReason::OutsideCase);
            continue;
        };
        match open_visit(key, &usr) {
            Ok(v) => segments.push(v),
            Err(e) => skips.add(SkipReason::of(&e)),
        }
    }
    let mut all = stays::group(&segments, 0, &[]);
    // The person's own personal codes: everyone who scanned them on the released days.
    let days: BTreeSet<u32> = release.enc_keys.iter().map(|(d, _)| d.0).collect();
    for (id, tag) in &release.own_codes {
        let Some(h) = histories.iter().find(|h| h.qr_id == *id) else {
            notes.push(desk.say(&Msg::new("desk-note-own-code").text("code", id.to_hex())));
            continue;
        };
        if let Some(s) = own_code_stay(
            id,
            tag,
            h,
            |slot| days.contains(&(slot / SLOTS_PER_DAY)),
            all.len(),
        )? {
            all.push(s);
        }
    }
    let case = CaseFile {
        case_id: pkg.case_id.clone(),
        nonce: pkg.nonce.clone(),
        stays: all.iter().map(|(s, _)| s.clone()).collect(),
        registration_id: Hex(release.registration_id.to_vec()),
        home_authority: pkg.home_authority,
        release_auth_part: pkg.release_auth_part.clone(),
    };
    let scan = stays::scan_file(
        &pkg.case_id,
        &pkg.nonce,
        &all,
        infected_ref(desk, rng, &case)?,
        None,
    );
    let mut req = stays::code_request(case_ref(desk.id, &pkg.case_id), &all);
    if !elsewhere.is_empty() {
        if pkg.home_authority == desk.id {
            notes.push(
                desk.say(&Msg::new("desk-note-nowhere").num("count", elsewhere.len() as f64)),
            );
        } else {
            notes.push(
                desk.say(
                    &Msg::new("desk-note-relayed")
                        .num("count", elsewhere.len() as f64)
                        .text("authority", desk.authority_name(pkg.home_authority)),
                ),
            );
            req.forward_entries = Some(ForwardEntries {
                to: pkg.home_authority,
                nonce: pkg.nonce.clone(),
                entries: elsewhere,
            });
        }
    }
    let opened = ConsentOpened {
        scan_file: to_vault(desk, rng, PackageKind::ScanKeys, &scan)?,
        resolve_file: to_vault(desk, rng, PackageKind::ResolveRequest, &req)?,
        case,
        notes,
        skips,
    };
    audit::record(
        desk,
        "open-consent",
        json!({
            "case": opened.case.case_id,
            "stays": opened.case.stays.len(),
            "user_entries": pkg.user_entries.len(),
            "skipped": opened.skips.audit(),
        }),
    )?;
    Ok(opened)
}

/// The stay at one of the person's own personal codes: every slot of `history` that `wanted`
/// accepts, with the SCAN key made from the card's TAG key and the slot's TMP key. `None` when
/// no slot is wanted.
pub fn own_code_stay(
    id: &QrId,
    tag: &TagKey,
    history: &TmpHistory,
    wanted: impl Fn(u32) -> bool,
    number: usize,
) -> Result<Option<StayKeys>> {
    let mut keys = BTreeMap::new();
    for (slot, tmp) in &history.keys {
        if wanted(slot.0) {
            keys.insert(slot.0, Hex(tag.scan_key(id, *slot, tmp)?.expose().to_vec()));
        }
    }
    let (Some(first), Some(last)) = (keys.keys().next().copied(), keys.keys().last().copied())
    else {
        return Ok(None);
    };
    Ok(Some((
        Stay {
            stay: u32::try_from(number).unwrap_or(u32::MAX),
            code_kind: CodeKind::Personal as u8,
            qr_id: Hex(id.0.to_vec()),
            tag: Hex(tag.expose().to_vec()),
            bucket: Hex(vec![0; 12]),
            time_in: Slot(first).start().0,
            time_out: Slot(last + 1).start().0,
            own_code: true,
            label: None,
            place: None,
            held_by: None,
            owner_listed: false,
        },
        keys,
    )))
}

fn unresolved(cf: &ContactFile) -> Vec<Hex> {
    let ids: BTreeSet<&Hex> = cf.stays.iter().map(|s| &s.registration_id).collect();
    ids.into_iter()
        .filter(|id| {
            let h = data_encoding::HEXLOWER.encode(&id.0);
            !cf.people.contains_key(&h) && !cf.gone.contains_key(&h)
        })
        .cloned()
        .collect()
}

/// What opening a contacts package gives.
pub struct ContactsOpened {
    /// The case's contact file (saved).
    pub file: ContactFile,
    /// The request for the registrations not resolved yet (`None` if there are none).
    pub request: Option<Vec<u8>>,
    /// Slot entries of this package that opened (the vault's count less those skipped).
    pub entries: usize,
    /// Contacts and place labels skipped (do not open, malformed, outside the case), by reason.
    pub skips: Skips,
    /// Place labels of this package kept: the consenting desk named these stays' places.
    pub place_labels: usize,
}

/// Opens a contacts package: every contact reference is opened and stored in the case's contact
/// file; a reference that does not open (hand-made, random bytes) is skipped and counted, the
/// others go on. Then its place labels (`crate::place_labels::open_into`), each checked the same
/// way. Returns the request for the registrations not resolved yet.
pub fn open_contacts(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<ContactsOpened> {
    audit::refused(desk, "open-contacts", open_contacts_inner(desk, rng, file))
}

fn open_contacts_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<ContactsOpened> {
    let (_, pkg) = exchange::open::<ContactsPackage, DeskError>(
        file,
        PackageKind::Contacts,
        desk.id,
        desk.seal_key(),
        desk.vault_key(),
    )?;
    let cases = desk.cases_dir()?;
    let path = case::contacts_path(&cases, pkg.consenting_authority, &pkg.case_id);
    let mut cf: ContactFile = case::load(&path)?.unwrap_or_else(|| ContactFile {
        case_id: pkg.case_id.clone(),
        consenting_authority: pkg.consenting_authority,
        ..Default::default()
    });
    let mut skips = Skips::new();
    let mut entries = 0;
    if let Some(r) = &pkg.infected_ref {
        match open_contact_ref(desk.seal_key(), &r.0) {
            Ok(id) => cf.infected = Some(Hex(id.to_vec())),
            Err(e) => skips.add(SkipReason::of(&e)),
        }
    }
    for c in &pkg.contacts {
        let rid = match open_contact_ref(desk.seal_key(), &c.sealed_ref.0) {
            Ok(r) => r,
            Err(e) => {
                skips.add(SkipReason::of(&e));
                continue;
            }
        };
        entries += 1;
        let s = ContactStay {
            registration_id: Hex(rid.to_vec()),
            stay: c.stay,
            stay_in: c.stay_in,
            stay_out: c.stay_out,
            own_code: c.own_code,
            time_in: c.time_in,
            time_out: c.time_out,
            overlap_minutes: c.overlap_minutes,
            region: c.region.clone(),
            code_owner: c.code_owner,
        };
        if !cf.stays.contains(&s) {
            cf.stays.push(s);
        }
    }
    let place_labels = crate::place_labels::open_into(desk, &pkg, &mut cf, &mut skips);
    case::save(&path, &cf)?;
    let need = unresolved(&cf);
    let to_resolve = need.len();
    let req = if need.is_empty() {
        None
    } else {
        let r = ResolveRequest {
            case_id: case_ref(pkg.consenting_authority, &pkg.case_id),
            registrations: need,
            ..Default::default()
        };
        Some(to_vault(desk, rng, PackageKind::ResolveRequest, &r)?)
    };
    audit::record(
        desk,
        "open-contacts",
        json!({
            "case": cf.case_id,
            "consenting_authority": cf.consenting_authority,
            "contacts": pkg.contacts.len(),
            "entries": cf.stays.len(),
            "to_resolve": to_resolve,
            "place_labels": place_labels,
            "skipped": skips.audit(),
        }),
    )?;
    Ok(ContactsOpened {
        file: cf,
        request: req,
        entries,
        skips,
        place_labels,
    })
}

/// What opening a resolve answer gives.
pub struct ResolvedOpened {
    /// A further request (code owners still to resolve, owners forwarded), if one is needed.
    pub request: Option<Vec<u8>>,
    /// Records skipped (contact data that does not open or holds invalid fields, place details
    /// or owners that do not open), by reason.
    pub skips: Skips,
    /// Registrations the vault will not give (deleted, another authority's, outside the case):
    /// marked final in the contact file, never asked for again.
    pub gone: usize,
    /// The case the answer is for.
    pub case_id: String,
    /// Its consenting authority.
    pub consenting_authority: u16,
}

/// Opens the vault's answer: contact data of registrations, names of places, owners of personal
/// codes. Returns a further request when a code owner's registration is still to be resolved
/// here, when owners of scanned cards belong to another authority (forwarded through the
/// vault), or when other authorities received contacts at places this desk named (their place
/// labels, forwarded through the vault: `crate::place_labels`). Contact data that does not open
/// or carries invalid fields is skipped, counted and marked final (listed as such, not asked for
/// again); so is a registration the vault reports deleted.
pub fn open_resolved(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<ResolvedOpened> {
    audit::refused(desk, "open-resolved", open_resolved_inner(desk, rng, file))
}

fn open_resolved_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    file: &[u8],
) -> Result<ResolvedOpened> {
    let (_, ans) = exchange::open::<ResolveAnswer, DeskError>(
        file,
        PackageKind::ResolveAnswer,
        desk.id,
        desk.seal_key(),
        desk.vault_key(),
    )?;
    let (authority, case_id) = split_case_ref(&ans.case_id)?;
    let cases = desk.cases_dir()?;
    let cpath = case::contacts_path(&cases, authority, &case_id);
    let mut cf: ContactFile = case::load(&cpath)?.unwrap_or_else(|| ContactFile {
        case_id: case_id.clone(),
        consenting_authority: authority,
        ..Default::default()
    });
    let mut skips = Skips::new();
    for g in &ans.gone {
        cf.gone.insert(
            data_encoding::HEXLOWER.encode(&g.registration_id.0),
            g.reason.clone(),
        );
    }
    for r in &ans.registrations {
        let c = match ContactData::open(desk.seal_key(), &r.sealed_contact.0) {
            Ok(c) => c,
            Err(e) => {
                let why = SkipReason::of(&e);
                skips.add(why);
                cf.gone.insert(
                    data_encoding::HEXLOWER.encode(&r.registration_id.0),
                    why.name().to_owned(),
                );
                continue;
            }
        };
        cf.people.insert(
            data_encoding::HEXLOWER.encode(&r.registration_id.0),
            Person {
                phone: c.phone.as_str().to_owned(),
                campus_id: c.campus_id,
                country: c.region.map(|g| g.country.as_str().to_owned()),
                postcode: c
                    .region
                    .and_then(|g| g.postcode)
                    .map(|p| p.as_str().to_owned()),
                birth_year: c.birth_year,
            },
        );
    }
    let mut forward = Vec::new();
    if authority == desk.id && (!ans.places.is_empty() || !ans.personal.is_empty()) {
        let ppath = case::case_path(&cases, &case_id);
        let mut caf: CaseFile = case::load(&ppath)?.ok_or_else(|| {
            DeskError::refused(Msg::new("desk-err-no-case-file").text("case", case_id.clone()))
        })?;
        for stay in caf.stays.iter_mut() {
            let Some(tag) = stay.tag.array::<16>().map(TagKey::from_bytes) else {
                continue;
            };
            if stay.code_kind == CodeKind::Place as u8 {
                let Some(code) = ans.places.iter().find(|c| c.qr_id == stay.qr_id) else {
                    continue;
                };
                for layer in &code.tag_layers {
                    let body = PlaceRecordBody {
                        region: Region::parse("DE", None)?,
                        kind: PlaceKind::Other,
                        tag_layer: layer.0.clone(),
                    };
                    let Ok(inner) = body.open_tag(&tag) else {
                        continue;
                    };
                    if inner.authority == desk.id {
                        match PlaceDetails::open(desk.seal_key(), &inner.sealed) {
                            // Everything the record gave is kept: the tracer phones the place.
                            Ok(d) => {
                                stay.place = Some(case::PlaceInfo {
                                    name: d.name.clone(),
                                    description: d.description.clone(),
                                    region: d.region.to_string(),
                                    phone: d.responsible_phone.as_str().to_owned(),
                                });
                                stay.held_by = None;
                            }
                            Err(e) => {
                                skips.add(SkipReason::of(&e));
                                continue;
                            }
                        }
                    } else if desk.directory.authority(inner.authority).is_none() {
                        skips.add(SkipReason::UnknownAuthority);
                        continue;
                    } else {
                        stay.held_by = Some(inner.authority);
                    }
                    stay.label = None;
                }
            } else if !stay.own_code {
                let Some(code) = ans.personal.iter().find(|c| c.qr_id == stay.qr_id) else {
                    continue;
                };
                for layer in &code.tag_layers {
                    let Ok(inner) = open_personal_tag_layer(&tag, &layer.0) else {
                        continue;
                    };
                    if desk.directory.authority(inner.authority).is_none() {
                        skips.add(SkipReason::UnknownAuthority);
                        continue;
                    }
                    if inner.authority != desk.id {
                        // The owner is another authority's: their reference goes there.
                        stay.held_by = Some(inner.authority);
                        stay.label = None;
                        forward.push(ForwardOwner {
                            to: inner.authority,
                            stay: stay.stay,
                            stay_in: stay.time_in,
                            stay_out: stay.time_out,
                            sealed_ref: Hex(inner.sealed),
                        });
                        continue;
                    }
                    let rid = match open_contact_ref(desk.seal_key(), &inner.sealed) {
                        Ok(r) => r,
                        Err(e) => {
                            skips.add(SkipReason::of(&e));
                            continue;
                        }
                    };
                    stay.owner_listed = true;
                    stay.label = None;
                    let s = ContactStay {
                        registration_id: Hex(rid.to_vec()),
                        stay: stay.stay,
                        stay_in: stay.time_in,
                        stay_out: stay.time_out,
                        own_code: false,
                        time_in: stay.time_in,
                        time_out: stay.time_out,
                        overlap_minutes: stay.time_out.saturating_sub(stay.time_in),
                        region: Hex(vec![0; 12]),
                        code_owner: true,
                    };
                    if !cf.stays.contains(&s) {
                        cf.stays.push(s);
                    }
                }
            }
        }
        case::save(&ppath, &caf)?;
    }
    // Other authorities that received contacts at this case's places get the places' labels.
    let mut labels = Vec::new();
    if authority == desk.id && !ans.elsewhere.is_empty() {
        if let Some(caf) = case::load::<CaseFile>(&case::case_path(&cases, &case_id))? {
            labels = crate::place_labels::seal_for(desk, rng, &caf, &ans.elsewhere, &mut skips);
        }
    }
    case::save(&cpath, &cf)?;
    let need = unresolved(&cf);
    let detail = json!({
        "case": case_id.clone(),
        "consenting_authority": authority,
        "registrations": ans.registrations.len(),
        "places": ans.places.len(),
        "personal": ans.personal.len(),
        "gone": ans.gone.len(),
        "to_resolve": need.len(),
        "forwarded_owners": forward.len(),
        "place_labels": labels.len(),
        "skipped": skips.audit(),
    });
    let request = if need.is_empty() && forward.is_empty() && labels.is_empty() {
        None
    } else {
        let r = ResolveRequest {
            case_id: ans.case_id.clone(),
            registrations: need,
            forward_owners: forward,
            forward_labels: labels,
            ..Default::default()
        };
        Some(to_vault(desk, rng, PackageKind::ResolveRequest, &r)?)
    };
    audit::record(desk, "open-resolved", detail)?;
    Ok(ResolvedOpened {
        request,
        skips,
        gone: ans.gone.len(),
        case_id,
        consenting_authority: authority,
    })
}
