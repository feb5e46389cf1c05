//! The authority directory: fetched from the TAG server, verified against the pinned root key,
//! kept in memory for an hour and in the store for offline use (verified again when read); and
//! which authority is responsible for a region.

use std::sync::{Arc, Mutex};

use spur_protocol::directory::{Authority, Directory};
use spur_protocol::fields::{printable, Region};
use spur_protocol::keys::SignPublicKey;

use crate::clock::Clock;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Db;
use crate::texts::Msg;
use crate::transport::Transport;

/// How long a fetched directory is used before it is fetched again.
const MAX_AGE: u64 = 3600;
/// Setting key of the last verified directory's bytes.
const SETTING: &str = "directory";

/// The directory source: network first, the stored copy offline.
pub(crate) struct Directories<T> {
    net: Arc<T>,
    db: Db,
    clock: Arc<dyn Clock>,
    root: SignPublicKey,
    cached: Mutex<Option<(u64, Directory)>>,
}

impl<T: Transport> Directories<T> {
    /// A source checking against the pinned `root` key.
    pub(crate) fn new(net: Arc<T>, db: Db, clock: Arc<dyn Clock>, root: SignPublicKey) -> Self {
        Self {
            net,
            db,
            clock,
            root,
            cached: Mutex::new(None),
        }
    }

    /// The verified directory: cached, fetched, or (offline) the stored copy.
    pub(crate) async fn get(&self) -> Result<Directory> {
        let now = self.clock.unix_seconds();
        if let Ok(cached) = self.cached.lock() {
            if let Some((at, d)) = cached.as_ref() {
                if now.saturating_sub(*at) < MAX_AGE {
                    return Ok(d.clone());
                }
            }
        }
        let fetched = match self.net.directory().await {
            Ok(bytes) => {
                let dir = Directory::verify(&bytes, &self.root)
                    .map_err(|_| Error::new(ErrorKind::Server, Msg::new("error-directory-bad")))?;
                self.db.lock()?.set_setting(SETTING, Some(&bytes))?;
                dir
            }
            Err(e) => {
                let stored = self.db.lock()?.setting(SETTING)?;
                match stored {
                    Some(bytes) => Directory::verify(&bytes, &self.root).map_err(|_| {
                        Error::new(ErrorKind::Storage, Msg::new("error-directory-bad"))
                    })?,
                    None => return Err(e.into()),
                }
            }
        };
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((now, fetched.clone()));
        }
        Ok(fetched)
    }
}

/// The authority responsible for `region`: the one covering its postcode, or the default when
/// no postcode is given. A postcode no authority covers is refused with a message (a place
/// needs a covering authority; a person may leave the postcode empty instead), so a typo is
/// said instead of silently routed to the default.
pub(crate) fn responsible(dir: &Directory, region: &Region, place: bool) -> Result<Authority> {
    let Some(postcode) = region.postcode else {
        return Ok(dir.route(None)?.clone());
    };
    match dir.covering(region) {
        Some(a) => Ok(a.clone()),
        None => {
            let msg = if place {
                Msg::new("place-postcode-not-covered")
            } else {
                let default = dir.route(None)?;
                Msg::new("postcode-not-covered").text("default", printable(&default.name))
            };
            Err(Error::input(
                msg.text("postcode", postcode.as_str())
                    .text("country", region.country.as_str()),
            ))
        }
    }
}
