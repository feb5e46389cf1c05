//! The vault's audit log keeps its head (number and hash of the last confirmed line) in the
//! vault's store, so cutting lines off the end of `audit.log` is detected. The log itself is the
//! mechanism shared with the desks (`spur_offline::audit`).

use spur_offline::audit::HeadStore;

use crate::error::VaultError;
use crate::store::Store;

/// The store's meta key of the head.
const HEAD_KEY: &str = "audit_head";

impl HeadStore for dyn Store {
    type Error = VaultError;
    fn head_get(&mut self) -> Result<Option<String>, VaultError> {
        self.meta_get(HEAD_KEY)
    }
    fn head_set(&mut self, head: &str) -> Result<(), VaultError> {
        self.meta_set(HEAD_KEY, head)
    }
}
