//! The two things the flows need from an async runtime, behind one door: running slow key
//! derivations (Argon2id) off the async threads, and a timeout. Natively that is tokio's
//! blocking pool and timer; in the browser (wasm32: one thread, no tokio timer) the work runs
//! inline and the timeout is a JS timer. The flows call only these, so they are the same code
//! on every platform.

use std::future::Future;
use std::time::Duration;

/// A timeout ran out before the future finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Elapsed;

/// The blocking job could not be run to its end (natively: the pool's task panicked or was
/// cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JobFailed;

/// Runs `f` (CPU-bound, seconds at most) where it does not stall other tasks, and gives its
/// result.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, JobFailed>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|_| JobFailed)
}

/// Runs `f` inline: the browser's main thread has no pool to hand it to, and the page's own
/// work waits for the result anyway (the shell shows a spinner while the promise is pending).
#[cfg(target_arch = "wasm32")]
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, JobFailed>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Ok(f())
}

/// `fut`'s output, or [`Elapsed`] when it takes longer than `limit`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn timeout<F: Future>(limit: Duration, fut: F) -> Result<F::Output, Elapsed> {
    tokio::time::timeout(limit, fut).await.map_err(|_| Elapsed)
}

/// `fut`'s output, or [`Elapsed`] when a JS timer of `limit` fires first.
#[cfg(target_arch = "wasm32")]
pub(crate) async fn timeout<F: Future>(limit: Duration, fut: F) -> Result<F::Output, Elapsed> {
    use futures_util::future::{select, Either};
    let fut = std::pin::pin!(fut);
    // The timer holds a JS promise (not `Send`); the flows' futures must stay `Send` for the
    // uniffi export, and the page polls them on its one thread.
    let timer = std::pin::pin!(send_wrapper::SendWrapper::new(js_timer(limit)));
    match select(fut, timer).await {
        Either::Left((out, _)) => Ok(out),
        Either::Right(((), _)) => Err(Elapsed),
    }
}

/// Resolves after `limit` by the global `setTimeout` (window or worker). Where there is none,
/// it never resolves, and the timed future alone decides (fetch has its own timeouts).
#[cfg(target_arch = "wasm32")]
async fn js_timer(limit: Duration) {
    let ms = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let global = js_sys::global();
        let set = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .filter(|f| f.is_function())
            .map(js_sys::Function::from);
        if let Some(set) = set {
            let _ = set.call2(&global, &resolve, &ms.into());
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_quick_future_beats_its_timeout_and_a_slow_one_does_not() {
        assert_eq!(timeout(Duration::from_secs(5), async { 7 }).await, Ok(7));
        let slow = tokio::time::sleep(Duration::from_secs(5));
        assert_eq!(timeout(Duration::from_millis(10), slow).await, Err(Elapsed));
    }

    #[tokio::test]
    async fn a_blocking_job_gives_its_result() {
        assert_eq!(blocking(|| 6 * 7).await, Ok(42));
    }
}
