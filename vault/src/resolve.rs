//! Resolving records for an authority: registrations (only those sealed to it), and place and
//! personal-code records (their TAG layers, which only the code's TAG key opens).

use crate::error::{Result, VaultError};
use crate::exchange::{ResolveAnswer, ResolveRequest, ResolvedCode, ResolvedRegistration};
use crate::hex::Hex;
use crate::store::Store;

/// Most items one request may ask for.
pub const MAX_ITEMS: usize = 100_000;

/// Answers a resolve request from `authority`.
pub fn resolve(
    store: &mut dyn Store,
    authority: u16,
    req: &ResolveRequest,
) -> Result<ResolveAnswer> {
    if req.registrations.len() + req.places.len() + req.personal.len() > MAX_ITEMS {
        return Err(VaultError::bad_file("resolve request", "too many items"));
    }
    let mut ans = ResolveAnswer {
        case_id: req.case_id.clone(),
        ..Default::default()
    };
    for id in &req.registrations {
        let rid: [u8; 16] = id.array().ok_or_else(|| {
            VaultError::bad_file("resolve request", "a registration id is not 16 bytes")
        })?;
        match store.registration(&rid)? {
            Some(r) if r.home_authority == authority => {
                ans.registrations.push(ResolvedRegistration {
                    registration_id: Hex(rid.to_vec()),
                    sealed_contact: Hex(r.sealed_contact),
                })
            }
            Some(_) => ans
                .missing
                .push("a registration sealed to another authority (not given out)".into()),
            None => ans
                .missing
                .push("a registration that was deleted or has expired".into()),
        }
    }
    for (personal, list) in [(false, &req.places), (true, &req.personal)] {
        for id in list {
            let qr: [u8; 16] = id.array().ok_or_else(|| {
                VaultError::bad_file("resolve request", "a QR id is not 16 bytes")
            })?;
            let rows = store.code(personal, &qr)?;
            if rows.is_empty() {
                ans.missing.push(format!(
                    "{} record of QR id {}",
                    if personal { "personal-code" } else { "place" },
                    data_encoding::HEXLOWER.encode(&qr)
                ));
                continue;
            }
            let code = ResolvedCode {
                qr_id: Hex(qr.to_vec()),
                tag_layers: rows.into_iter().map(|r| Hex(r.tag_layer)).collect(),
            };
            if personal {
                ans.personal.push(code);
            } else {
                ans.places.push(code);
            }
        }
    }
    Ok(ans)
}
