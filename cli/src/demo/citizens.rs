//! The demo's citizens: one real app core per person (its own SQLite store), driven through the
//! facade the phone apps use (`spur_core::ffi::Spur`): registration, place codes and printed
//! cards, and check-ins made by decoding rendered camera frames.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use spur_core::ffi::{
    https, Host, KeyProvider, KeyStoreError, NetError, Network, PlaceForm, PlaceType,
    RegistrationForm, Spur, SpurConfig, Stay, Transport,
};
use spur_protocol::fields::PlaceKind;
use spur_protocol::tag::{Blinded, Evaluation, QrId};
use spur_protocol::time::{Minute, Slot};
use spur_qr::{Frame, Rotation, Scan};

use super::core_err::CoreResult;
use super::sim::{Code, World};
use super::stage::{Stage, HOST};

/// The demo's network for one phone: the real HTTP transport behind an on/off switch.
#[derive(Clone)]
pub struct PhoneNet {
    http: Arc<dyn Network>,
    online: Arc<AtomicBool>,
}

impl PhoneNet {
    fn up(&self) -> Result<(), NetError> {
        if self.online.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(NetError::Offline)
        }
    }
}

impl Transport for PhoneNet {
    async fn directory(&self) -> Result<Vec<u8>, NetError> {
        self.up()?;
        self.http.directory().await
    }
    async fn qr_ids(
        &self,
        commitments: Vec<spur_protocol::tag::QrCommitment>,
    ) -> Result<Vec<QrId>, NetError> {
        self.up()?;
        self.http.qr_ids(commitments).await
    }
    async fn pin_check(&self, id: QrId, check: [u8; 32]) -> Result<bool, NetError> {
        self.up()?;
        self.http.pin_check(id, check).await
    }
    async fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> Result<Vec<(Slot, Evaluation)>, NetError> {
        self.up()?;
        self.http.tmp_keys(blinded, slots).await
    }
    async fn upload(&self, route: &str, body: Vec<u8>) -> Result<(), NetError> {
        self.up()?;
        self.http.upload(route, body).await
    }
}

/// A phone's key store: the platform key of the demo's person, derived from their place in the
/// town so a run is repeatable (a phone keeps the key the core made; the demo never restarts a phone).
struct DemoKey(Vec<u8>);

impl KeyProvider for DemoKey {
    fn load(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        Ok(Some(self.0.clone()))
    }
    fn store(&self, _key: Vec<u8>) -> Result<(), KeyStoreError> {
        Err(KeyStoreError::Failed {
            detail: "the demo's key is fixed".into(),
        })
    }
}

/// The demo's Argon2id cost, on the app side and where the trace derives a PIN card's TAG key:
/// the cheap test cost in debug builds (the crowd registers in seconds), the real one in release
/// builds, which cannot choose the cheap one (`spur_core::ffi::Host`).
pub const KDF_COST: spur_protocol::usr::KdfCost = if cfg!(debug_assertions) {
    spur_protocol::usr::TEST_KDF
} else {
    spur_protocol::usr::USR_KDF
};

/// One simulated person's phone (or, for people without one, the kiosk app that printed their card).
pub struct Phone {
    /// The real app core, through its facade.
    pub app: Spur,
    net: PhoneNet,
    /// The secret the person registered with.
    pub secret: String,
}

impl Phone {
    /// Switches this phone's network.
    pub fn set_online(&self, on: bool) {
        self.net.online.store(on, Ordering::SeqCst);
    }
}

/// Every phone and every code of the town.
pub struct Citizens {
    /// One per person.
    pub phones: Vec<Phone>,
    /// URL of each place's code.
    pub place_urls: Vec<String>,
    /// URL of each person's printed card (people without a smartphone), with its PIN if any.
    pub card_urls: Vec<Option<(String, Option<String>)>>,
    /// Check-ins that were completed later because the phone was offline.
    pub offline_completed: usize,
    /// Frames decoded, and how many needed a second shot.
    pub frames: (usize, usize),
}

/// The campus id every third person registers with.
pub fn campus_id(person: usize) -> String {
    format!("ga{:05}", 40_000 + person)
}

/// Registers everyone through the real app core (cheap test KDF for the crowd, see the report).
pub async fn register(
    stage: &Stage,
    world: &World,
    progress: &dyn Fn(usize),
) -> Result<Vec<Phone>> {
    let http = https(&stage.tag_url, &stage.post_url()).core("HTTP client")?;
    // The app pins the operator's OP key and the directory root key.
    let op = data_encoding::HEXLOWER.encode(&stage.vault.op_public().to_bytes());
    let root = data_encoding::HEXLOWER.encode(&stage.vault.root_public().to_bytes());
    let mut phones = Vec::with_capacity(world.people.len());
    for (i, p) in world.people.iter().enumerate() {
        let config = SpurConfig {
            data_dir: stage
                .dir
                .join("phones")
                .join(format!("person-{i:03}"))
                .to_string_lossy()
                .into_owned(),
            host: HOST.into(),
            tag_url: stage.tag_url.clone(),
            post_url: stage.post_url(),
            op_public_key: op.clone(),
            directory_root_key: root.clone(),
            locale: "en".into(),
        };
        let net = PhoneNet {
            http: http.clone(),
            online: Arc::new(AtomicBool::new(true)),
        };
        let platform_key =
            spur_protocol::crypto::sha256(&[b"demo platform key", &(i as u64).to_be_bytes()]);
        let host = Host {
            net: Some(Arc::new(net.clone())),
            clock: Arc::new(stage.clock.clone()),
            #[cfg(debug_assertions)]
            cheap_kdf: true,
        };
        let app = Spur::with_host(config, &DemoKey(platform_key.to_vec()), host).core("app")?;
        // The passphrase the registration screen proposes, taken as a person would.
        let secret = app.propose_passphrase();
        let form = RegistrationForm {
            phone: p.phone.clone(),
            secret: secret.clone(),
            country: "DE".into(),
            postcode: Some(p.postcode.clone()),
            campus_id: (i % 3 == 0).then(|| campus_id(i)),
            birth_year: Some(1950 + (i as u16 * 7) % 55),
        };
        app.register(form)
            .await
            .core(&format!("registering person {i}"))?;
        phones.push(Phone { app, net, secret });
        progress(i + 1);
    }
    Ok(phones)
}

/// Creates the places' codes (each made by a citizen, the person responsible) and the printed
/// cards of the people without a smartphone (every third with a PIN).
pub async fn make_codes(
    world: &World,
    phones: &[Phone],
) -> Result<(Vec<String>, Vec<Option<(String, Option<String>)>>)> {
    let owners: Vec<usize> = (0..world.people.len())
        .filter(|&i| !world.people[i].card_only)
        .collect();
    let mut place_urls = Vec::new();
    for (n, place) in world.places.iter().enumerate() {
        let owner = owners[n % owners.len()];
        let form = PlaceForm {
            responsible_phone: world.people[owner].phone.clone(),
            country: "DE".into(),
            postcode: place.postcode.clone(),
            name: place.name.clone(),
            kind: PlaceType::from(PlaceKind::ALL[n % PlaceKind::ALL.len()]),
            description: format!("Demo street {}, ground floor", n + 1),
        };
        place_urls.push(
            phones[owner]
                .app
                .create_place_code(form)
                .await
                .core("place code")?
                .url,
        );
    }
    let mut cards = Vec::new();
    for (i, p) in world.people.iter().enumerate() {
        if !p.card_only {
            cards.push(None);
            continue;
        }
        let pin = (i % 3 == 0).then(|| format!("{:06}", 100_000 + i * 7919 % 900_000));
        let code = phones[i]
            .app
            .create_personal_code(pin.clone(), true)
            .await
            .core("printed card")?;
        cards.push(Some((code.url, pin)));
    }
    Ok((place_urls, cards))
}

/// What a camera sees: the code drawn into a 1280×720 frame at a varying angle, light and noise.
pub fn camera_frame(url: &str, seed: u64) -> Result<(usize, usize, Vec<u8>)> {
    let category = [
        spur_qr::synth::Category::Nominal,
        spur_qr::synth::Category::Rotation,
        spur_qr::synth::Category::Perspective,
        spur_qr::synth::Category::UnevenLight,
        spur_qr::synth::Category::Noise,
    ][(seed % 5) as usize];
    let s = spur_qr::synth::frame_for(url, category, 1280, 720, seed);
    if s.expected.is_none() {
        bail!("the code could not be drawn into a camera frame");
    }
    Ok((s.width, s.height, s.luma))
}

/// Points the camera at `url` until the decoder reads it (a person moves the phone and tries
/// again); returns the decoded text and the number of frames it took.
pub fn scan_with_camera(url: &str, seed: u64) -> Result<(String, usize)> {
    for attempt in 0..5u64 {
        let (w, h, luma) = camera_frame(url, seed.wrapping_mul(31).wrapping_add(attempt))?;
        let frame = Frame {
            width: w,
            height: h,
            stride: w,
            luma: &luma,
            rotation: Rotation::Deg0,
        };
        match spur_qr::decode_frame(&frame)? {
            Scan::Spur { text, .. } => return Ok((text, attempt as usize + 1)),
            other @ Scan::NotSpur { .. } => bail!(
                "the camera read a code that is not spur's: {}",
                other.message()
            ),
            Scan::Nothing => continue,
        }
    }
    bail!("five camera frames of a spur code could not be read")
}

/// A phone that was offline gets its network back and completes what it kept.
async fn back_online(c: &mut Citizens, who: usize) -> Result<()> {
    c.phones[who].set_online(true);
    c.phones[who]
        .app
        .sync()
        .await
        .core("sync after going online")?;
    c.offline_completed += 1;
    Ok(())
}

/// Everyone checks in at their stays, in time order, as the simulated clock moves. Offline phones
/// keep the scan and complete it two hours later.
pub async fn check_ins(
    stage: &Stage,
    world: &World,
    c: &mut Citizens,
    start: Minute,
    progress: &dyn Fn(usize),
) -> Result<()> {
    let mut pending: Vec<(Minute, usize)> = Vec::new();
    for (n, stay) in world.stays.iter().enumerate() {
        let at = start.plus(stay.from);
        // Phones that were offline get their network back in time order.
        pending.sort_by_key(|(t, _)| *t);
        while pending.first().is_some_and(|(t, _)| *t <= at) {
            let (t, who) = pending.remove(0);
            stage.clock.set(t);
            back_online(c, who).await?;
        }
        stage.clock.set(at);
        let (url, pin) = match stay.code {
            Code::Place(p) => (c.place_urls[p].clone(), None),
            Code::Card(owner) => c.card_urls[owner]
                .clone()
                .context("card of a person without one")?,
        };
        let (text, shots) = scan_with_camera(&url, n as u64)?;
        c.frames.0 += shots;
        c.frames.1 += usize::from(shots > 1);
        let phone = &c.phones[stay.person];
        if stay.offline {
            phone.set_online(false);
            pending.push((at.plus(120), stay.person));
        }
        phone
            .app
            .check_in(text, Stay::Minutes(stay.to - stay.from), pin)
            .await
            .core(&format!(
                "check-in of person {} at minute {}",
                stay.person, stay.from
            ))?;
        progress(n + 1);
    }
    for (t, who) in pending {
        stage.clock.set(stage.clock.now().max(t));
        back_online(c, who).await?;
    }
    // A stay is sent once it is over (the app never claims presence ahead of time): after the
    // last stay has ended, every phone syncs once more.
    let last = world.stays.iter().map(|s| s.to).max().unwrap_or(0);
    stage.clock.set(stage.clock.now().max(start.plus(last)));
    for phone in &c.phones {
        phone
            .app
            .sync()
            .await
            .core("sync after the last stay ended")?;
    }
    Ok(())
}
