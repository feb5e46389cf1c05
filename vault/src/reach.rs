//! What a case reached: the vault remembers, per consenting authority and case, what its consent
//! and traces handed out, so a resolve or forward request may name only that.
//!
//! The vault never sees a visit or a registration id in a contact reference (both are sealed to
//! an authority), so what it can bind is:
//! - **the case exists**: a consent handed to that authority for that case, or a card trace it ran;
//! - **places** only at the regions of the case's place stays (the bucket regions of the SCAN-key
//!   files traced), at most one per place stay;
//! - **personal codes** (cards the person scanned) at most one per such stay;
//! - **registrations** for authority X at most as many distinct ones as contacts (and card owners)
//!   were sent to X for the case (the consenting authority also gets one per card scanned: the
//!   card's owner); asking again for one already given is free;
//! - **forwarded card owners** at most one per card stay; **forwarded user entries** only entries
//!   the consent package held (their AUTH layers, by digest);
//! - **forwarded place labels** only for a place stay the authority received contacts for, at
//!   most one per stay and authority (stay numbers, which the vault saw in the SCAN-key file).
//!
//! Anything else is refused with [`spur_offline::skip::SkipReason::OutsideCase`] and audited. The state
//! is kept in the store (`case_reach`) with the day it last changed and swept with retention.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use spur_protocol::crypto::sha256;
use spur_protocol::record::visit::CodeKind;
use spur_wire::exchange::{FoundEntry, Hex, ScanKeyFile, StaysElsewhere};

/// The reach of one case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReach {
    /// Bucket regions of the case's place stays (12 bytes each).
    #[serde(default)]
    pub place_regions: BTreeSet<Hex>,
    /// Place stays traced.
    #[serde(default)]
    pub place_stays: u64,
    /// Stays at personal codes other than the person's own (cards they scanned).
    #[serde(default)]
    pub card_stays: u64,
    /// Contacts (and forwarded card owners) sent to each authority.
    #[serde(default)]
    pub contacts: BTreeMap<u16, u64>,
    /// Digests of the registrations given to each authority.
    #[serde(default)]
    pub given: BTreeMap<u16, BTreeSet<Hex>>,
    /// Digests of the QR ids of places and cards resolved.
    #[serde(default)]
    pub codes_given: BTreeSet<Hex>,
    /// Card owners forwarded.
    #[serde(default)]
    pub owners_forwarded: u64,
    /// Digests of the user entries' AUTH layers the consent package held.
    #[serde(default)]
    pub entries: BTreeSet<Hex>,
    /// Place stays each authority other than the consenting one received contacts for.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub place_stays_sent: BTreeMap<u16, BTreeSet<u32>>,
    /// Place stays whose label was forwarded to each authority.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labelled: BTreeMap<u16, BTreeSet<u32>>,
}

/// A short digest of an item (stored instead of the item).
pub fn digest(label: &str, bytes: &[u8]) -> Hex {
    let d = sha256(&[
        spur_protocol::labels::CASE_REACH.as_bytes(),
        label.as_bytes(),
        b"/",
        bytes,
    ]);
    Hex(d[..16].to_vec())
}

impl CaseReach {
    /// Parses the stored JSON.
    pub fn parse(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }

    /// The JSON to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Remembers the user entries handed in a consent package.
    pub fn add_consent(&mut self, entries: &[FoundEntry]) {
        for e in entries {
            self.entries.insert(digest("entry", &e.auth_layer.0));
        }
    }

    /// Remembers the stays of a traced SCAN-key file and the contacts sent to each authority.
    pub fn add_trace(&mut self, file: &ScanKeyFile, contacts: &[(u16, usize)]) {
        for s in &file.stays {
            if s.code_kind == CodeKind::Place as u8 {
                self.place_stays = self.place_stays.saturating_add(1);
                self.place_regions.insert(s.bucket.clone());
            } else if !s.own_code {
                self.card_stays = self.card_stays.saturating_add(1);
            }
        }
        for (to, n) in contacts {
            self.add_contacts(*to, *n as u64);
        }
    }

    /// Remembers the place stays `to` received contacts for (the consenting desk may send it a
    /// place label for each).
    pub fn add_place_stays_sent(&mut self, to: u16, stays: impl IntoIterator<Item = u32>) {
        self.place_stays_sent.entry(to).or_default().extend(stays);
    }

    /// Takes the label of `stay` for `to`: false when `to` received no contacts at that place
    /// stay or its label was forwarded before.
    pub fn take_label(&mut self, to: u16, stay: u32) -> bool {
        self.place_stays_sent
            .get(&to)
            .is_some_and(|s| s.contains(&stay))
            && self.labelled.entry(to).or_default().insert(stay)
    }

    /// The other authorities the case sent contacts to, with the place stays still without a
    /// label (what the consenting desk's next answer lists).
    pub fn elsewhere(&self) -> Vec<StaysElsewhere> {
        self.place_stays_sent
            .iter()
            .filter_map(|(a, stays)| {
                let done = self.labelled.get(a);
                let open: Vec<u32> = stays
                    .iter()
                    .filter(|s| !done.is_some_and(|d| d.contains(s)))
                    .copied()
                    .collect();
                (!open.is_empty()).then_some(StaysElsewhere {
                    authority: *a,
                    stays: open,
                })
            })
            .collect()
    }

    /// Counts contacts sent to `to`.
    pub fn add_contacts(&mut self, to: u16, n: u64) {
        let c = self.contacts.entry(to).or_insert(0);
        *c = c.saturating_add(n);
    }

    /// How many distinct registrations `authority` may have (consenting: plus one per card).
    pub fn registration_budget(&self, authority: u16, consenting: u16) -> u64 {
        let base = self.contacts.get(&authority).copied().unwrap_or(0);
        if authority == consenting {
            base.saturating_add(self.card_stays)
        } else {
            base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_label_goes_only_where_contacts_went_and_once() {
        let mut r = CaseReach::default();
        r.add_place_stays_sent(2, [0, 3]);
        r.add_place_stays_sent(3, [1]);
        assert_eq!(
            r.elsewhere(),
            vec![
                StaysElsewhere {
                    authority: 2,
                    stays: vec![0, 3]
                },
                StaysElsewhere {
                    authority: 3,
                    stays: vec![1]
                }
            ]
        );
        assert!(!r.take_label(2, 1), "authority 2 got no contacts at stay 1");
        assert!(!r.take_label(4, 0), "authority 4 got no contacts");
        assert!(r.take_label(2, 3));
        assert!(!r.take_label(2, 3), "once per stay and authority");
        assert!(r.take_label(3, 1));
        assert_eq!(
            r.elsewhere(),
            vec![StaysElsewhere {
                authority: 2,
                stays: vec![0]
            }]
        );
        let again = CaseReach::parse(&r.to_json()).unwrap();
        assert_eq!(again, r);
        assert!(CaseReach::parse("{}").unwrap().elsewhere().is_empty());
    }
}
