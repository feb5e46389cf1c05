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

#[cfg(test)]
mod tests {
    use spur_offline::audit::AuditLog;

    use crate::store::sqlite::SqliteStore;
    use crate::store::Store;

    #[test]
    fn the_head_in_the_store_catches_a_cut_off_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(&dir.path().join("audit.log"));
        let mut store = SqliteStore::in_memory().unwrap();
        let store: &mut dyn Store = &mut store;
        for i in 0..3 {
            log.append(store, "import", serde_json::json!({ "rows": i }))
                .unwrap();
        }
        assert_eq!(
            store.meta_get(super::HEAD_KEY).unwrap().unwrap()[..2],
            *"3 "
        );
        assert_eq!(log.verify(store).unwrap().lines, 3);
        let p = dir.path().join("audit.log");
        let text = std::fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text.lines().take(2).collect();
        std::fs::write(&p, kept.join("\n") + "\n").unwrap();
        let e = log.verify(store).unwrap_err().to_string();
        assert!(e.contains("cut off"), "{e}");
    }
}
