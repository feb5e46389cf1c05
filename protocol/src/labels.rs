//! Every domain-separation label in one place. A label names one use of one key; docs/protocol.md
//! lists them with the layer they protect.

/// OP layer of every upload.
pub const OP_REGISTRATION: &str = "op/registration";
/// OP layer of a place record.
pub const OP_PLACE: &str = "op/place";
/// OP layer of a personal-code record.
pub const OP_PERSONAL: &str = "op/personal";
/// OP layer of a slot entry.
pub const OP_SLOT: &str = "op/slot-entry";
/// OP layer of a user entry.
pub const OP_USER: &str = "op/user-entry";
/// OP layer of a consent release.
pub const OP_CONSENT: &str = "op/consent-release";

/// AUTH layer around a user's contact data (phone, campus id, postcode, birth year).
pub const AUTH_CONTACT: &str = "auth/contact";
/// AUTH layer around a contact reference inside a slot entry or personal-code record.
pub const AUTH_CONTACT_REF: &str = "auth/contact-ref";
/// AUTH layer around a place's details.
pub const AUTH_PLACE: &str = "auth/place";
/// AUTH layer around a user entry's USR-encrypted visit.
pub const AUTH_USER: &str = "auth/user-entry";
/// AUTH layer of a consent release (the USR encryption keys of the released days).
pub const AUTH_CONSENT: &str = "auth/consent-release";
/// AUTH layer of a contact package the vault hands to an authority.
pub const AUTH_PACKAGE: &str = "auth/package";
/// A place label one desk hands another through the vault (`spur_wire::exchange::place_label`):
/// the sealed box to the receiving authority's AUTH key, and the Ed25519 label of the sending
/// authority's signature inside it (two key types, so one label cannot serve the other use).
pub const AUTH_PLACE_LABEL: &str = "auth/place-label";

/// TAG layer of a place record.
pub const TAG_PLACE: &str = "tag/place";
/// TAG layer of a personal-code record.
pub const TAG_PERSONAL: &str = "tag/personal";
/// SCAN layer of a slot entry.
pub const SCAN_SLOT: &str = "scan/slot-entry";
/// USR layer of a user entry.
pub const USR_VISIT: &str = "usr/visit";

/// Ed25519: the operator's signature over the authority directory.
pub const SIGN_DIRECTORY: &str = "spur/v1/sign/directory";
/// Ed25519: an authority's signature over a consent code.
pub const SIGN_CONSENT: &str = "spur/v1/sign/consent";
/// Ed25519: an authority's signature over a request for past TMP keys of a printed card.
pub const SIGN_TMP_HISTORY: &str = "spur/v1/sign/tmp-history";

/// SHA-256 prefix of a QR id's commitment to the code's data (place or personal).
pub const QR_COMMIT: &str = "spur/v1/qr-commit/";
/// `DeriveKeyPair` info of the TAG server's TMP-key POPRF key.
pub const TMP_POPRF: &str = "spur/v1/tmp-poprf";
/// Prefix of the POPRF info of a slot (followed by the slot, u32 big-endian); 12 bytes.
pub const TMP_INFO: &str = "spur/v1/tmp/";
/// HKDF info of the blind an authority derives for a card's history request.
pub const HISTORY_BLIND: &str = "spur/v1/history-blind";
/// HKDF info of each 32-byte block of the deterministic stream that blind is drawn from.
pub const HISTORY_BLIND_BLOCK: &str = "spur/v1/history-blind/block";
/// HKDF info turning a POPRF output into a TMP key.
pub const TMP_KEY: &str = "spur/v1/tmp-key";
/// HMAC label of a personal-code record's PIN check.
pub const PIN_CHECK: &str = "spur/v1/pin-check";

/// Every sealing/AEAD label, for tests that check a blob opens under its own label only.
pub const ALL_LAYER_LABELS: [&str; 19] = [
    OP_REGISTRATION,
    OP_PLACE,
    OP_PERSONAL,
    OP_SLOT,
    OP_USER,
    OP_CONSENT,
    AUTH_CONTACT,
    AUTH_CONTACT_REF,
    AUTH_PLACE,
    AUTH_USER,
    AUTH_CONSENT,
    AUTH_PACKAGE,
    AUTH_PLACE_LABEL,
    TAG_PLACE,
    TAG_PERSONAL,
    SCAN_SLOT,
    USR_VISIT,
    SIGN_CONSENT,
    SIGN_DIRECTORY,
];

/// SHA-256 prefix of a consent code's person check: `SHA-256(label ‖ nonce ‖ E.164 phone)[0..2]`
/// (docs/protocol.md §6). Deliberately only 16 bits: the app of another person refuses the code,
/// but a photo of the code does not confirm a guessed phone number.
pub const CONSENT_PERSON: &str = "spur/v1/consent-person/";

/// Ed25519: the sender's signature over an exchanged vault/desk file (`spur_wire::exchange`).
pub const PACKAGE_SIG: &str = "spur/v1/package-sig/";
/// SHA-256 prefix of a card trace's tag: the "nonce" under which vault and desk record the signed
/// TMP-history request of a card-only trace.
pub const CARD_TRACE: &str = "spur/v1/card-trace/";
/// SHA-256 prefix of the vault's audit-log line hashes.
pub const AUDIT_VAULT: &str = "spur/v1/audit/";
/// SHA-256 prefix of a desk's audit-log line hashes (a line cannot move between the two logs).
pub const AUDIT_DESK: &str = "spur/v1/desk-audit/";
/// SHA-256 prefix of the registration handle the POST server keeps instead of the registration
/// secret ([`crate::usr::registration_handle`]).
pub const REGISTRATION_HANDLE: &str = "spur/v1/registration-handle/";
/// HMAC label of the POST server's peppered copy of a PIN check (kept apart from the record).
pub const PIN_PEPPER: &str = "spur/v1/pin-pepper";

// Prefixes and labels of derivations (bytes as the vectors pin them).
/// HKDF info prefix of every sealed box; the layer label follows.
pub const SEAL_PREFIX: &str = "spur/v1/seal/";
/// HKDF info prefix of every AEAD key; the use label follows.
pub const AEAD_PREFIX: &str = "spur/v1/aead/";
/// SHA-256 prefix of the USR key's Argon2id salt (the phone number follows).
pub const USR_SALT: &str = "spur/v1/usr-salt/";
/// HKDF info prefix of the keys derived from USR (the key's label follows).
pub const USR_DERIVE: &str = "spur/v1/usr/";
/// HMAC label of a user's find-tags (minute and index follow).
pub const FIND_TAG: &str = "spur/v1/find-tag";
/// HKDF info prefix of the TAG server's derived secrets.
pub const TAG_SERVER: &str = "spur/v1/tag-server/";
/// HMAC label of a slot's SCAN key (the slot number follows).
pub const SCAN_KEY: &str = "spur/v1/scan";
/// Ed25519: the POST server's signature over an export file.
pub const SIGN_EXPORT: &str = "spur/v1/sign/export";
/// SHA-256 prefix of an export row's record id.
pub const RECORD_ID: &str = "spur/v1/record-id/";
/// SHA-256 prefix of what a case reached in the vault (`vault/src/reach.rs`).
pub const CASE_REACH: &str = "spur/v1/case-reach/";
