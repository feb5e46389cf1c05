//! Place and personal-code records: uploaded once under the code's QR id when the code is made.
//!
//! Place: OP { region, kind, TAG { authority id, AUTH { responsible phone, region, kind, name,
//! description } } }. Personal: OP { TAG { authority id, AUTH { contact reference } } }. Only
//! someone with the TAG key (from a consenting visitor's user entry, or the card itself) can take
//! off the TAG layer, and only the named authority can read what is inside.

use super::{
    open_op, start, RecordKind, CONTACT_REF_PLAIN, CONTACT_REF_SEALED, PLACE_BODY,
    PLACE_DETAILS_PLAIN, PLACE_TAG_LAYER,
};
use crate::crypto::{AeadKey, SEAL_OVERHEAD};
use crate::error::{ProtocolError, Result};
use crate::fields::{decode_text, encode_text, PhoneNumber, PlaceKind, Region};
use crate::keys::{SealPublicKey, SealSecretKey};
use crate::labels::{AUTH_CONTACT_REF, AUTH_PLACE, TAG_PERSONAL, TAG_PLACE};
use crate::tag::{QrId, TagKey};
use crate::wire::{Reader, Writer};

/// Longest place description in bytes.
pub const MAX_DESCRIPTION: usize = 128;

/// What the person responsible for a place enters. Readable only by the place's authority.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlaceDetails {
    /// Phone number of the person responsible.
    pub responsible_phone: PhoneNumber,
    /// Country and postcode (the postcode is required for a place).
    pub region: Region,
    /// Kind of place.
    pub kind: PlaceKind,
    /// Name shown when scanning (1–64 bytes).
    pub name: String,
    /// Optional address, building part or room (≤ 128 bytes).
    pub description: String,
}

/// An authority id and an AUTH-sealed blob: what a TAG layer holds.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TagLayerContent {
    /// The authority the inner blob is sealed to.
    pub authority: u16,
    /// The AUTH-sealed blob.
    pub sealed: Vec<u8>,
}

impl PlaceDetails {
    fn encode(&self) -> Result<Vec<u8>> {
        crate::qr::validate_place_name(&self.name)?;
        if self.region.postcode.is_none() {
            return Err(ProtocolError::InvalidField {
                field: "place postcode",
                reason: "a place needs a postcode",
            });
        }
        let mut w = Writer::with_capacity(PLACE_DETAILS_PLAIN);
        w.bytes(&self.responsible_phone.encode())
            .bytes(&self.region.encode())
            .u8(self.kind as u8)
            .bytes(&encode_text::<64>("place name", &self.name)?)
            .bytes(&encode_text::<MAX_DESCRIPTION>(
                "description",
                &self.description,
            )?)
            .pad_to(PLACE_DETAILS_PLAIN);
        Ok(w.into_vec())
    }

    fn decode(b: &[u8]) -> Result<Self> {
        let mut r = Reader::new(b, "place details");
        let responsible_phone = PhoneNumber::decode(r.array()?)?;
        let region = Region::decode(r.array()?)?.ok_or(ProtocolError::InvalidField {
            field: "place region",
            reason: "missing",
        })?;
        let kind = PlaceKind::decode(r.u8()?)?;
        let name = decode_text("place name", r.take(64)?)?;
        let description = decode_text("description", r.take(MAX_DESCRIPTION)?)?;
        Ok(Self {
            responsible_phone,
            region,
            kind,
            name,
            description,
        })
    }

    /// Opens the AUTH-sealed details with the place authority's key.
    pub fn open(auth: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        crate::wire::expect_len(
            sealed,
            PLACE_DETAILS_PLAIN + SEAL_OVERHEAD,
            "sealed place details",
        )?;
        Self::decode(&auth.open(AUTH_PLACE, "AUTH", sealed)?)
    }
}

fn tag_layer(
    rng: &mut impl rand_core::CryptoRngCore,
    tag: &TagKey,
    label: &'static str,
    authority: u16,
    sealed: &[u8],
) -> Result<Vec<u8>> {
    let mut w = Writer::with_capacity(2 + sealed.len());
    w.u16(authority).bytes(sealed);
    AeadKey::derive(tag.expose(), label)?.encrypt(rng, &w.into_vec())
}

fn open_tag_layer(
    tag: &TagKey,
    label: &'static str,
    layer: &[u8],
    sealed_len: usize,
) -> Result<TagLayerContent> {
    let plain = AeadKey::derive(tag.expose(), label)?.decrypt("TAG", layer)?;
    let mut r = Reader::new(&plain, "TAG layer");
    let authority = r.u16()?;
    let sealed = r.take(sealed_len)?.to_vec();
    r.finish()?;
    Ok(TagLayerContent { authority, sealed })
}

/// The OP-layer content of a place record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PlaceRecordBody {
    /// Country and postcode, for statistics.
    pub region: Region,
    /// Kind, for statistics.
    pub kind: PlaceKind,
    /// TAG layer (opaque without the code's TAG key).
    pub tag_layer: Vec<u8>,
}

/// Builds a place record: `header || QR id || OP-sealed body`.
pub fn build_place_record(
    rng: &mut impl rand_core::CryptoRngCore,
    op: &SealPublicKey,
    authority: (u16, &SealPublicKey),
    id: &QrId,
    tag: &TagKey,
    details: &PlaceDetails,
) -> Result<Vec<u8>> {
    let sealed = authority.1.seal(rng, AUTH_PLACE, &details.encode()?)?;
    let layer = tag_layer(rng, tag, TAG_PLACE, authority.0, &sealed)?;
    let mut body = Writer::with_capacity(PLACE_BODY);
    body.bytes(&details.region.encode())
        .u8(details.kind as u8)
        .bytes(&layer);
    let op_sealed = op.seal(rng, RecordKind::Place.op_label(), &body.into_vec())?;
    let mut w = start(RecordKind::Place, &id.0);
    w.bytes(&op_sealed);
    Ok(w.into_vec())
}

impl PlaceRecordBody {
    /// Opens the OP-sealed part of a place record.
    pub fn open(op: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        let body = open_op(op, RecordKind::Place, sealed)?;
        let mut r = Reader::new(&body, "place record");
        let region = Region::decode(r.array()?)?.ok_or(ProtocolError::InvalidField {
            field: "place region",
            reason: "missing",
        })?;
        let kind = PlaceKind::decode(r.u8()?)?;
        let tag_layer = r.take(PLACE_TAG_LAYER)?.to_vec();
        r.finish()?;
        Ok(Self {
            region,
            kind,
            tag_layer,
        })
    }

    /// Takes off the TAG layer with the code's TAG key.
    pub fn open_tag(&self, tag: &TagKey) -> Result<TagLayerContent> {
        open_tag_layer(
            tag,
            TAG_PLACE,
            &self.tag_layer,
            PLACE_DETAILS_PLAIN + SEAL_OVERHEAD,
        )
    }
}

/// Builds a personal-code record: `header || QR id || PIN check || OP-sealed body`; the owner's
/// contact reference (registration id) is sealed to the owner's home authority. The PIN check is
/// [`TagKey::pin_check`] for a PIN card (`pin_card`, `tag` derived with the PIN) and random bytes
/// otherwise, so the POST server cannot tell PIN cards from other codes.
pub fn build_personal_record(
    rng: &mut impl rand_core::CryptoRngCore,
    op: &SealPublicKey,
    home_authority: (u16, &SealPublicKey),
    id: &QrId,
    tag: &TagKey,
    registration_id: &[u8; 16],
    pin_card: bool,
) -> Result<Vec<u8>> {
    let sealed = seal_contact_ref(rng, home_authority.1, registration_id)?;
    let layer = tag_layer(rng, tag, TAG_PERSONAL, home_authority.0, &sealed)?;
    let op_sealed = op.seal(rng, RecordKind::Personal.op_label(), &layer)?;
    let check = if pin_card {
        tag.pin_check(id)
    } else {
        let mut r = [0u8; super::PIN_CHECK_LEN];
        rng.fill_bytes(&mut r);
        r
    };
    let mut clear = [0u8; QrId::LEN + super::PIN_CHECK_LEN];
    clear[..QrId::LEN].copy_from_slice(&id.0);
    clear[QrId::LEN..].copy_from_slice(&check);
    let mut w = start(RecordKind::Personal, &clear);
    w.bytes(&op_sealed);
    Ok(w.into_vec())
}

/// Takes off the TAG layer of a personal-code record whose OP layer the vault already opened (what
/// a desk gets in a resolve answer): the owner's home authority and their sealed contact reference.
pub fn open_personal_tag_layer(tag: &TagKey, layer: &[u8]) -> Result<TagLayerContent> {
    crate::wire::expect_len(layer, super::PERSONAL_TAG_LAYER, "personal-code TAG layer")?;
    open_tag_layer(tag, TAG_PERSONAL, layer, CONTACT_REF_SEALED)
}

/// Opens the OP-sealed part of a personal-code record and then its TAG layer.
pub fn open_personal_record(
    op: &SealSecretKey,
    sealed: &[u8],
    tag: &TagKey,
) -> Result<TagLayerContent> {
    // open_op has checked the body is PERSONAL_BODY = PERSONAL_TAG_LAYER bytes.
    let body = open_op(op, RecordKind::Personal, sealed)?;
    open_personal_tag_layer(tag, &body)
}

/// Seals a contact reference (the registration id) to an authority, fresh every time.
pub fn seal_contact_ref(
    rng: &mut impl rand_core::CryptoRngCore,
    authority: &SealPublicKey,
    registration_id: &[u8; 16],
) -> Result<Vec<u8>> {
    authority.seal(rng, AUTH_CONTACT_REF, registration_id)
}

/// Opens a contact reference with the authority's key: the registration id it points to.
pub fn open_contact_ref(auth: &SealSecretKey, sealed: &[u8]) -> Result<[u8; 16]> {
    crate::wire::expect_len(sealed, CONTACT_REF_SEALED, "contact reference")?;
    let plain = auth.open(AUTH_CONTACT_REF, "AUTH", sealed)?;
    let mut id = [0u8; CONTACT_REF_PLAIN];
    id.copy_from_slice(&plain);
    Ok(id)
}
