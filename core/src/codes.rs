//! Making codes: a place's code (sealed place details uploaded under a fresh QR id) and a
//! person's code (temporary on the phone, or printed; optionally PIN-protected).

use rand_core::OsRng;
use spur_protocol::fields::PlaceKind;
use spur_protocol::qr::{Code, Payload, PersonalCode, PlaceCode};
use spur_protocol::record::place::{build_personal_record, build_place_record, PlaceDetails};
use spur_protocol::tag::{QrCommitment, QrId, TagKey};
use zeroize::Zeroizing;

use crate::app::App;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::register::check_phone;
use crate::store::outbox;
use crate::store::records::OwnCodeRow;
use crate::texts::Msg;
use crate::transport::{NetError, Transport};

/// Route of place and personal-code records.
pub const ROUTE_CODES: &str = "/v1/codes";

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
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
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
pub(crate) struct OwnCodeSecret {
    pub url: String,
    /// The code's TAG key (for a PIN card: the key derived with the PIN, not the printed seed).
    pub tag: String,
    pub name: String,
    pub pin_protected: bool,
    pub printable: bool,
}

impl<T: Transport> App<T> {
    /// The QR id of a code with commitment `c`, from the TAG server; refused unless it carries
    /// `c` (an id for other data would make the code unscannable).
    async fn qr_id_for(&self, c: QrCommitment) -> Result<QrId> {
        let ids = self.net.qr_ids(vec![c]).await?;
        match ids.as_slice() {
            [id] if id.binds(&c) => Ok(*id),
            _ => Err(Error::new(
                ErrorKind::Server,
                Msg::new("error-server-answer"),
            )),
        }
    }

    /// Checks a PIN card's PIN online: `Ok(true)` when the POST server confirms the card's PIN
    /// check, `Ok(false)` when it cannot be asked now (offline, busy, slow: check later), a
    /// [`Error::wrong_pin`] when it does not confirm (wrong PIN, or a card it does not know), and
    /// [`Error::pin_rate_limited`] after too many wrong PINs for this card within the hour.
    pub(crate) async fn confirm_pin(&self, id: &QrId, tag: &TagKey) -> Result<bool> {
        let asked = tokio::time::timeout(
            crate::checkin::KEYS_WAIT,
            self.net.pin_check(*id, tag.pin_check(id)),
        )
        .await;
        match asked {
            Ok(Ok(true)) => Ok(true),
            Ok(Ok(false)) => Err(Error::wrong_pin()),
            Ok(Err(NetError::Busy { status: 429 })) => Err(Error::pin_rate_limited()),
            _ => Ok(false),
        }
    }

    /// Makes a place code and uploads its sealed record. Needs the network (for the QR id).
    pub async fn create_place_code(&self, form: PlaceForm) -> Result<OwnCode> {
        self.ensure_unlocked()?;
        let responsible_phone = check_phone(&form.responsible_phone)?;
        let crate::fields::CheckedPlace {
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
            &self.config.op_key,
            (authority.id, &authority.seal),
            &id,
            &tag,
            &details,
        )?;
        let url = Payload {
            host: self.config.host.clone(),
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
                tag: hex(tag.expose()),
                name,
                pin_protected: false,
                printable: true,
            },
        )
        .await
    }

    /// Makes a personal code for this user. With a PIN (4–12 digits) the code carries only a seed
    /// and its TAG key needs the PIN, so a photo of a printed card is useless on its own.
    pub async fn create_personal_code(
        &self,
        pin: Option<String>,
        printable: bool,
    ) -> Result<OwnCode> {
        self.ensure_unlocked()?;
        let (account, _, _) = self.account_secret()?;
        let dir = self.directory().await?;
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
                let cost = self.config.kdf.cost();
                let seed2 = seed.clone();
                tokio::task::spawn_blocking(move || TagKey::from_pin(&seed2, &id, &pin, cost))
                    .await
                    .map_err(|_| Error::internal("PIN"))?
                    .map_err(|_| Error::input(Msg::new("pin-format")))?
            }
            None => seed.clone(),
        };
        let wire = build_personal_record(
            &mut OsRng,
            &self.config.op_key,
            (home.id, &home.seal),
            &id,
            &tag,
            &account.registration_id,
            pin_protected,
        )?;
        let url = Payload {
            host: self.config.host.clone(),
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
                tag: hex(tag.expose()),
                name: String::new(),
                pin_protected,
                printable,
            },
        )
        .await
    }

    async fn keep_code(
        &self,
        id: QrId,
        kind: u8,
        wire: &[u8],
        secret: OwnCodeSecret,
    ) -> Result<OwnCode> {
        let now = self.now();
        let row = OwnCodeRow {
            qr_id: id.0,
            kind,
            created: now,
            sealed: self.key.seal_json(Column::OwnCode, &secret)?,
        };
        {
            let mut store = self.store()?;
            let tx = store.conn.transaction()?;
            crate::store::Store::put_own_code_in(&tx, &row)?;
            outbox::queue(&tx, ROUTE_CODES, wire, None, now)?;
            tx.commit()?;
        }
        let _ = self.send_due().await;
        Ok(own_code(&row, secret))
    }

    /// The words printed on a code's card: the place name and how to check in, or for a
    /// personal card what it is for (and that it needs the PIN).
    pub fn card_text(&self, url: &str) -> Result<crate::pdf::CardText> {
        Ok(match Payload::parse(url)?.code {
            Code::Place(p) => crate::pdf::CardText {
                title: p.name,
                lines: vec![self.say(&Msg::new("card-place-instructions"))],
            },
            Code::Personal(c) => {
                let mut lines = vec![self.say(&Msg::new("card-instructions"))];
                if c.pin_protected {
                    lines.push(self.say(&Msg::new("card-pin-note")));
                }
                crate::pdf::CardText {
                    title: self.say(&Msg::new("card-title")),
                    lines,
                }
            }
            Code::Consent(_) => return Err(Error::input(Msg::new("error-not-spur"))),
        })
    }

    /// The codes this device made, newest first.
    pub fn own_codes(&self) -> Result<Vec<OwnCode>> {
        self.ensure_unlocked()?;
        let rows = self.store()?.own_codes()?;
        rows.into_iter()
            .map(|r| {
                Ok(own_code(
                    &r,
                    self.key.open_json(Column::OwnCode, &r.sealed)?,
                ))
            })
            .collect()
    }
}

fn hex(b: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(b)
}

fn own_code(r: &OwnCodeRow, s: OwnCodeSecret) -> OwnCode {
    OwnCode {
        url: s.url,
        qr_id: hex(&r.qr_id),
        name: s.name,
        personal: r.kind == 2,
        pin_protected: s.pin_protected,
        printable: s.printable,
        created: r.created,
    }
}
