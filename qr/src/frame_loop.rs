//! A camera loop helper: decodes on a worker thread and skips frames offered while it is busy,
//! so a 30 fps camera never builds a queue and the shown result is always about a fresh frame.

use crate::classify::Scan;
use crate::decode::{decode_frame, DecodeError};
use crate::frame::{Frame, Rotation};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// What [`FrameLoop::offer`] did with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// The frame was copied and is being decoded.
    Accepted,
    /// The previous frame is still being decoded; this one was dropped.
    Skipped,
}

struct Job {
    width: usize,
    height: usize,
    luma: Vec<u8>,
    rotation: Rotation,
}

/// Decodes camera frames on one worker thread, one at a time, dropping frames offered while
/// it is busy. Results arrive in order through [`FrameLoop::poll`] or [`FrameLoop::wait`].
pub struct FrameLoop {
    jobs: Option<Sender<Job>>,
    results: Receiver<Result<Scan, DecodeError>>,
    busy: Arc<AtomicBool>,
    offered: AtomicU64,
    skipped: AtomicU64,
    worker: Option<JoinHandle<()>>,
}

impl FrameLoop {
    /// Starts the worker thread.
    pub fn new() -> std::io::Result<FrameLoop> {
        let (jobs, job_rx) = channel::<Job>();
        let (result_tx, results) = channel();
        let busy = Arc::new(AtomicBool::new(false));
        let worker_busy = Arc::clone(&busy);
        let worker = std::thread::Builder::new()
            .name("spur-qr-decode".into())
            .spawn(move || {
                for job in job_rx {
                    let frame = Frame {
                        width: job.width,
                        height: job.height,
                        stride: job.width,
                        luma: &job.luma,
                        rotation: job.rotation,
                    };
                    let result = decode_frame(&frame);
                    worker_busy.store(false, Ordering::Release);
                    if result_tx.send(result).is_err() {
                        break;
                    }
                }
            })?;
        Ok(FrameLoop {
            jobs: Some(jobs),
            results,
            busy,
            offered: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            worker: Some(worker),
        })
    }

    /// Offers a frame. When the worker is idle the frame is copied and decoded in the
    /// background; otherwise it is skipped at once. A malformed frame is refused here.
    pub fn offer(&self, frame: &Frame<'_>) -> Result<Offered, DecodeError> {
        self.offered.fetch_add(1, Ordering::Relaxed);
        if self
            .busy
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return Ok(Offered::Skipped);
        }
        let luma = match frame.to_tight() {
            Ok(l) => l,
            Err(e) => {
                self.busy.store(false, Ordering::Release);
                return Err(e.into());
            }
        };
        let job = Job {
            width: frame.width,
            height: frame.height,
            luma,
            rotation: frame.rotation,
        };
        match &self.jobs {
            Some(tx) if tx.send(job).is_ok() => Ok(Offered::Accepted),
            _ => {
                self.busy.store(false, Ordering::Release);
                Err(DecodeError::DecoderPanicked)
            }
        }
    }

    /// The next finished result, if any, without waiting.
    pub fn poll(&self) -> Option<Result<Scan, DecodeError>> {
        self.results.try_recv().ok()
    }

    /// The next finished result, waiting up to `timeout`.
    pub fn wait(&self, timeout: Duration) -> Option<Result<Scan, DecodeError>> {
        self.results.recv_timeout(timeout).ok()
    }

    /// Whether a frame is being decoded right now.
    pub fn is_busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }

    /// Frames offered and frames skipped so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.offered.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
        )
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}
