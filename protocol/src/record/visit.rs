//! A visit: one slot entry per 30-minute slot of the stay, and one user entry per up to 4 hours.
//!
//! Slot entry: OP { slot, code kind, bucket region, SCAN { AUTH-sealed contact reference, home
//! authority, scanner region, time in, time out } } — everyone at one code in one slot shares the
//! SCAN key, nobody else has it. User entry: OP { find-tag, AUTH { USR { code kind, QR id, TAG,
//! bucket region, times, first slot, SCAN keys } } } — found by the vault only with the day's find
//! key, opened only by the authority with the day's USR encryption key.

use zeroize::Zeroizing;

use super::place::seal_contact_ref;
use super::{
    open_op, start, RecordKind, CONTACT_REF_SEALED, SLOTS_PER_USER_ENTRY, SLOT_BODY,
    SLOT_SCAN_LAYER, SLOT_SCAN_PLAIN, USER_AUTH_LAYER, USER_BODY, VISIT_PLAIN,
};
use crate::crypto::{AeadKey, AEAD_OVERHEAD};
use crate::error::{ProtocolError, Result};
use crate::fields::Region;
use crate::keys::{SealPublicKey, SealSecretKey};
use crate::labels::{AUTH_USER, SCAN_SLOT, USR_VISIT};
use crate::tag::{QrId, ScanKey, TagKey};
use crate::time::{Minute, Slot};
use crate::usr::{EncKey, FindTag, UsrKey};
use crate::wire::{Reader, Writer};

/// What kind of code was scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeKind {
    /// A place's code.
    Place = 1,
    /// A person's code (a "virtual place").
    Personal = 2,
}

impl CodeKind {
    /// From the encoded byte.
    pub fn decode(b: u8) -> Result<Self> {
        match b {
            1 => Ok(Self::Place),
            2 => Ok(Self::Personal),
            other => Err(ProtocolError::UnknownKind {
                what: "code kind",
                got: other,
            }),
        }
    }
}

/// Who is checking in: what goes into their slot entries and user entries.
pub struct Visitor<'a> {
    /// The visitor's USR key (find-tags and the USR layer).
    pub usr: &'a UsrKey,
    /// Registration id (sealed into every contact reference).
    pub registration_id: [u8; 16],
    /// The visitor's home authority: id and AUTH key.
    pub home_authority: (u16, &'a SealPublicKey),
    /// The visitor's own country and postcode (for routing and the contact list).
    pub home_region: Option<Region>,
}

/// What was scanned and when: the input to [`build_visit`].
pub struct VisitInput {
    /// Place or personal code.
    pub code_kind: CodeKind,
    /// The code's QR id.
    pub qr_id: QrId,
    /// The code's TAG key.
    pub tag: TagKey,
    /// The trace bucket: the place's region, or for a personal code where the scan happened (optional).
    pub region: Option<Region>,
    /// Check-in time.
    pub time_in: Minute,
    /// Check-out time (exclusive).
    pub time_out: Minute,
    /// The SCAN key of every slot the stay touches, in order.
    pub scan_keys: Vec<(Slot, ScanKey)>,
    /// Index of this visit among the visitor's visits starting in the same minute (0–3).
    pub find_index: u8,
}

/// The records of one visit, ready to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRecords {
    /// One per slot.
    pub slot_entries: Vec<Vec<u8>>,
    /// One per up to 8 slots.
    pub user_entries: Vec<Vec<u8>>,
}

/// A decoded visit segment (what the authority reads from a user entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitSegment {
    /// Place or personal.
    pub code_kind: CodeKind,
    /// The code's QR id.
    pub qr_id: QrId,
    /// The code's TAG key (opens the place or personal record).
    pub tag: TagKey,
    /// The bucket region the slot entries went into.
    pub region: Option<Region>,
    /// Check-in time of the whole visit.
    pub time_in: Minute,
    /// Check-out time of the whole visit.
    pub time_out: Minute,
    /// The slots of this segment with their SCAN keys.
    pub scan_keys: Vec<(Slot, ScanKey)>,
}

/// Builds all records of one visit. Costs per slot: two sealed boxes and one AEAD; per user
/// entry: two sealed boxes and one AEAD (see the benchmark `visit_4_slots`).
pub fn build_visit(
    rng: &mut impl rand_core::CryptoRngCore,
    op: &SealPublicKey,
    visitor: &Visitor<'_>,
    input: &VisitInput,
) -> Result<VisitRecords> {
    if input.time_out <= input.time_in {
        return Err(ProtocolError::InvalidField {
            field: "visit",
            reason: "check-out must be after check-in",
        });
    }
    if input.find_index >= crate::usr::FIND_TAGS_PER_MINUTE {
        return Err(ProtocolError::InvalidField {
            field: "visit",
            reason: "too many visits starting in one minute",
        });
    }
    let expected: Vec<Slot> = Slot::covering(input.time_in, input.time_out).collect();
    let given: Vec<Slot> = input.scan_keys.iter().map(|(s, _)| *s).collect();
    if expected != given {
        return Err(ProtocolError::InvalidField {
            field: "visit",
            reason: "needs one SCAN key for every slot of the stay",
        });
    }
    let region = Region::encode_opt(input.region.as_ref());
    let home_region = Region::encode_opt(visitor.home_region.as_ref());
    let mut slot_entries = Vec::with_capacity(input.scan_keys.len());
    for (slot, key) in &input.scan_keys {
        let sealed_ref = seal_contact_ref(rng, visitor.home_authority.1, &visitor.registration_id)?;
        let mut inner = Writer::with_capacity(SLOT_SCAN_PLAIN);
        inner
            .bytes(&sealed_ref)
            .u16(visitor.home_authority.0)
            .bytes(&home_region)
            .u32(input.time_in.0)
            .u32(input.time_out.0);
        let scan_layer =
            AeadKey::derive(key.expose(), SCAN_SLOT)?.encrypt(rng, &inner.into_vec())?;
        let mut body = Writer::with_capacity(SLOT_BODY);
        body.u32(slot.0)
            .u8(input.code_kind as u8)
            .bytes(&region)
            .bytes(&scan_layer);
        let sealed = op.seal(rng, RecordKind::SlotEntry.op_label(), &body.into_vec())?;
        let mut w = start(RecordKind::SlotEntry, &[]);
        w.bytes(&sealed);
        slot_entries.push(w.into_vec());
    }
    let mut user_entries = Vec::new();
    for chunk in input.scan_keys.chunks(SLOTS_PER_USER_ENTRY) {
        let Some((first_slot, _)) = chunk.first() else {
            continue;
        };
        // The segment is found by the minute it starts: check-in, or its first slot's start.
        let start_minute = input.time_in.max(first_slot.start());
        let day = start_minute.day();
        let mut plain = Writer::with_capacity(VISIT_PLAIN);
        plain
            .u8(input.code_kind as u8)
            .bytes(&input.qr_id.0)
            .bytes(input.tag.expose())
            .bytes(&region)
            .u32(input.time_in.0)
            .u32(input.time_out.0)
            .u32(first_slot.0)
            .u8(u8::try_from(chunk.len()).unwrap_or(0));
        for (_, k) in chunk {
            plain.bytes(k.expose());
        }
        plain.pad_to(VISIT_PLAIN);
        let plain = Zeroizing::new(plain.into_vec());
        let usr_layer =
            AeadKey::derive(visitor.usr.enc_key(day)?.expose(), USR_VISIT)?.encrypt(rng, &plain)?;
        let auth_layer = visitor.home_authority.1.seal(rng, AUTH_USER, &usr_layer)?;
        let find_tag = visitor
            .usr
            .find_key(day)?
            .tag(start_minute, input.find_index);
        let mut body = Writer::with_capacity(USER_BODY);
        body.bytes(&find_tag).bytes(&auth_layer);
        let sealed = op.seal(rng, RecordKind::UserEntry.op_label(), &body.into_vec())?;
        let mut w = start(RecordKind::UserEntry, &[]);
        w.bytes(&sealed);
        user_entries.push(w.into_vec());
    }
    Ok(VisitRecords {
        slot_entries,
        user_entries,
    })
}

/// The OP-layer content of a slot entry: what the vault indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotEntryBody {
    /// The 30-minute slot.
    pub slot: Slot,
    /// Place or personal.
    pub code_kind: CodeKind,
    /// The bucket region (place region; for a personal code where the scan happened, if given).
    pub region: Option<Region>,
    /// The SCAN layer, opaque without the SCAN key.
    pub scan_layer: Vec<u8>,
}

impl SlotEntryBody {
    /// Opens the OP-sealed part of a slot entry.
    pub fn open(op: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        let body = open_op(op, RecordKind::SlotEntry, sealed)?;
        let mut r = Reader::new(&body, "slot entry");
        Ok(Self {
            slot: Slot(r.u32()?),
            code_kind: CodeKind::decode(r.u8()?)?,
            region: Region::decode(r.array()?)?,
            scan_layer: r.take(SLOT_SCAN_LAYER)?.to_vec(),
        })
    }
}

/// What opening a slot entry's SCAN layer gives: one contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotContact {
    /// The contact reference, sealed to the contact's home authority.
    pub sealed_ref: Vec<u8>,
    /// The contact's home authority (where the vault routes this contact).
    pub home_authority: u16,
    /// The contact's country and postcode, if given.
    pub region: Option<Region>,
    /// Check-in.
    pub time_in: Minute,
    /// Check-out.
    pub time_out: Minute,
}

/// Trial-opens SCAN layers with one SCAN key. The key schedule is done once, so trying many
/// entries of one slot and bucket costs one AES-GCM verification each.
pub struct SlotOpener(AeadKey);

impl SlotOpener {
    /// Prepares the SCAN key.
    pub fn new(key: &ScanKey) -> Result<Self> {
        Ok(Self(AeadKey::derive(key.expose(), SCAN_SLOT)?))
    }

    /// `Some(contact)` when this SCAN layer was made with this key; `None` otherwise.
    pub fn try_open(&self, scan_layer: &[u8]) -> Option<SlotContact> {
        if scan_layer.len() != SLOT_SCAN_LAYER {
            return None;
        }
        let plain = self.0.decrypt("SCAN", scan_layer).ok()?;
        let mut r = Reader::new(&plain, "SCAN layer");
        let sealed_ref = r.take(CONTACT_REF_SEALED).ok()?.to_vec();
        let home_authority = r.u16().ok()?;
        let region = Region::decode(r.array().ok()?).ok()?;
        let time_in = Minute(r.u32().ok()?);
        let time_out = Minute(r.u32().ok()?);
        Some(SlotContact {
            sealed_ref,
            home_authority,
            region,
            time_in,
            time_out,
        })
    }
}

/// The OP-layer content of a user entry: the find-tag the vault looks up, and the AUTH layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserEntryBody {
    /// HMAC of the start minute under the day's find key.
    pub find_tag: FindTag,
    /// AUTH layer (around the USR layer), for the user's home authority.
    pub auth_layer: Vec<u8>,
}

impl UserEntryBody {
    /// Opens the OP-sealed part of a user entry.
    pub fn open(op: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        let body = open_op(op, RecordKind::UserEntry, sealed)?;
        let mut r = Reader::new(&body, "user entry");
        Ok(Self {
            find_tag: r.array()?,
            auth_layer: r.take(USER_AUTH_LAYER)?.to_vec(),
        })
    }
}

/// Takes off a user entry's AUTH layer (the home authority's key): the USR layer.
pub fn open_user_auth_layer(auth: &SealSecretKey, auth_layer: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    crate::wire::expect_len(auth_layer, USER_AUTH_LAYER, "user entry AUTH layer")?;
    auth.open(AUTH_USER, "AUTH", auth_layer)
}

/// Opens a user entry's USR layer with the day's encryption key (released by consent).
pub fn open_visit(enc: &EncKey, usr_layer: &[u8]) -> Result<VisitSegment> {
    crate::wire::expect_len(
        usr_layer,
        VISIT_PLAIN + AEAD_OVERHEAD,
        "user entry USR layer",
    )?;
    let plain = AeadKey::derive(enc.expose(), USR_VISIT)?.decrypt("USR", usr_layer)?;
    let mut r = Reader::new(&plain, "visit");
    let code_kind = CodeKind::decode(r.u8()?)?;
    let qr_id = QrId(r.array()?);
    let tag = TagKey::from_bytes(r.array()?);
    let region = Region::decode(r.array()?)?;
    let time_in = Minute(r.u32()?);
    let time_out = Minute(r.u32()?);
    let first = r.u32()?;
    let n = usize::from(r.u8()?);
    if n == 0 || n > SLOTS_PER_USER_ENTRY {
        return Err(ProtocolError::InvalidField {
            field: "visit",
            reason: "slot count out of range",
        });
    }
    let mut scan_keys = Vec::with_capacity(n);
    for i in 0..n {
        let slot = Slot(first.saturating_add(u32::try_from(i).unwrap_or(0)));
        scan_keys.push((slot, ScanKey::from_bytes(r.array()?)));
    }
    Ok(VisitSegment {
        code_kind,
        qr_id,
        tag,
        region,
        time_in,
        time_out,
        scan_keys,
    })
}
