//! A camera loop helper: decodes on a worker thread, skips frames offered while it is busy, and
//! keeps each frame within a time budget by dropping to cheaper passes after a frame ran over,
//! so a 30 fps camera never builds a queue and the shown result is always about a fresh frame.

use crate::cascade::Effort;
use crate::classify::Scan;
use crate::decode::{decode_frame_with, DecodeError};
use crate::frame::{Frame, Rotation};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One frame interval of a 30 fps camera: the default budget for decoding one frame.
pub const FRAME_BUDGET_30FPS: Duration = Duration::from_micros(33_333);

/// Frames in a row that must stay under half the budget before the pacer tries the next
/// dearer effort again (one probe every so many frames while the scene stays expensive).
pub const RECOVER_AFTER: u32 = 10;

/// Decoded frames in a row that must run over the budget before the pacer lowers the effort.
/// One expensive frame says little about the next (a blurred or noisy frame between easy
/// ones); lowering on it cost reads of hard codes at 1080p without saving dropped frames, since
/// the frame after an over-budget one is dropped anyway. An expensive *scene* (clutter in view)
/// stays expensive for many frames and is caught by the second one. A probe of a dearer effort
/// (after [`RECOVER_AFTER`] cheap frames) that runs over goes back down at once: the scene is
/// already known to be expensive.
pub const LOWER_AFTER: u32 = 2;

/// What [`FrameLoop::offer`] did with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// The frame was copied and is being decoded (with the effort [`FrameLoop::effort`]
    /// gave just before).
    Accepted,
    /// The previous frame is still being decoded; this one was dropped.
    Skipped,
}

/// The loop's scheduling, free of threads and clocks so that it can be simulated: whether a
/// frame arriving at a given time is decoded (and how hard) or dropped, and how the effort
/// follows the cost of the frames decoded so far.
#[derive(Clone, Debug)]
pub struct Pacer {
    budget: Duration,
    effort: Effort,
    /// Until when the decoder is busy: `None` when idle, `Some(None)` while a frame is in
    /// flight (end unknown), `Some(Some(t))` once it is known to end at `t`.
    busy: Option<Option<Duration>>,
    cheap_streak: u32,
    over_streak: u32,
    /// The effort was just raised after a run of cheap frames: the next frame is a probe.
    probing: bool,
}

impl Pacer {
    /// A pacer that starts at full effort and keeps each frame within `budget`.
    pub fn new(budget: Duration) -> Pacer {
        Pacer {
            budget,
            effort: Effort::Full,
            busy: None,
            cheap_streak: 0,
            over_streak: 0,
            probing: false,
        }
    }

    /// The effort the next decoded frame will get.
    pub fn effort(&self) -> Effort {
        self.effort
    }

    /// A frame arrives at `now` (any monotonic time base): the effort to decode it with, or
    /// `None` when the decoder is still busy with an earlier frame (the frame is dropped).
    pub fn arrive(&mut self, now: Duration) -> Option<Effort> {
        match self.busy {
            Some(None) => return None,
            Some(Some(end)) if end > now => return None,
            _ => {}
        }
        self.busy = Some(None);
        Some(self.effort)
    }

    /// The frame started at `started` with `effort` finished at `ended`. Over budget for
    /// [`LOWER_AFTER`] decoded frames in a row (or on a probe): the next frames get one step
    /// cheaper passes. At reduced effort and under half the budget for [`RECOVER_AFTER`]
    /// frames in a row: one step dearer again, and the next frame is a probe.
    pub fn finish(&mut self, effort: Effort, started: Duration, ended: Duration) {
        self.busy = Some(Some(ended));
        let cost = ended.saturating_sub(started);
        let probe = std::mem::take(&mut self.probing);
        if cost > self.budget {
            self.cheap_streak = 0;
            self.over_streak += 1;
            if probe || self.over_streak >= LOWER_AFTER {
                self.effort = effort.lower().min(self.effort);
                self.over_streak = 0;
            }
            return;
        }
        self.over_streak = 0;
        if cost <= self.budget / 2 && self.effort < Effort::Full {
            self.cheap_streak += 1;
            if self.cheap_streak >= RECOVER_AFTER {
                self.effort = self.effort.raise();
                self.cheap_streak = 0;
                self.probing = true;
            }
        } else {
            self.cheap_streak = 0;
        }
    }

    /// The decoder gave up on a frame without a cost to count (a malformed frame): idle again.
    pub fn abandon(&mut self) {
        self.busy = None;
    }
}

/// A monotonic clock for the loop; tests inject one that they move by hand.
pub trait Clock: Send + Sync {
    /// Time since an arbitrary fixed start.
    fn now(&self) -> Duration;
}

/// The real clock.
struct SystemClock(Instant);

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// The decoding function the worker calls; tests inject one with known costs.
pub type Decoder = Box<dyn FnMut(&Frame<'_>, Effort) -> Result<Scan, DecodeError> + Send>;

struct Job {
    width: usize,
    height: usize,
    luma: Vec<u8>,
    rotation: Rotation,
    effort: Effort,
}

/// Decodes camera frames on one worker thread, one at a time, dropping frames offered while
/// it is busy and lowering the effort after a frame ran over its time budget. Results arrive
/// in order through [`FrameLoop::poll`] or [`FrameLoop::wait`].
pub struct FrameLoop {
    jobs: Option<Sender<Job>>,
    results: Receiver<Result<Scan, DecodeError>>,
    pacer: Arc<Mutex<Pacer>>,
    clock: Arc<dyn Clock>,
    offered: AtomicU64,
    skipped: AtomicU64,
    worker: Option<JoinHandle<()>>,
}

impl FrameLoop {
    /// Starts the worker thread with the budget of one 30 fps frame interval.
    pub fn new() -> std::io::Result<FrameLoop> {
        FrameLoop::with_budget(FRAME_BUDGET_30FPS)
    }

    /// Starts the worker thread with a per-frame time budget.
    pub fn with_budget(budget: Duration) -> std::io::Result<FrameLoop> {
        FrameLoop::with_parts(
            budget,
            Arc::new(SystemClock(Instant::now())),
            Box::new(|f: &Frame<'_>, e| decode_frame_with(f, e)),
        )
    }

    /// Starts the worker thread with an injected clock and decoder (for simulations).
    pub fn with_parts(
        budget: Duration,
        clock: Arc<dyn Clock>,
        mut decoder: Decoder,
    ) -> std::io::Result<FrameLoop> {
        let (jobs, job_rx) = channel::<Job>();
        let (result_tx, results) = channel();
        let pacer = Arc::new(Mutex::new(Pacer::new(budget)));
        let (worker_pacer, worker_clock) = (Arc::clone(&pacer), Arc::clone(&clock));
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
                    let started = worker_clock.now();
                    let result = decoder(&frame, job.effort);
                    let ended = worker_clock.now();
                    lock(&worker_pacer).finish(job.effort, started, ended);
                    if result_tx.send(result).is_err() {
                        break;
                    }
                }
            })?;
        Ok(FrameLoop {
            jobs: Some(jobs),
            results,
            pacer,
            clock,
            offered: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            worker: Some(worker),
        })
    }

    /// Offers a frame. When the worker is idle the frame is copied and decoded in the
    /// background with the pacer's current effort; otherwise it is skipped at once. A
    /// malformed frame is refused here.
    pub fn offer(&self, frame: &Frame<'_>) -> Result<Offered, DecodeError> {
        self.offered.fetch_add(1, Ordering::Relaxed);
        let Some(effort) = lock(&self.pacer).arrive(self.clock.now()) else {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return Ok(Offered::Skipped);
        };
        let luma = match frame.to_tight() {
            Ok(l) => l,
            Err(e) => {
                lock(&self.pacer).abandon();
                return Err(e.into());
            }
        };
        let job = Job {
            width: frame.width,
            height: frame.height,
            luma,
            rotation: frame.rotation,
            effort,
        };
        match &self.jobs {
            Some(tx) if tx.send(job).is_ok() => Ok(Offered::Accepted),
            _ => {
                lock(&self.pacer).abandon();
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
        matches!(lock(&self.pacer).busy, Some(None))
    }

    /// The effort the next accepted frame will get.
    pub fn effort(&self) -> Effort {
        lock(&self.pacer).effort()
    }

    /// Frames offered and frames skipped so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.offered.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
        )
    }
}

/// The pacer's lock; a panic elsewhere cannot leave it inconsistent (every update is one
/// assignment), so a poisoned lock is used as it is.
fn lock(pacer: &Mutex<Pacer>) -> std::sync::MutexGuard<'_, Pacer> {
    pacer.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}
