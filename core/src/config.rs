//! The service an app talks to: code host, server URLs, the pinned operator and directory keys,
//! and the Argon2id cost.

use spur_protocol::keys::{SealPublicKey, SignPublicKey};
use spur_protocol::qr::{normalise_host, Code, Payload};
use spur_protocol::usr::{KdfCost, TEST_KDF, USR_KDF};

use crate::error::{Error, ErrorKind, Result};
use crate::http::check_base_url;
use crate::texts::Msg;

/// Which Argon2id cost derives keys from secrets and PINs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KdfChoice {
    /// The protocol's cost for real users ([`USR_KDF`]).
    Standard,
    /// The protocol's cheap test cost ([`TEST_KDF`]): tests and demos only, never real users.
    Test,
}

impl KdfChoice {
    /// The cost.
    pub fn cost(self) -> KdfCost {
        match self {
            Self::Standard => USR_KDF,
            Self::Test => TEST_KDF,
        }
    }
}

/// A checked configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Host the codes name (`spur.example`); scanned codes must name it too.
    pub host: String,
    /// TAG server base URL.
    pub tag_url: String,
    /// POST server base URL.
    pub post_url: String,
    /// The operator's OP key, pinned.
    pub op_key: SealPublicKey,
    /// The directory root key, pinned.
    pub directory_root: SignPublicKey,
    /// Argon2id cost.
    pub kdf: KdfChoice,
}

fn key32(hex: &str, what: &'static str) -> Result<[u8; 32]> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.trim().as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| Error::input(Msg::new("error-config-key").text("what", what)))
}

impl Config {
    /// Checks and parses the text form (keys as 64 hex digits).
    pub fn parse(
        host: &str,
        tag_url: &str,
        post_url: &str,
        op_key_hex: &str,
        directory_root_hex: &str,
        kdf: KdfChoice,
    ) -> Result<Self> {
        let host = normalise_host(host).map_err(|_| Error::input(Msg::new("error-config-host")))?;
        let op_key = SealPublicKey::from_bytes(key32(op_key_hex, "OP")?)
            .map_err(|_| Error::input(Msg::new("error-config-key").text("what", "OP")))?;
        let directory_root = SignPublicKey::from_bytes(key32(directory_root_hex, "directory")?)
            .map_err(|_| Error::input(Msg::new("error-config-key").text("what", "directory")))?;
        Ok(Self {
            host,
            tag_url: check_base_url(tag_url)?,
            post_url: check_base_url(post_url)?,
            op_key,
            directory_root,
            kdf,
        })
    }

    /// Parses a scanned text and checks that its code belongs to this service (names [`host`]).
    ///
    /// [`host`]: Config::host
    pub(crate) fn read_code(&self, text: &str) -> Result<Code> {
        let p = Payload::parse(text.trim())?;
        if p.host != self.host {
            return Err(Error::new(
                ErrorKind::NotASpurCode,
                Msg::new("error-other-service").text("host", p.host),
            ));
        }
        Ok(p.code)
    }
}
