//! `spur bench decode`: spur's QR decoder beside ZBar and zxing-cpp (default and fast options)
//! on one generated corpus, and spur's frame loop on a simulated 30 fps stream.
//!
//! The corpus (seeded, so every run draws the same frames) is written as PGM files with a
//! manifest; `benches/decode/peers.py` times the peers on those files, this command times
//! spur's decoder on the same pixels in memory and prints one table with median, p95 and p99
//! per category and resolution. Frames without a code (plain and cluttered scenes) get
//! `--no-code-weight` times as many frames as each category with a code, as a camera delivers
//! mostly frames without one. With `--encoding` it instead compares ECC levels and quiet zones
//! for spur's own codes.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use spur_qr::cascade::Effort;
use spur_qr::decode::decode_frame_with;
use spur_qr::frame_loop::{Pacer, FRAME_BUDGET_30FPS};
use spur_qr::synth::{generate, longest_place_text, Category, Rng, Sample};
use spur_qr::{encode_with, Ecc, EncodeOptions, Frame};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options.
#[derive(clap::Args)]
pub struct Args {
    /// Frames per category with a code and resolution.
    #[arg(long, default_value_t = 30)]
    frames: u64,
    /// Frames without a code per frame of a category with one (plain and cluttered scenes).
    #[arg(long, default_value_t = 3)]
    no_code_weight: u64,
    /// Seed of the corpus (2020 is the tuning seed, 99 the held-out one).
    #[arg(long, default_value_t = 2020)]
    seed: u64,
    /// How many times slower than this machine the simulated phone's core is, for the
    /// frame-loop simulation.
    #[arg(long, default_value_t = 4.0)]
    phone_slowdown: f64,
    /// Directory for the corpus and the peers' results (default: a fresh temporary one).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Python interpreter for the peers (install them with scripts/bench-decode-peers.sh).
    #[arg(long, default_value = "python3")]
    python: String,
    /// The peers' script.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/decode/peers.py"))]
    peers_script: PathBuf,
    /// Only spur's decoder (no peers).
    #[arg(long)]
    no_peers: bool,
    /// Compare ECC levels and quiet zones of spur's codes instead of decoders.
    #[arg(long)]
    encoding: bool,
}

const RESOLUTIONS: [(usize, usize); 2] = [(1280, 720), (1920, 1080)];

/// Runs the command.
pub fn run(args: Args) -> Result<()> {
    if args.encoding {
        return encoding(&args);
    }
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("spur-bench-decode-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut frames = Vec::new();
    let started = Instant::now();
    let mut manifest = std::fs::File::create(dir.join("manifest.jsonl"))?;
    for &(w, h) in &RESOLUTIONS {
        for category in Category::ALL {
            let n = if category.has_code() {
                args.frames
            } else {
                args.frames * args.no_code_weight.max(1)
            };
            for i in 0..n {
                let s = generate(category, w, h, args.seed, i, EncodeOptions::SPUR);
                let file = format!("{}_{}p_{i:03}.pgm", category.name(), h);
                write_pgm(&dir.join(&file), &s)?;
                let line = json!({"file": file, "category": category.name(), "height": h,
                                  "expected": s.expected, "version": s.version});
                writeln!(manifest, "{line}")?;
                frames.push((file, s));
            }
        }
    }
    drop(manifest);
    eprintln!(
        "corpus: {} frames in {} ({:.0} s), seed {}",
        frames.len(),
        dir.display(),
        started.elapsed().as_secs_f64(),
        args.seed
    );

    // spur's decoder on the same pixels, in memory: one round now, one after the peers, the
    // faster of the two counts (the peers' script also keeps the faster of two rounds).
    let mut results = time_spur(&frames, Effort::Full);

    let mut versions = String::from("spur-qr (rxing 0.9 detector, own binarisation)");
    if !args.no_peers {
        eprintln!("running the peers ({})", args.peers_script.display());
        let out = std::process::Command::new(&args.python)
            .arg(&args.peers_script)
            .arg(dir.join("manifest.jsonl"))
            .arg(dir.join("peers.jsonl"))
            .output()
            .with_context(|| format!("starting {}", args.python))?;
        if !out.status.success() {
            bail!(
                "the peers' script failed (install them with scripts/bench-decode-peers.sh): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        versions.push_str(&format!(
            "; peers {}",
            String::from_utf8_lossy(&out.stdout).trim()
        ));
        let text = std::fs::read_to_string(dir.join("peers.jsonl"))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line)?;
            results.push(Outcome {
                file: v["file"].as_str().unwrap_or_default().to_string(),
                decoder: v["decoder"].as_str().unwrap_or_default().to_string(),
                texts: v["texts"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|t| t.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                ms: v["ms"].as_f64().unwrap_or(f64::NAN),
                failed: false,
            });
        }
    }
    for (outcome, again) in results.iter_mut().zip(time_spur(&frames, Effort::Full)) {
        outcome.ms = outcome.ms.min(again.ms);
    }
    let panics = results.iter().filter(|o| o.failed).count();
    let truth: HashMap<&str, &Sample> = frames.iter().map(|(f, s)| (f.as_str(), s)).collect();
    println!("\nload average at the end of the timed runs: {}", load());
    print_table(&results, &truth, &versions, &args);
    println!("spur decoder errors (caught panics): {panics}");
    stream(&frames, &args);
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// The 1-minute load average, to say under what load the figures were taken.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

struct Outcome {
    file: String,
    decoder: String,
    texts: Vec<String>,
    ms: f64,
    failed: bool,
}

/// Times spur's decoder on every frame with the passes of `effort`.
fn time_spur(frames: &[(String, Sample)], effort: Effort) -> Vec<Outcome> {
    let mut out = Vec::with_capacity(frames.len());
    for (file, s) in frames {
        let frame = Frame::tight(s.width, s.height, &s.luma);
        let t = Instant::now();
        let scan = decode_frame_with(&frame, effort);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let failed = scan.is_err();
        let texts = scan
            .ok()
            .and_then(|s| s.text().map(str::to_string))
            .into_iter()
            .collect();
        out.push(Outcome {
            file: file.clone(),
            decoder: "spur".into(),
            texts,
            ms,
            failed,
        });
    }
    out
}

#[derive(Default)]
struct Tally {
    frames: usize,
    with_code: usize,
    correct: usize,
    false_decodes: usize,
    ms: Vec<f64>,
}

impl Tally {
    fn add(&mut self, o: &Outcome, expected: Option<&str>) {
        self.frames += 1;
        self.ms.push(o.ms);
        if expected.is_some() {
            self.with_code += 1;
        }
        match expected {
            Some(want) if o.texts.iter().any(|t| t == want) => self.correct += 1,
            _ if o.texts.is_empty() => {}
            // Something else was read: a wrong text, or a code where there is none.
            _ => self.false_decodes += 1,
        }
    }
    fn rate(&self) -> Option<f64> {
        (self.with_code > 0).then(|| self.correct as f64 / self.with_code as f64)
    }
    fn quantile(&self, q: f64) -> f64 {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v.get(i).copied().unwrap_or(f64::NAN)
    }
}

fn print_table(results: &[Outcome], truth: &HashMap<&str, &Sample>, versions: &str, args: &Args) {
    // (row label, decoder) -> tally; rows: per category and resolution, then totals.
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut decoders: Vec<String> = Vec::new();
    for o in results {
        let Some(s) = truth.get(o.file.as_str()) else {
            continue;
        };
        if !decoders.contains(&o.decoder) {
            decoders.push(o.decoder.clone());
        }
        let res = format!("{}p", s.height);
        let cat = s.category.name();
        let mut rows = vec![format!("{cat:<13} {res:>5}")];
        rows.push(format!("~all frames  {res:>5}"));
        if s.expected.is_some() {
            rows.push(format!("~with code   {res:>5}"));
        } else {
            rows.push(format!("~no code     {res:>5}"));
        }
        for row in rows {
            tallies
                .entry((row, o.decoder.clone()))
                .or_default()
                .add(o, s.expected.as_deref());
        }
    }
    println!(
        "\nQR decoding, seed {}: {} frames per category with a code and resolution, {} per \
         category without; {versions}",
        args.seed,
        args.frames,
        args.frames * args.no_code_weight.max(1)
    );
    print!("{:<19}", "category");
    for d in &decoders {
        print!(
            " | {:>10} {:>5} {:>6} {:>6} {:>6}",
            d, "false", "med", "p95", "p99"
        );
    }
    let peer = |name: &str| decoders.iter().any(|d| d == name);
    let (default, fast) = (peer("zxing-cpp"), peer("zxing-fast"));
    if default && fast {
        print!(" | rate÷zx  p95÷zx p95÷fast");
    }
    println!();
    let rows: Vec<String> = {
        let mut r: Vec<String> = tallies.keys().map(|(row, _)| row.clone()).collect();
        r.dedup();
        r
    };
    for row in rows {
        print!("{:<19}", row.trim_start_matches('~'));
        for d in &decoders {
            match tallies.get(&(row.clone(), d.clone())) {
                Some(t) => print!(
                    " | {:>10} {:>5} {:>6.2} {:>6.2} {:>6.2}",
                    t.rate()
                        .map(|r| format!("{:.1}%", r * 100.0))
                        .unwrap_or_else(|| "-".into()),
                    t.false_decodes,
                    t.quantile(0.5),
                    t.quantile(0.95),
                    t.quantile(0.99)
                ),
                None => print!(" | {:>10} {:>5} {:>6} {:>6} {:>6}", "", "", "", "", ""),
            }
        }
        let get = |d: &str| tallies.get(&(row.clone(), d.to_string()));
        if let (Some(spur), Some(zx), Some(zf)) = (get("spur"), get("zxing-cpp"), get("zxing-fast"))
        {
            let rate = match (spur.rate(), zx.rate()) {
                (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
                _ => "-".into(),
            };
            print!(
                " | {rate:>7} {:>7.2} {:>8.2}",
                spur.quantile(0.95) / zx.quantile(0.95),
                spur.quantile(0.95) / zf.quantile(0.95)
            );
        }
        println!();
    }
}

/// Times every frame at the three efforts interleaved, frame by frame and round by round, so
/// that a change of the machine's load hits all three alike (timed in separate rounds, the
/// cheaper efforts once came out dearer than the full cascade on a loaded machine); two
/// rounds, the faster counts. Indexed by `Effort as usize`.
fn time_efforts(frames: &[(String, Sample)]) -> [Vec<Outcome>; 3] {
    let efforts = [Effort::Minimal, Effort::Reduced, Effort::Full];
    let mut out: [Vec<Outcome>; 3] = Default::default();
    for frame in frames {
        for (slot, effort) in out.iter_mut().zip(efforts) {
            let mut best: Option<Outcome> = None;
            for _ in 0..2 {
                for o in time_spur(std::slice::from_ref(frame), effort) {
                    if best.as_ref().is_none_or(|b| o.ms < b.ms) {
                        best = Some(o);
                    }
                }
            }
            slot.extend(best);
        }
    }
    out
}

/// The frame loop on a simulated 30 fps stream per resolution: the corpus's frames in a
/// seeded order (mostly without a code, as weighted), each decode costing what it cost here
/// at the effort chosen (all efforts timed interleaved), times `--phone-slowdown`; with and
/// without the frame budget.
fn stream(frames: &[(String, Sample)], args: &Args) {
    let [minimal, reduced, full] = time_efforts(frames);
    println!(
        "\nframe loop, simulated 30 fps stream (costs measured here × {} for a phone core; \
         budget {:.1} ms)",
        args.phone_slowdown,
        FRAME_BUDGET_30FPS.as_secs_f64() * 1e3
    );
    println!(
        "{:<6} {:<10} | {:>7} {:>7} {:>7} | {:>5} {:>7} {:>7} | coded frames read",
        "res", "budget", "offered", "decoded", "dropped", "full", "reduced", "minimal"
    );
    for &(_, h) in &RESOLUTIONS {
        let mut order: Vec<usize> = (0..frames.len())
            .filter(|i| frames.get(*i).is_some_and(|(_, s)| s.height == h))
            .collect();
        let mut rng = Rng::new(args.seed ^ 0x57_2EA4);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for budget in [None, Some(FRAME_BUDGET_30FPS)] {
            let mut pacer = Pacer::new(budget.unwrap_or(Duration::MAX));
            let (mut decoded, mut dropped, mut used) = (0, 0, [0usize; 3]);
            let (mut coded, mut read) = (0, 0);
            for (n, &i) in order.iter().enumerate() {
                let Some((_, sample)) = frames.get(i) else {
                    continue;
                };
                coded += usize::from(sample.expected.is_some());
                let now = Duration::from_micros(n as u64 * 33_333);
                let Some(effort) = pacer.arrive(now) else {
                    dropped += 1;
                    continue;
                };
                let outcome = match effort {
                    Effort::Full => full.get(i),
                    Effort::Reduced => reduced.get(i),
                    Effort::Minimal => minimal.get(i),
                };
                let Some(o) = outcome else { continue };
                let cost = Duration::from_secs_f64(o.ms * args.phone_slowdown / 1e3);
                pacer.finish(effort, now, now + cost);
                decoded += 1;
                used[effort as usize] += 1;
                if let Some(want) = &sample.expected {
                    read += usize::from(o.texts.iter().any(|t| t == want));
                }
            }
            println!(
                "{:<6} {:<10} | {:>7} {:>7} {:>7} | {:>5} {:>7} {:>7} | {read} of {coded}",
                format!("{h}p"),
                if budget.is_some() { "30 fps" } else { "none" },
                order.len(),
                decoded,
                dropped,
                used[Effort::Full as usize],
                used[Effort::Reduced as usize],
                used[Effort::Minimal as usize],
            );
        }
    }
}

fn write_pgm(path: &Path, s: &Sample) -> Result<()> {
    let mut bytes = format!("P5\n{} {}\n255\n", s.width, s.height).into_bytes();
    bytes.extend_from_slice(&s.luma);
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Compares ECC levels and quiet zones: the version of the longest place code, and spur's
/// decode rate on the categories where module size matters, at a fixed printed size.
fn encoding(args: &Args) -> Result<()> {
    let mut rng = Rng::new(args.seed);
    let ascii = longest_place_text(&mut rng, true).context("building the reference place code")?;
    let umlaut = longest_place_text(&mut rng, false).context("building the reference code")?;
    println!("reference place code ({} chars): {ascii}", ascii.len());
    for ecc in Ecc::ALL {
        let v = |t: &str| {
            encode_with(t, EncodeOptions { ecc, quiet_zone: 4 })
                .map(|m| m.version().to_string())
                .unwrap_or_else(|e| e.to_string())
        };
        println!(
            "ECC {ecc}: version {} (30-char ASCII name), {} (with umlauts, {} chars)",
            v(&ascii),
            v(&umlaut),
            umlaut.len()
        );
    }
    let categories = [
        Category::Nominal,
        Category::Perspective,
        Category::Blur,
        Category::Noise,
        Category::Glare,
        Category::Jpeg,
        Category::Small,
    ];
    let options: Vec<EncodeOptions> = [
        (Ecc::L, 4),
        (Ecc::M, 4),
        (Ecc::Q, 4),
        (Ecc::M, 2),
        (Ecc::M, 1),
    ]
    .into_iter()
    .map(|(ecc, quiet_zone)| EncodeOptions { ecc, quiet_zone })
    .collect();
    print!("\n{:<13}", "decode rate");
    for o in &options {
        print!(" | ECC {} qz {}", o.ecc, o.quiet_zone);
    }
    println!();
    for category in categories {
        print!("{:<13}", category.name());
        for o in &options {
            let mut ok = 0u64;
            for i in 0..args.frames {
                let s = generate(category, 1280, 720, args.seed, i, *o);
                let scan =
                    decode_frame_with(&Frame::tight(s.width, s.height, &s.luma), Effort::Full);
                if scan.ok().as_ref().and_then(|s| s.text()) == s.expected.as_deref() {
                    ok += 1;
                }
            }
            print!(" | {:>10.1}%", ok as f64 * 100.0 / args.frames as f64);
        }
        println!();
    }
    Ok(())
}
