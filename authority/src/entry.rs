//! An authority's directory entry as a JSON file: what the desk hands the operator to be signed
//! into the directory (`spur vault sign-directory`).

use spur_i18n::Msg;
use std::path::Path;

use serde::{Deserialize, Serialize};
use spur_protocol::directory::{Authority, PostcodeRange};
use spur_protocol::fields::{check_text, printable, Country, Postcode};
use spur_protocol::keys::{AuthorityKeys, SealPublicKey, SignPublicKey};
use spur_wire::exchange::Hex;

use crate::error::{DeskError, Result};

/// A postcode range: `DE:80000-81999` on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeEntry {
    /// Country code.
    pub country: String,
    /// First postcode.
    pub from: String,
    /// Last postcode.
    pub to: String,
}

impl RangeEntry {
    /// Parses `CC:FROM-TO`.
    pub fn parse(s: &str) -> Result<Self> {
        let bad =
            || DeskError::refused(Msg::new("desk-err-range-form").text("range", format!("{s:?}")));
        let (c, r) = s.split_once(':').ok_or_else(bad)?;
        let (a, b) = r.split_once('-').ok_or_else(bad)?;
        Ok(Self {
            country: c.to_owned(),
            from: a.to_owned(),
            to: b.to_owned(),
        })
    }
}

/// The entry file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// Authority id (1–65535).
    pub id: u16,
    /// Name shown to citizens.
    pub name: String,
    /// AUTH public key.
    pub seal: Hex,
    /// Signing public key.
    pub sign: Hex,
    /// Postcode ranges.
    pub ranges: Vec<RangeEntry>,
}

impl DirectoryEntry {
    /// The entry of an authority with these keys.
    pub fn new(id: u16, name: &str, keys: &AuthorityKeys, ranges: Vec<RangeEntry>) -> Self {
        Self {
            id,
            name: name.to_owned(),
            seal: Hex(keys.seal.public().to_bytes().to_vec()),
            sign: Hex(keys.sign.public().to_bytes().to_vec()),
            ranges,
        }
    }

    /// Reads an entry file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| DeskError::io(path, e))?;
        serde_json::from_str(&text)
            .map_err(|e| DeskError::bad_file("directory entry", e.to_string()))
    }

    /// The protocol's authority record (validates keys, countries and postcodes).
    pub fn to_authority(&self) -> Result<Authority> {
        if self.id == 0 {
            return Err(DeskError::refused(Msg::new("desk-err-id-zero")));
        }
        let key = |h: &Hex| {
            h.array::<32>()
                .ok_or_else(|| DeskError::bad_file("directory entry", "a key is not 32 bytes"))
        };
        if let Err(p) = check_text(&self.name) {
            return Err(DeskError::refused(
                Msg::new("desk-err-name")
                    .text("name", format!("{:?}", printable(&self.name)))
                    .text("reason", p.to_string()),
            ));
        }
        let mut ranges = Vec::new();
        for r in &self.ranges {
            let shown = format!(
                "{}:{}-{}",
                printable(&r.country),
                printable(&r.from),
                printable(&r.to)
            );
            let country = Country::check(r.country.trim()).map_err(|p| {
                DeskError::refused(
                    Msg::new("desk-err-range-country")
                        .text("range", shown.clone())
                        .text("reason", p.reason()),
                )
            })?;
            let end = |s: &str| {
                Postcode::check_in(country, s).map_err(|p| {
                    DeskError::refused(
                        Msg::new("desk-err-range-end")
                            .text("range", shown.clone())
                            .text("postcode", printable(s.trim()))
                            .text("reason", p.reason()),
                    )
                })
            };
            ranges.push(PostcodeRange {
                country,
                from: end(&r.from)?,
                to: end(&r.to)?,
            });
        }
        Ok(Authority {
            id: self.id,
            name: self.name.clone(),
            seal: SealPublicKey::from_bytes(key(&self.seal)?)?,
            sign: SignPublicKey::from_bytes(key(&self.sign)?)?,
            ranges,
        })
    }
}
