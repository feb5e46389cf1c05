//! Tracing a card-only person: someone without a smartphone who is infected hands the authority
//! their printed personal code (and its PIN). The desk reads the card's QR id and TAG key, signs
//! a request for the card's past TMP keys (`crate::history`), and with the TAG server's answer
//! derives the SCAN keys of every slot; the vault accepts the same signed request in place of a
//! consent release (the vault's `card` checks). Everyone who scanned the card in those slots is found.

use spur_i18n::Msg;
use spur_protocol::consent::validate_case_id;
use spur_protocol::history::HistoryRequest;
use spur_protocol::tag::{QrId, TagKey};
use spur_wire::exchange::{Hex, PackageKind};

use crate::audit;
use crate::case::CaseFile;
use crate::desk::Desk;
use crate::error::{DeskError, Result};
use crate::open::{own_code_stay, to_vault, TmpHistory};
use crate::stays;

/// A card trace ready for the vault.
pub struct CardOpened {
    /// The case file (saved by the caller).
    pub case: CaseFile,
    /// The SCAN-key file, carrying the signed request.
    pub scan_file: Vec<u8>,
}

/// Builds the SCAN-key file of a card-only case from the card (`id`, and `tag` with the PIN
/// already mixed in), the signed request this desk made for it and the TAG server's answer.
pub fn card_trace(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    case_id: &str,
    id: &QrId,
    tag: &TagKey,
    request: &[u8],
    history: &TmpHistory,
) -> Result<CardOpened> {
    let o = audit::refused(
        desk,
        "card-trace",
        card_trace_inner(desk, rng, case_id, id, tag, request, history),
    )?;
    let keys = o.case.stays.first().map_or(0, |s| {
        s.time_out.saturating_sub(s.time_in) / spur_protocol::time::SLOT_MINUTES
    });
    audit::record(
        desk,
        "card-trace",
        serde_json::json!({ "case": case_id, "request": data_encoding::HEXLOWER.encode(&spur_wire::exchange::request_tag(request)), "slots": keys }),
    )?;
    Ok(o)
}

fn card_trace_inner(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    case_id: &str,
    id: &QrId,
    tag: &TagKey,
    request: &[u8],
    history: &TmpHistory,
) -> Result<CardOpened> {
    validate_case_id(case_id)?;
    let req = HistoryRequest::verify_signed(request, &desk.directory)?;
    let refuse = |id: &'static str| DeskError::refused(Msg::new(id));
    if req.authority != desk.id {
        return Err(refuse("desk-err-card-other-authority"));
    }
    let (_, blinded) = spur_protocol::history::blind_card(desk.sign_key(), id, &req.nonce)?;
    if req.blinded != blinded.0 || history.qr_id != *id {
        return Err(refuse("desk-err-card-codes-differ"));
    }
    let (first, last) = (req.first.0, req.last.0);
    let Some((mut stay, keys)) = own_code_stay(id, tag, history, |s| s >= first && s <= last, 0)?
    else {
        return Err(refuse("desk-err-card-no-key"));
    };
    stay.label = Some("the infected person's printed card".into());
    let all = vec![(stay, keys)];
    let case = CaseFile {
        case_id: case_id.to_owned(),
        nonce: Hex::default(),
        stays: all.iter().map(|(s, _)| s.clone()).collect(),
        registration_id: Hex::default(),
        home_authority: desk.id,
        release_auth_part: Hex::default(),
    };
    let scan = stays::scan_file(
        case_id,
        &Hex::default(),
        &all,
        None,
        Some(Hex(request.to_vec())),
    );
    Ok(CardOpened {
        scan_file: to_vault(desk, rng, PackageKind::ScanKeys, &scan)?,
        case,
    })
}

/// A card's PIN as the POST server judged it (`POST /v1/pin-check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinAnswer {
    /// The card's stored PIN check matches the one derived with this PIN.
    Confirmed,
    /// No match: a wrong PIN, or a card the POST server does not know.
    NotConfirmed,
    /// Too many wrong PINs for this card within the hour.
    TooMany,
}

/// Runs before a card trace spends its signed TMP-history request (the vault accepts each request
/// once): a PIN card whose PIN the POST server does not confirm is refused as a wrong PIN, so a
/// mistyped PIN neither uses up the request nor traces a key nobody ever scanned.
pub fn require_confirmed_pin(answer: PinAnswer) -> Result<()> {
    match answer {
        PinAnswer::Confirmed => Ok(()),
        PinAnswer::NotConfirmed => Err(DeskError::refused(Msg::new("desk-err-card-wrong-pin"))),
        PinAnswer::TooMany => Err(DeskError::refused(Msg::new("desk-err-card-too-many-pins"))),
    }
}
