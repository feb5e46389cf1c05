//! The JSON bodies of the exchanged files, one struct per package kind and their parts. Byte
//! strings are lower-case hex ([`Hex`]); new optional fields carry `#[serde(default)]` so older
//! files still parse.

use serde::{Deserialize, Serialize};

use super::hex::Hex;

/// A user entry the vault found by its find-tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundEntry {
    /// The minute its find-tag stands for.
    pub minute: u32,
    /// The AUTH layer (sealed to the user's home authority).
    pub auth_layer: Hex,
}

/// Vault → consenting authority: the releases that answer one consent code the desk issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPackage {
    /// The authority's case id (from the verified code).
    pub case_id: String,
    /// The consent code's nonce.
    pub nonce: Hex,
    /// One candidate per distinct release (releases with identical find keys merged); the desk
    /// checks each against its case register and takes the one made by the code's person.
    pub candidates: Vec<ConsentCandidate>,
}

/// One release (or several identical ones: the same registration on another device) answering
/// the code, with the user entries its find keys found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCandidate {
    /// The user's home authority (the user entries are sealed to it).
    pub home_authority: u16,
    /// The release's AUTH part (sealed to the consenting authority).
    pub release_auth_part: Hex,
    /// The user entries of the released days.
    pub user_entries: Vec<FoundEntry>,
    /// The released days (day numbers).
    pub days: Vec<u32>,
    /// How many identical releases were merged into this candidate.
    pub releases: u32,
    /// The AUTH parts of the other releases merged into this candidate (another device of the
    /// same registration may list other own personal codes): the desk checks each like the
    /// first and takes the union of their own codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_auth_parts: Vec<Hex>,
}

/// One stay of the case with its SCAN keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStay {
    /// The authority's number for this stay (copied into every contact it yields).
    pub stay: u32,
    /// 1 place, 2 personal code.
    pub code_kind: u8,
    /// The bucket region (12 encoded bytes; zeros for a personal code).
    pub bucket: Hex,
    /// Start of the infected person's stay (minute).
    pub time_in: u32,
    /// End of the stay (minute, exclusive).
    pub time_out: u32,
    /// True for a stay at the person's own code (everyone who scanned it that day).
    pub own_code: bool,
    /// Slots with their SCAN keys.
    pub keys: Vec<(u32, Hex)>,
}

/// Authority → vault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanKeyFile {
    /// Case id.
    pub case_id: String,
    /// Nonce of the consent (ties the file to a release the vault handled); empty for a card
    /// trace.
    pub nonce: Hex,
    /// Stays.
    pub stays: Vec<ScanStay>,
    /// The infected person's registration id sealed to their home authority (contact-reference
    /// seal): the vault hands it on in that authority's contacts file so the desk leaves exactly
    /// the person's own slot entries out. The vault cannot open it.
    #[serde(default)]
    pub infected_ref: Option<SealedRef>,
    /// For a card-only person (no app, no consent release): the authority's signed request for
    /// the card's past TMP keys (`spur_protocol::history`), accepted instead of a consent.
    #[serde(default)]
    pub card_request: Option<Hex>,
}

/// A contact reference sealed to one authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedRef {
    /// The authority it is sealed to.
    pub authority: u16,
    /// The sealed reference (`spur_protocol::record::place::seal_contact_ref`).
    pub sealed: Hex,
}

/// One contact found for a stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The stay of the case it overlaps.
    pub stay: u32,
    /// The infected person's stay (start, end) and whether it is at their own code.
    pub stay_in: u32,
    /// End of that stay.
    pub stay_out: u32,
    /// Whether the stay is at the infected person's own code.
    pub own_code: bool,
    /// Contact reference, sealed to the receiving authority.
    pub sealed_ref: Hex,
    /// The contact's region (12 encoded bytes; zeros when not given).
    pub region: Hex,
    /// Contact's check-in (minute).
    pub time_in: u32,
    /// Contact's check-out (minute).
    pub time_out: u32,
    /// Minutes of overlap with the infected person's stay.
    pub overlap_minutes: u32,
    /// True for the owner of a personal code the infected person scanned (forwarded by the
    /// consenting desk, not found in a slot entry).
    #[serde(default)]
    pub code_owner: bool,
}

/// Vault → the authority responsible for the contacts in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsPackage {
    /// The consenting authority's case id.
    pub case_id: String,
    /// The consenting authority.
    pub consenting_authority: u16,
    /// The infected person's registration id sealed to this authority, when it is their home
    /// authority: their own slot entries open like everyone's and are left out by this id.
    #[serde(default)]
    pub infected_ref: Option<Hex>,
    /// The contacts.
    pub contacts: Vec<ContactRecord>,
    /// Place labels the consenting desk sealed to this authority for stays it received contacts
    /// for ([`super::place_label`]); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub place_labels: Vec<SealedPlaceLabel>,
}

/// A place label sealed to the receiving authority, with the stay it names (the vault checks the
/// stay against what it sent that authority; the desk checks it against the signed label).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedPlaceLabel {
    /// The case's stay.
    pub stay: u32,
    /// The sealed label ([`super::PLACE_LABEL_SEALED`] bytes).
    pub sealed: Hex,
}

/// A place label for the vault to forward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardLabel {
    /// The authority it is sealed to.
    pub to: u16,
    /// The case's stay.
    pub stay: u32,
    /// The sealed label.
    pub sealed: Hex,
}

/// The stays of a case another authority received contacts for and has no place label of yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaysElsewhere {
    /// The authority.
    pub authority: u16,
    /// The case's stays.
    pub stays: Vec<u32>,
}

/// Authority → vault: what to resolve.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveRequest {
    /// Case id (for the audit log).
    pub case_id: String,
    /// Registration ids (16 bytes each) from opened contact references.
    pub registrations: Vec<Hex>,
    /// QR ids of places.
    pub places: Vec<Hex>,
    /// QR ids of personal codes.
    pub personal: Vec<Hex>,
    /// Owners of personal codes the infected person scanned whose contact reference is sealed to
    /// another authority: the vault sends each on to that authority in a contacts file.
    #[serde(default)]
    pub forward_owners: Vec<ForwardOwner>,
    /// User entries of the case sealed to another authority (the person's home authority): the
    /// vault relays them there to take the AUTH layer off.
    #[serde(default)]
    pub forward_entries: Option<ForwardEntries>,
    /// Place labels for other authorities, one per stay they received contacts for (what the
    /// answer's `elsewhere` listed): the vault sends each on in a contacts file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forward_labels: Vec<ForwardLabel>,
}

/// A card owner for another authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardOwner {
    /// The authority the reference is sealed to.
    pub to: u16,
    /// The case's stay at the card.
    pub stay: u32,
    /// Start of that stay (minute).
    pub stay_in: u32,
    /// End of that stay (minute).
    pub stay_out: u32,
    /// The owner's contact reference, sealed to `to`.
    pub sealed_ref: Hex,
}

/// User entries to relay to the authority they are sealed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardEntries {
    /// The authority they are sealed to.
    pub to: u16,
    /// The consent's nonce (the vault checks it handed that consent to the requester).
    pub nonce: Hex,
    /// The entries as the consent package gave them.
    pub entries: Vec<FoundEntry>,
}

/// Vault → home authority: user entries whose AUTH layer only it can take off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayPackage {
    /// The consenting authority's case id.
    pub case_id: String,
    /// The consenting authority (the USR layers go back to it).
    pub consenting_authority: u16,
    /// The consent's nonce.
    pub nonce: Hex,
    /// The entries (AUTH layers).
    pub entries: Vec<FoundEntry>,
}

/// A user entry with its AUTH layer taken off: the USR layer, readable only with the released
/// encryption key of its day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsrLayer {
    /// The minute its find-tag stands for (gives the day's key).
    pub minute: u32,
    /// The USR layer.
    pub usr_layer: Hex,
}

/// Home authority → vault, then vault → consenting authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayedPackage {
    /// The consenting authority's case id.
    pub case_id: String,
    /// The consenting authority.
    pub consenting_authority: u16,
    /// The consent's nonce.
    pub nonce: Hex,
    /// The USR layers.
    pub entries: Vec<UsrLayer>,
    /// Entries the home authority could not open either (sealed to yet another authority).
    pub unopened: u32,
}

/// A registration as resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedRegistration {
    /// Registration id.
    pub registration_id: Hex,
    /// Contact data sealed to the requesting authority.
    pub sealed_contact: Hex,
}

/// A place or personal-code record as resolved: TAG layers, opened only with the code's TAG key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedCode {
    /// QR id.
    pub qr_id: Hex,
    /// TAG layers of every record stored under the QR id.
    pub tag_layers: Vec<Hex>,
}

/// Vault → authority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveAnswer {
    /// Case id of the request.
    pub case_id: String,
    /// Registrations found (only those sealed to the requesting authority).
    pub registrations: Vec<ResolvedRegistration>,
    /// Places found.
    pub places: Vec<ResolvedCode>,
    /// Personal codes found.
    pub personal: Vec<ResolvedCode>,
    /// What was asked for and not found (deleted, expired or never uploaded), in words.
    pub missing: Vec<String>,
    /// Registrations asked for that will not be given, with the final reason (`deleted`,
    /// `other-authority`, `outside-case`): the desk marks them and does not ask again.
    #[serde(default)]
    pub gone: Vec<GoneRegistration>,
    /// For the consenting authority only: the other authorities its case sent contacts to, with
    /// the stays that have no place label yet (the desk answers with `forward_labels`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elsewhere: Vec<StaysElsewhere>,
}

/// A registration the vault will not give, and why (final: asking again gives the same answer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoneRegistration {
    /// Registration id as asked for.
    pub registration_id: Hex,
    /// `deleted` (deleted or expired), `other-authority` or `outside-case`.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(b: u8, n: usize) -> Hex {
        Hex(vec![b; n])
    }

    /// One of every body, with every field set: what the vault and the desks write today.
    fn bodies() -> Vec<(&'static str, String)> {
        let entry = FoundEntry {
            minute: 29_919_000,
            auth_layer: h(0xa1, 3),
        };
        let j = |v: serde_json::Result<String>| v.unwrap();
        vec![
            (
                "consent",
                j(serde_json::to_string(&ConsentPackage {
                    case_id: "M-1".into(),
                    nonce: h(0x01, 2),
                    candidates: vec![ConsentCandidate {
                        home_authority: 2,
                        release_auth_part: h(0x02, 2),
                        user_entries: vec![entry.clone()],
                        days: vec![20_777],
                        releases: 2,
                        more_auth_parts: vec![h(0x03, 1)],
                    }],
                })),
            ),
            (
                "scan-keys",
                j(serde_json::to_string(&ScanKeyFile {
                    case_id: "M-1".into(),
                    nonce: h(0x01, 2),
                    stays: vec![ScanStay {
                        stay: 1,
                        code_kind: 1,
                        bucket: h(0x04, 2),
                        time_in: 10,
                        time_out: 40,
                        own_code: false,
                        keys: vec![(5, h(0x05, 2))],
                    }],
                    infected_ref: Some(SealedRef {
                        authority: 2,
                        sealed: h(0x06, 1),
                    }),
                    card_request: None,
                })),
            ),
            (
                "contacts",
                j(serde_json::to_string(&ContactsPackage {
                    case_id: "M-1".into(),
                    consenting_authority: 1,
                    infected_ref: None,
                    contacts: vec![ContactRecord {
                        stay: 1,
                        stay_in: 10,
                        stay_out: 40,
                        own_code: true,
                        sealed_ref: h(0x07, 1),
                        region: h(0x00, 2),
                        time_in: 20,
                        time_out: 50,
                        overlap_minutes: 20,
                        code_owner: false,
                    }],
                    place_labels: vec![SealedPlaceLabel {
                        stay: 1,
                        sealed: h(0x10, 1),
                    }],
                })),
            ),
            (
                "resolve-request",
                j(serde_json::to_string(&ResolveRequest {
                    case_id: "1:M-1".into(),
                    registrations: vec![h(0x08, 1)],
                    places: vec![h(0x09, 1)],
                    personal: vec![],
                    forward_owners: vec![ForwardOwner {
                        to: 2,
                        stay: 1,
                        stay_in: 10,
                        stay_out: 40,
                        sealed_ref: h(0x0a, 1),
                    }],
                    forward_entries: Some(ForwardEntries {
                        to: 2,
                        nonce: h(0x01, 2),
                        entries: vec![entry.clone()],
                    }),
                    forward_labels: vec![ForwardLabel {
                        to: 2,
                        stay: 1,
                        sealed: h(0x11, 1),
                    }],
                })),
            ),
            (
                "resolve-answer",
                j(serde_json::to_string(&ResolveAnswer {
                    case_id: "1:M-1".into(),
                    registrations: vec![ResolvedRegistration {
                        registration_id: h(0x08, 1),
                        sealed_contact: h(0x0b, 1),
                    }],
                    places: vec![ResolvedCode {
                        qr_id: h(0x09, 1),
                        tag_layers: vec![h(0x0c, 1)],
                    }],
                    personal: vec![],
                    missing: vec!["1 place".into()],
                    gone: vec![GoneRegistration {
                        registration_id: h(0x0d, 1),
                        reason: "deleted".into(),
                    }],
                    elsewhere: vec![StaysElsewhere {
                        authority: 2,
                        stays: vec![1, 3],
                    }],
                })),
            ),
            (
                "relay",
                j(serde_json::to_string(&RelayPackage {
                    case_id: "M-1".into(),
                    consenting_authority: 1,
                    nonce: h(0x01, 2),
                    entries: vec![entry],
                })),
            ),
            (
                "relayed",
                j(serde_json::to_string(&RelayedPackage {
                    case_id: "M-1".into(),
                    consenting_authority: 1,
                    nonce: h(0x01, 2),
                    entries: vec![UsrLayer {
                        minute: 29_919_000,
                        usr_layer: h(0x0e, 1),
                    }],
                    unopened: 3,
                })),
            ),
        ]
    }

    /// The JSON of [`bodies`] as the vault crate wrote it before the format moved here: a changed
    /// field name, order or encoding breaks every file already on a USB stick. Changed on purpose
    /// once since: `place_labels`, `forward_labels` and `elsewhere` were added (absent when empty,
    /// so files without them still read and write the same: [`files_before_place_labels_read`]).
    const FROZEN: [(&str, &str); 7] = [
        (
            "consent",
            r#"{"case_id":"M-1","nonce":"0101","candidates":[{"home_authority":2,"release_auth_part":"0202","user_entries":[{"minute":29919000,"auth_layer":"a1a1a1"}],"days":[20777],"releases":2,"more_auth_parts":["03"]}]}"#,
        ),
        (
            "scan-keys",
            r#"{"case_id":"M-1","nonce":"0101","stays":[{"stay":1,"code_kind":1,"bucket":"0404","time_in":10,"time_out":40,"own_code":false,"keys":[[5,"0505"]]}],"infected_ref":{"authority":2,"sealed":"06"},"card_request":null}"#,
        ),
        (
            "contacts",
            r#"{"case_id":"M-1","consenting_authority":1,"infected_ref":null,"contacts":[{"stay":1,"stay_in":10,"stay_out":40,"own_code":true,"sealed_ref":"07","region":"0000","time_in":20,"time_out":50,"overlap_minutes":20,"code_owner":false}],"place_labels":[{"stay":1,"sealed":"10"}]}"#,
        ),
        (
            "resolve-request",
            r#"{"case_id":"1:M-1","registrations":["08"],"places":["09"],"personal":[],"forward_owners":[{"to":2,"stay":1,"stay_in":10,"stay_out":40,"sealed_ref":"0a"}],"forward_entries":{"to":2,"nonce":"0101","entries":[{"minute":29919000,"auth_layer":"a1a1a1"}]},"forward_labels":[{"to":2,"stay":1,"sealed":"11"}]}"#,
        ),
        (
            "resolve-answer",
            r#"{"case_id":"1:M-1","registrations":[{"registration_id":"08","sealed_contact":"0b"}],"places":[{"qr_id":"09","tag_layers":["0c"]}],"personal":[],"missing":["1 place"],"gone":[{"registration_id":"0d","reason":"deleted"}],"elsewhere":[{"authority":2,"stays":[1,3]}]}"#,
        ),
        (
            "relay",
            r#"{"case_id":"M-1","consenting_authority":1,"nonce":"0101","entries":[{"minute":29919000,"auth_layer":"a1a1a1"}]}"#,
        ),
        (
            "relayed",
            r#"{"case_id":"M-1","consenting_authority":1,"nonce":"0101","entries":[{"minute":29919000,"usr_layer":"0e"}],"unopened":3}"#,
        ),
    ];

    #[test]
    fn every_body_keeps_its_json() {
        let got = bodies();
        assert_eq!(got.len(), FROZEN.len());
        for ((kind, json), (want_kind, want)) in got.iter().zip(FROZEN) {
            assert_eq!((*kind, json.as_str()), (want_kind, want));
        }
    }

    #[test]
    fn files_before_place_labels_read() {
        let before = [
            r#"{"case_id":"M-1","consenting_authority":1,"infected_ref":null,"contacts":[]}"#,
            r#"{"case_id":"1:M-1","registrations":[],"places":[],"personal":[],"forward_owners":[],"forward_entries":null}"#,
            r#"{"case_id":"1:M-1","registrations":[],"places":[],"personal":[],"missing":[],"gone":[]}"#,
        ];
        let c: ContactsPackage = serde_json::from_str(before[0]).unwrap();
        assert!(c.place_labels.is_empty());
        assert_eq!(serde_json::to_string(&c).unwrap(), before[0]);
        let r: ResolveRequest = serde_json::from_str(before[1]).unwrap();
        assert!(r.forward_labels.is_empty());
        assert_eq!(serde_json::to_string(&r).unwrap(), before[1]);
        let a: ResolveAnswer = serde_json::from_str(before[2]).unwrap();
        assert!(a.elsewhere.is_empty());
        assert_eq!(serde_json::to_string(&a).unwrap(), before[2]);
    }

    #[test]
    fn frozen_bodies_parse_back() {
        let [consent, scan, contacts, request, answer, relay, relayed] = FROZEN.map(|(_, j)| j);
        let again = |v: String, want: &str| assert_eq!(v, want);
        again(
            serde_json::to_string(&serde_json::from_str::<ConsentPackage>(consent).unwrap())
                .unwrap(),
            consent,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<ScanKeyFile>(scan).unwrap()).unwrap(),
            scan,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<ContactsPackage>(contacts).unwrap())
                .unwrap(),
            contacts,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<ResolveRequest>(request).unwrap())
                .unwrap(),
            request,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<ResolveAnswer>(answer).unwrap()).unwrap(),
            answer,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<RelayPackage>(relay).unwrap()).unwrap(),
            relay,
        );
        again(
            serde_json::to_string(&serde_json::from_str::<RelayedPackage>(relayed).unwrap())
                .unwrap(),
            relayed,
        );
    }
}
