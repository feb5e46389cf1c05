//! The retention sweep: deletes everything recorded 28 or more days ago, hourly.

use std::sync::Arc;
use std::time::Duration;

use spur_protocol::time::{Day, RETENTION_DAYS};

use crate::clock::Clock;
use crate::store::{Store, StoreResult};

/// The oldest day kept on `today`: a record of day `d` is deleted on day `d + 28`, so nothing is
/// ever older than 28 days and nothing younger than 27 is touched.
pub fn keep_from(today: Day) -> Day {
    Day(today.0.saturating_sub(RETENTION_DAYS - 1))
}

/// One sweep now.
pub fn sweep_once(store: &dyn Store, clock: &dyn Clock) -> StoreResult<u64> {
    store.sweep(keep_from(clock.day()))
}

/// Sweeps at start and then every `every`, forever (run it as a task beside the server).
pub async fn run(store: Arc<dyn Store>, clock: Arc<dyn Clock>, every: Duration) {
    loop {
        let (s, c) = (store.clone(), clock.clone());
        let started = std::time::Instant::now();
        let done = tokio::task::spawn_blocking(move || sweep_once(s.as_ref(), c.as_ref())).await;
        let took = started.elapsed();
        let m = crate::metrics::metrics();
        match done {
            Ok(Ok(deleted)) => {
                m.sweep(Some(deleted));
                m.store("sweep", "ok", took);
                // A sweep that deleted nothing is not news (the metrics count every sweep).
                let millis = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
                if deleted > 0 {
                    tracing::info!(deleted, millis, "retention sweep");
                } else {
                    tracing::debug!(deleted, millis, "retention sweep");
                }
            }
            Ok(Err(e)) => {
                m.sweep(None);
                m.store("sweep", "error", took);
                tracing::error!(
                    reason = %crate::log::storage_reason(&e.to_string()),
                    "retention sweep failed, will retry"
                );
            }
            Err(_) => {
                m.sweep(None);
                tracing::error!("retention sweep failed, will retry");
            }
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary() {
        assert_eq!(keep_from(Day(100)), Day(73));
        assert_eq!(keep_from(Day(3)), Day(0));
    }
}
