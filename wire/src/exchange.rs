//! The files vault and authority desks hand each other: signed by the sender, sealed to the
//! receiver (`spur_protocol::trace::seal_package`), so they are safe on a USB stick or in e-mail.
//!
//! ```text
//! file  = "SPURPKG\0" || version u8 (1) || kind u8 || from u16 || to u16 || sealed
//! inner = kind u8 || from u16 || to u16 || json_len u32 || json || Ed25519 signature (64)
//! ```
//! `from`/`to` are authority ids; 0 is the vault. The header is repeated inside the seal so it
//! cannot be swapped; the signature (vault: directory root key, desk: the authority's signing key
//! from the directory, label [`spur_protocol::labels::PACKAGE_SIG`]) says who made the file. The
//! JSON bodies are in [`body`]; what else both parties must agree on (key-file kinds, case
//! references, card-trace tags, stay buckets) is in [`layout`].

pub mod body;
pub mod error;
pub mod hex;
pub mod layout;
pub mod place_label;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use spur_protocol::keys::{SealPublicKey, SealSecretKey, SignPublicKey, SignSecretKey};
use spur_protocol::labels::PACKAGE_SIG;
use spur_protocol::trace::{open_package, seal_package};

pub use body::*;
pub use error::ExchangeError;
pub use hex::Hex;
pub use layout::*;
pub use place_label::{PlaceLabel, PLACE_LABEL_PLAIN, PLACE_LABEL_SEALED};

/// The party id of the vault in `from`/`to`.
pub const VAULT: u16 = 0;
/// File magic.
pub const MAGIC: &[u8; 8] = b"SPURPKG\0";
/// Format version.
pub const VERSION: u8 = 1;
/// Largest JSON body a file may carry (refused before parsing).
const MAX_JSON: usize = 256 << 20;

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PackageKind {
    /// Vault → consenting authority: the release's AUTH part and the user entries found.
    Consent = 1,
    /// Authority → vault: the SCAN keys of the case's stays.
    ScanKeys = 2,
    /// Vault → a contact's authority: the contacts found, references still sealed to it.
    Contacts = 3,
    /// Authority → vault: records to resolve (registrations, places, personal codes).
    ResolveRequest = 4,
    /// Vault → authority: the resolved records, still sealed to the authority or TAG.
    ResolveAnswer = 5,
    /// Vault → the infected person's home authority: user-entry AUTH layers the consenting
    /// authority cannot open (they are sealed to the home authority), to take the AUTH layer off.
    Relay = 6,
    /// Home authority → vault → consenting authority: those entries' USR layers, which only the
    /// consenting authority opens (it holds the released encryption keys).
    Relayed = 7,
}

impl PackageKind {
    fn from_byte(b: u8) -> Option<Self> {
        [
            Self::Consent,
            Self::ScanKeys,
            Self::Contacts,
            Self::ResolveRequest,
            Self::ResolveAnswer,
            Self::Relay,
            Self::Relayed,
        ]
        .into_iter()
        .find(|k| *k as u8 == b)
    }

    /// Lower-case name for file names and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::ScanKeys => "scan-keys",
            Self::Contacts => "contacts",
            Self::ResolveRequest => "resolve-request",
            Self::ResolveAnswer => "resolve-answer",
            Self::Relay => "relay",
            Self::Relayed => "relayed",
        }
    }
}

/// The clear header of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Kind.
    pub kind: PackageKind,
    /// Sender (0 = vault).
    pub from: u16,
    /// Receiver (0 = vault).
    pub to: u16,
}

fn header(e: &Envelope) -> [u8; 5] {
    let f = e.from.to_be_bytes();
    let t = e.to.to_be_bytes();
    [e.kind as u8, f[0], f[1], t[0], t[1]]
}

/// Makes a file: JSON body, signed by `signer`, sealed to `to_key`.
pub fn seal<T: Serialize>(
    rng: &mut impl rand_core::CryptoRngCore,
    env: Envelope,
    to_key: &SealPublicKey,
    signer: &SignSecretKey,
    body: &T,
) -> Result<Vec<u8>, ExchangeError> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(body).map_err(|e| ExchangeError::Encode(e.to_string()))?,
    );
    let h = header(&env);
    let len = u32::try_from(json.len()).map_err(|_| ExchangeError::TooLarge)?;
    let mut inner = zeroize::Zeroizing::new(Vec::with_capacity(json.len() + 80));
    inner.extend_from_slice(&h);
    inner.extend_from_slice(&len.to_be_bytes());
    inner.extend_from_slice(&json);
    let sig = signer.sign(PACKAGE_SIG, &inner);
    inner.extend_from_slice(&sig);
    let sealed = seal_package(rng, to_key, &inner)?;
    let mut out = MAGIC.to_vec();
    out.push(VERSION);
    out.extend_from_slice(&h);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Reads the clear header without opening anything.
pub fn peek(bytes: &[u8]) -> Result<Envelope, ExchangeError> {
    if bytes.len() < 14 || bytes.get(..8) != Some(MAGIC.as_slice()) {
        return Err(ExchangeError::NotAPackage);
    }
    if bytes[8] != VERSION {
        return Err(ExchangeError::Version);
    }
    let kind = PackageKind::from_byte(bytes[9]).ok_or(ExchangeError::UnknownKind)?;
    Ok(Envelope {
        kind,
        from: u16::from_be_bytes([bytes[10], bytes[11]]),
        to: u16::from_be_bytes([bytes[12], bytes[13]]),
    })
}

/// Opens a file meant for `me` of kind `expect`: checks the header, opens the seal with `key`,
/// checks the inner header and the sender's signature (`sender_key` gives the key of a sender id,
/// or the caller's own refusal) and parses the body. Any altered byte, another receiver's file or
/// a forged sender is refused.
pub fn open<T: DeserializeOwned, E: From<ExchangeError>>(
    bytes: &[u8],
    expect: PackageKind,
    me: u16,
    key: &SealSecretKey,
    sender_key: impl Fn(u16) -> Result<SignPublicKey, E>,
) -> Result<(Envelope, T), E> {
    let env = peek(bytes)?;
    if env.kind != expect {
        return Err(ExchangeError::WrongKind {
            found: env.kind,
            expected: expect,
        }
        .into());
    }
    if env.to != me {
        return Err(ExchangeError::NotForUs { to: env.to }.into());
    }
    let inner = open_package(key, bytes.get(14..).unwrap_or(&[]))
        .map_err(|_| ExchangeError::DoesNotOpen)?;
    let h = header(&env);
    if inner.len() < 5 + 4 + 64 || inner.get(..5) != Some(h.as_slice()) {
        return Err(ExchangeError::HeaderMismatch.into());
    }
    let len = u32::from_be_bytes([inner[5], inner[6], inner[7], inner[8]]) as usize;
    if len > MAX_JSON || inner.len() != 9 + len + 64 {
        return Err(ExchangeError::BadLength.into());
    }
    let (signed, sig) = inner.split_at(9 + len);
    let mut s = [0u8; 64];
    s.copy_from_slice(sig);
    sender_key(env.from)?
        .verify(PACKAGE_SIG, signed, &s, "package")
        .map_err(|_| ExchangeError::NotSignedBy { from: env.from })?;
    let body = serde_json::from_slice(&signed[9..])
        .map_err(|e| ExchangeError::Malformed(e.to_string()))?;
    Ok((env, body))
}

/// "the vault" or "authority N".
pub fn party(id: u16) -> String {
    if id == VAULT {
        "the vault".into()
    } else {
        format!("authority {id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    fn keys(seed: u8) -> (SealSecretKey, SignSecretKey) {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([seed; 32]);
        (
            SealSecretKey::generate(&mut rng),
            SignSecretKey::generate(&mut rng),
        )
    }

    fn file(
        rng: &mut rand_chacha::ChaCha20Rng,
        to: &SealSecretKey,
        sign: &SignSecretKey,
    ) -> Vec<u8> {
        let env = Envelope {
            kind: PackageKind::ResolveRequest,
            from: 3,
            to: VAULT,
        };
        let body = ResolveRequest {
            case_id: case_ref(3, "C-1"),
            places: vec![Hex(vec![1; 16])],
            ..ResolveRequest::default()
        };
        seal(rng, env, &to.public(), sign, &body).unwrap()
    }

    #[test]
    fn a_file_opens_for_its_receiver_from_its_sender_only() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([9; 32]);
        let (seal_key, sign) = keys(1);
        let (other_seal, other_sign) = keys(2);
        let bytes = file(&mut rng, &seal_key, &sign);
        assert_eq!(&bytes[..8], MAGIC);
        let env = peek(&bytes).unwrap();
        assert_eq!(
            (env.kind, env.from, env.to),
            (PackageKind::ResolveRequest, 3, VAULT)
        );
        let ok = |_: u16| Ok::<_, ExchangeError>(sign.public());
        let (_, body): (_, ResolveRequest) =
            open(&bytes, PackageKind::ResolveRequest, VAULT, &seal_key, ok).unwrap();
        assert_eq!(
            split_case_ref(&body.case_id).unwrap(),
            (3, "C-1".to_owned())
        );

        let e = open::<ResolveRequest, ExchangeError>(
            &bytes,
            PackageKind::ScanKeys,
            VAULT,
            &seal_key,
            ok,
        );
        assert!(matches!(e, Err(ExchangeError::WrongKind { .. })));
        let e = open::<ResolveRequest, ExchangeError>(
            &bytes,
            PackageKind::ResolveRequest,
            5,
            &seal_key,
            ok,
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            "package refused: this file is for the vault, not for us"
        );
        let e = open::<ResolveRequest, ExchangeError>(
            &bytes,
            PackageKind::ResolveRequest,
            VAULT,
            &other_seal,
            ok,
        );
        assert!(matches!(e, Err(ExchangeError::DoesNotOpen)));
        let forged = |_: u16| Ok::<_, ExchangeError>(other_sign.public());
        let e = open::<ResolveRequest, ExchangeError>(
            &bytes,
            PackageKind::ResolveRequest,
            VAULT,
            &seal_key,
            forged,
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            "package refused: it is not signed by authority 3"
        );
        let mut altered = bytes.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        let e = open::<ResolveRequest, ExchangeError>(
            &altered,
            PackageKind::ResolveRequest,
            VAULT,
            &seal_key,
            ok,
        );
        assert!(matches!(e, Err(ExchangeError::DoesNotOpen)));
    }

    #[test]
    fn a_bad_header_is_refused_before_opening() {
        assert!(matches!(peek(b"SPURPKG"), Err(ExchangeError::NotAPackage)));
        let mut h = MAGIC.to_vec();
        h.extend_from_slice(&[2, 1, 0, 0, 0, 0]);
        assert!(matches!(peek(&h), Err(ExchangeError::Version)));
        h[8] = VERSION;
        h[9] = 99;
        assert!(matches!(peek(&h), Err(ExchangeError::UnknownKind)));
    }
}
