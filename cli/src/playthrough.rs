//! A whole trace played through the files in one process, exactly as the commands pass them
//! (vault ⇄ desks): SCAN-key files, contacts files, resolve requests and answers, forwarded card
//! owners and relayed user entries, until nothing is left to send. For `spur demo` and the tests
//! that run both parties in one process (`tests/parties/`, which include this file); the real
//! parties run the same steps one command at a time. It lives here, beside both parties, because
//! the desk library does not link the vault.

use anyhow::{anyhow, bail, Result};
use rand_core::CryptoRngCore;
use spur_authority::open::{open_contacts, open_resolved};
use spur_authority::relay::{open_relay, open_relayed};
use spur_authority::Desk;
use spur_vault::Vault;
use spur_wire::exchange::{peek, PackageKind};

/// How many files went each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Moved {
    /// Files the vault wrote for desks.
    pub to_desks: usize,
    /// Files desks wrote for the vault.
    pub to_vault: usize,
}

/// Runs the trace from the consenting desk's first files (`scans`: SCAN-key files; `requests`:
/// resolve requests with their sender) to the end. `desk` finds a desk by authority id.
pub fn play<'a>(
    vault: &mut Vault,
    desk: impl Fn(u16) -> Option<&'a Desk>,
    rng: &mut impl CryptoRngCore,
    scans: Vec<Vec<u8>>,
    requests: Vec<(u16, Vec<u8>)>,
) -> Result<Moved> {
    let get = |id: u16| desk(id).ok_or_else(|| anyhow!("no desk of authority {id} here"));
    let mut moved = Moved {
        to_vault: scans.len() + requests.len(),
        ..Moved::default()
    };
    let (mut scans, mut requests) = (scans, requests);
    loop {
        if let Some(scan) = scans.pop() {
            for f in vault.trace(rng, &scan)?.files {
                moved.to_desks += 1;
                if let Some(r) = open_contacts(get(f.to)?, rng, &f.bytes)?.request {
                    moved.to_vault += 1;
                    requests.push((f.to, r));
                }
            }
            continue;
        }
        let Some((who, req)) = requests.pop() else {
            break;
        };
        let r = vault.resolve(rng, &req)?;
        moved.to_desks += 1 + r.forwarded.len();
        if let Some(more) = open_resolved(get(who)?, rng, &r.answer.bytes)?.request {
            moved.to_vault += 1;
            requests.push((who, more));
        }
        for f in r.forwarded {
            match peek(&f.bytes)?.kind {
                PackageKind::Contacts => {
                    if let Some(r) = open_contacts(get(f.to)?, rng, &f.bytes)?.request {
                        moved.to_vault += 1;
                        requests.push((f.to, r));
                    }
                }
                PackageKind::Relay => {
                    let (back, _) = open_relay(get(f.to)?, rng, &f.bytes)?;
                    let o = vault.relay(rng, &back)?;
                    moved.to_vault += 1;
                    moved.to_desks += 1;
                    let opened = open_relayed(get(o.to)?, rng, &o.bytes)?;
                    if let Some(s) = opened.scan_file {
                        moved.to_vault += 1;
                        scans.push(s);
                    }
                    if let Some(q) = opened.resolve_file {
                        moved.to_vault += 1;
                        requests.push((o.to, q));
                    }
                }
                k => bail!("package refused: the vault forwarded a {} file", k.name()),
            }
        }
    }
    Ok(moved)
}
