//! Making codes: a place's code (sealed place details uploaded under a fresh QR id) and a
//! person's code (temporary on the phone, or printed; optionally PIN-protected). This part
//! queues the code's record; `App` sends it, and checks the app lock before calling it.

use std::sync::Arc;

use rand_core::OsRng;
use spur_protocol::directory::Authority;
use spur_protocol::fields::{PlaceKind, Region};
use spur_protocol::qr::{Code, Payload, PersonalCode, PlaceCode};
use spur_protocol::record::place::{build_personal_record, build_place_record, PlaceDetails};
use spur_protocol::record::MAX_OWN_CODES;
use spur_protocol::tag::{QrCommitment, QrId, TagKey};
use zeroize::Zeroizing;

use crate::crypt::Column;
use crate::directory::{responsible, Directories};
use crate::error::{Error, ErrorKind, Result};
use crate::ground::Ground;
use crate::hex;
use crate::reasons::TextField;
use crate::register::{check_phone, check_region, check_text, Registration};
use crate::store::records::OwnCodeRow;
use crate::store::{outbox, Store};
use crate::texts::Msg;
use crate::transport::Transport;

/// Route of place and personal-code records.
pub const ROUTE_CODES: &str = spur_wire::api::routes::CODES;

/// What the person responsible for a place enters.
#[derive(Clone, Debug)]
pub struct PlaceForm {
    /// Phone number of the person responsible.
    pub responsible_phone: String,
    /// Country (ISO 3166 alpha-2).
    pub country: String,
    /// Postcode (required for a place).
    pub postcode: String,
    /// Name shown when scanning.
    pub name: String,
    /// Kind: one of `PlaceKind::ALL`.
    pub kind: PlaceKind,
    /// Optional address, building part or room.
    pub description: String,
}

/// A code this device made.
#[derive(serde::Serialize, Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct OwnCode {
    /// The URL in the QR code (carries the secret TAG key or PIN seed: show or print only).
    pub url: String,
    /// The QR id in hex.
    pub qr_id: String,
    /// Place name, or empty for a personal code.
    pub name: String,
    /// True for a personal code.
    pub personal: bool,
    /// True when the personal code needs its PIN.
    pub pin_protected: bool,
    /// True when made for printing.
    pub printable: bool,
    /// Unix seconds.
    pub created: u64,
}

/// What the device keeps of an own code (sealed).
#[derive(serde::Serialize, serde::Deserialize)]
struct OwnCodeSecret {
    url: String,
    /// The code's TAG key (for a PIN card: the key derived with the PIN, not the printed seed).
    tag: String,
    name: String,
    pin_protected: bool,
    printable: bool,
}

/// A place form whose fields passed every check, with the authority its postcode belongs to.
struct CheckedPlace {
    /// Country and postcode.
    region: Region,
    /// The trimmed name.
    name: String,
    /// The trimmed description.
    description: String,
    /// The authority covering the postcode.
    authority: Authority,
}

/// The flow that makes codes, and keeper of the codes this device made.
pub(crate) struct Codes<T> {
    ground: Ground<T>,
    directories: Arc<Directories<T>>,
    registration: Arc<Registration<T>>,
}

impl<T: Transport> Codes<T> {
    /// The flow over these parts.
    pub(crate) fn new(
        ground: Ground<T>,
        directories: Arc<Directories<T>>,
        registration: Arc<Registration<T>>,
    ) -> Self {
        Self {
            ground,
            directories,
            registration,
        }
    }

    /// The QR id of a code with commitment `c`, from the TAG server; refused unless it carries
    /// `c` (an id for other data would make the code unscannable).
    async fn qr_id_for(&self, c: QrCommitment) -> Result<QrId> {
        let ids = self.ground.net.qr_ids(vec![c]).await?;
        match ids.as_slice() {
            [id] if id.binds(&c) => Ok(*id),
            _ => Err(Error::new(
                ErrorKind::Server,
                Msg::new("error-server-answer"),
            )),
        }
    }

    /// Makes a place code and queues its sealed record. Needs the network (for the QR id).
    pub(crate) async fn create_place_code(&self, form: PlaceForm) -> Result<OwnCode> {
        let responsible_phone = check_phone(&form.responsible_phone)?;
        let CheckedPlace {
            region,
            name,
            description,
            authority,
        } = self.check_place_form(&form).await?;
        let tag = TagKey::random(&mut OsRng);
        let id = self
            .qr_id_for(QrCommitment::of_place(&tag, &region, &name))
            .await?;
        let details = PlaceDetails {
            responsible_phone,
            region,
            kind: form.kind,
            name: name.clone(),
            description,
        };
        let wire = build_place_record(
            &mut OsRng,
            &self.ground.config.op_key,
            (authority.id, &authority.seal),
            &id,
            &tag,
            &details,
        )?;
        let url = Payload {
            host: self.ground.config.host.clone(),
            code: Code::Place(PlaceCode {
                id,
                tag: tag.clone(),
                region,
                name: name.clone(),
            }),
        }
        .to_url()?;
        self.keep_code(
            id,
            1,
            &wire,
            OwnCodeSecret {
                url,
                tag: hex::encode(tag.expose()),
                name,
                pin_protected: false,
                printable: true,
            },
        )
    }

    /// Makes a personal code for this user. With a PIN (4–12 digits) the code carries only a seed
    /// and its TAG key needs the PIN, so a photo of a printed card is useless on its own.
    pub(crate) async fn create_personal_code(
        &self,
        pin: Option<String>,
        printable: bool,
    ) -> Result<OwnCode> {
        let account = self.registration.account()?.row;
        let dir = self.directories.get().await?;
        let home = dir
            .authority(account.home_authority)
            .ok_or(spur_protocol::ProtocolError::UnknownAuthority(
                account.home_authority,
            ))?
            .clone();
        let seed = TagKey::random(&mut OsRng);
        let pin_protected = pin.is_some();
        let id = self
            .qr_id_for(QrCommitment::of_personal(pin_protected, &seed))
            .await?;
        let tag = match pin.map(Zeroizing::new) {
            Some(pin) => {
                let cost = self.ground.config.kdf.cost();
                let seed2 = seed.clone();
                crate::rt::blocking(move || TagKey::from_pin(&seed2, &id, &pin, cost))
                    .await
                    .map_err(|_| Error::internal("PIN"))?
                    .map_err(|_| Error::input(Msg::new("pin-format")))?
            }
            None => seed.clone(),
        };
        let wire = build_personal_record(
            &mut OsRng,
            &self.ground.config.op_key,
            (home.id, &home.seal),
            &id,
            &tag,
            &account.registration_id,
            pin_protected,
        )?;
        let url = Payload {
            host: self.ground.config.host.clone(),
            code: Code::Personal(PersonalCode {
                id,
                key: seed,
                pin_protected,
            }),
        }
        .to_url()?;
        self.keep_code(
            id,
            2,
            &wire,
            OwnCodeSecret {
                url,
                tag: hex::encode(tag.expose()),
                name: String::new(),
                pin_protected,
                printable,
            },
        )
    }

    /// Keeps the code and queues its record, in one transaction.
    fn keep_code(&self, id: QrId, kind: u8, wire: &[u8], secret: OwnCodeSecret) -> Result<OwnCode> {
        let now = self.ground.clock.unix_seconds();
        let row = OwnCodeRow {
            qr_id: id.0,
            kind,
            created: now,
            sealed: self.ground.key.seal_json(Column::OwnCode, &secret)?,
        };
        let mut store = self.ground.db.lock()?;
        let tx = store.conn.transaction()?;
        Store::put_own_code_in(&tx, &row)?;
        outbox::queue(&tx, ROUTE_CODES, wire, None, now)?;
        tx.commit()?;
        Ok(own_code(&row, secret))
    }

    /// The codes this device made, newest first.
    pub(crate) fn own_codes(&self) -> Result<Vec<OwnCode>> {
        let rows = self.ground.db.lock()?.own_codes()?;
        rows.into_iter()
            .map(|r| {
                Ok(own_code(
                    &r,
                    self.ground.key.open_json(Column::OwnCode, &r.sealed)?,
                ))
            })
            .collect()
    }

    /// This user's personal codes (newest first, at most 8) with their TAG keys, as a consent
    /// release names them.
    pub(crate) fn personal_keys(&self) -> Result<Vec<(QrId, TagKey)>> {
        let rows = self.ground.db.lock()?.own_codes()?;
        let mut out = Vec::new();
        for r in rows.iter().filter(|r| r.kind == 2).take(MAX_OWN_CODES) {
            let s: OwnCodeSecret = self.ground.key.open_json(Column::OwnCode, &r.sealed)?;
            let tag = hex::decode::<16>(&s.tag, "own code")?;
            out.push((QrId(r.qr_id), TagKey::from_bytes(tag)));
        }
        Ok(out)
    }

    /// Checks a place form's country, postcode, name and description, and that an authority
    /// covers the postcode (from the pinned directory).
    async fn check_place_form(&self, form: &PlaceForm) -> Result<CheckedPlace> {
        if form.postcode.trim().is_empty() {
            return Err(Error::input(Msg::new("field-postcode-empty")));
        }
        let region = check_region(&form.country, Some(&form.postcode))?;
        let name = form.name.trim().to_owned();
        if name.is_empty() || name.len() > spur_protocol::qr::MAX_PLACE_NAME {
            return Err(Error::input(Msg::new("place-name-invalid")));
        }
        check_text(TextField::PlaceName, &name)?;
        let description = form.description.trim().to_owned();
        if description.len() > spur_protocol::record::place::MAX_DESCRIPTION {
            return Err(Error::input(Msg::new("place-description-invalid")));
        }
        check_text(TextField::Description, &description)?;
        // The protocol's own check of the name, in case it ever asks more than the above.
        spur_protocol::qr::validate_place_name(&name)
            .map_err(|_| Error::input(Msg::new("place-name-invalid")))?;
        let dir = self.directories.get().await?;
        let authority = responsible(&dir, &region, true)?;
        Ok(CheckedPlace {
            region,
            name,
            description,
            authority,
        })
    }
}

fn own_code(r: &OwnCodeRow, s: OwnCodeSecret) -> OwnCode {
    OwnCode {
        url: s.url,
        qr_id: hex::encode(&r.qr_id),
        name: s.name,
        personal: r.kind == 2,
        pin_protected: s.pin_protected,
        printable: s.printable,
        created: r.created,
    }
}
