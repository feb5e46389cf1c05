//! Card-only traces: the checks the vault makes on a SCAN-key file that comes with an authority's
//! signed request for a printed card's past TMP keys instead of a consent release.
//!
//! Someone without a smartphone has no USR key and cannot release anything; they hand their card
//! (and PIN) to the authority, which gets the card's past TMP keys from the TAG server with a
//! signed request (`spur_protocol::history`) and derives the SCAN keys itself. The vault then
//! accepts that same signed request as the reason for the trace, but only for what it covers:
//! the sender signed it, every stay is at a personal code, every slot lies in the requested
//! range, and each request is used for one trace only.

use spur_protocol::directory::Directory;
use spur_protocol::history::HistoryRequest;
use spur_protocol::record::visit::CodeKind;
use spur_wire::exchange::ScanKeyFile;

use crate::error::{Result, VaultError};

/// The case id the vault records a card trace under: `card:` cannot start a consent's case id
/// (its alphabet has no `:`), so a card trace never passes for a consent or the other way round.
pub fn case_marker(case_id: &str) -> String {
    format!("card:{case_id}")
}

/// Checks a card trace from authority `from`; returns the verified request.
pub fn check(
    dir: &Directory,
    from: u16,
    file: &ScanKeyFile,
    request: &[u8],
) -> Result<HistoryRequest> {
    let refuse = |r: &str| VaultError::Refused(format!("card trace: {r}"));
    let req = HistoryRequest::verify_signed(request, dir)
        .map_err(|e| refuse(&format!("the TMP-history request does not verify ({e})")))?;
    if req.authority != from {
        return Err(refuse(
            "the TMP-history request was signed by another authority than the sender",
        ));
    }
    if !file.nonce.0.is_empty() || file.infected_ref.is_some() {
        return Err(refuse(
            "a card trace carries no consent nonce and no registration",
        ));
    }
    if file.stays.is_empty() {
        return Err(refuse("no stays"));
    }
    for s in &file.stays {
        if s.code_kind != CodeKind::Personal as u8 || !s.own_code {
            return Err(refuse(
                "every stay must be at the card itself (a personal code)",
            ));
        }
        if s.bucket.0.iter().any(|b| *b != 0) {
            return Err(refuse("a personal-code stay has a region bucket"));
        }
        if s.keys
            .iter()
            .any(|(slot, _)| *slot < req.first.0 || *slot > req.last.0)
        {
            return Err(refuse(
                "a SCAN key lies outside the slots of the signed request",
            ));
        }
        if s.time_in < req.first.start().0
            || s.time_out
                > spur_protocol::time::Slot(req.last.0.saturating_add(1))
                    .start()
                    .0
        {
            return Err(refuse(
                "a stay lies outside the slots of the signed request",
            ));
        }
    }
    Ok(req)
}
