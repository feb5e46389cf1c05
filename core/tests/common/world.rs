//! One registered app with a place code, on real servers and one database file that outlives
//! any app opened on it: the start of the kill and offline tests. (Lints as set in `mod.rs`.)

use std::path::PathBuf;
use std::sync::Arc;

use spur_core::PlaceForm;
use spur_protocol::fields::PlaceKind;

use super::{form, open_app, Net, Servers, SharedClock, T0};

/// The place every check-in of these tests is made at.
pub fn mensa() -> PlaceForm {
    PlaceForm {
        responsible_phone: "+498912345678".into(),
        country: "DE".into(),
        postcode: "80331".into(),
        name: "Mensa".into(),
        kind: PlaceKind::Education,
        description: String::new(),
    }
}

/// Servers, the shared clock, the switchable network, the app's directory and the place's URL.
pub struct World {
    pub clock: SharedClock,
    pub s: Servers,
    pub net: Net,
    pub dir: tempfile::TempDir,
    pub url: String,
}

/// A registered user who created the [`mensa`] code (so the servers hold its records).
pub async fn world() -> World {
    let clock = SharedClock::new(T0);
    let s = Servers::start(Arc::new(clock.clone())).await;
    let net = Net::new(&s);
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(&dir.path().join("app.db"), &s, &net, &clock);
    app.register(form("+4915100000001")).await.unwrap();
    let url = app.create_place_code(mensa()).await.unwrap().url;
    World {
        clock,
        s,
        net,
        dir,
        url,
    }
}

impl World {
    /// The app's database file.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("app.db")
    }

    /// The app opened again on the same database, as after a restart.
    pub fn app(&self) -> spur_core::App<Net> {
        open_app(&self.db(), &self.s, &self.net, &self.clock)
    }
}
