//! The ground every flow stands on: the store, the local key, the transport, the clock and the
//! configuration, built once by `App::new` and shared by each flow (cloning shares, never copies).

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::crypt::LocalKey;
use crate::store::Db;

/// What every flow needs, in one place, so a flow's constructor takes this plus only the parts it
/// builds on. All fields are shared handles: a clone is five reference-count increments. Built
/// with a struct literal (one place does it, `App::new`), so no constructor repeats the list.
pub(crate) struct Ground<T> {
    /// The store, locked for one synchronous step at a time.
    pub(crate) db: Db,
    /// The key that seals this device's secrets at rest.
    pub(crate) key: Arc<LocalKey>,
    /// The way to the servers.
    pub(crate) net: Arc<T>,
    /// Where "now" comes from.
    pub(crate) clock: Arc<dyn Clock>,
    /// The app's configuration.
    pub(crate) config: Arc<Config>,
}

// Not derived: a derive would demand `T: Clone`, but only the `Arc` around `T` is cloned.
impl<T> Clone for Ground<T> {
    fn clone(&self) -> Self {
        Self {
            db: self.db.clone(),
            key: self.key.clone(),
            net: self.net.clone(),
            clock: self.clock.clone(),
            config: self.config.clone(),
        }
    }
}
