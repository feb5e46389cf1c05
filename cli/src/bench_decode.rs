//! `spur bench decode`: spur's QR decoder beside ZBar and zxing-cpp on one generated corpus.
//!
//! The corpus (seeded, so every run draws the same frames) is written as PGM files with a
//! manifest; `benches/decode/peers.py` times the peers on those files, this command times
//! spur's decoder on the same pixels in memory and prints one table. With `--encoding` it
//! instead compares ECC levels and quiet zones for spur's own codes.

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use spur_qr::synth::{generate, longest_place_text, Category, Rng, Sample};
use spur_qr::{decode_frame, encode_with, Ecc, EncodeOptions, Frame};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options.
#[derive(clap::Args)]
pub struct Args {
    /// Frames per category and resolution.
    #[arg(long, default_value_t = 30)]
    frames: u64,
    /// Seed of the corpus.
    #[arg(long, default_value_t = 2020)]
    seed: u64,
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
            for i in 0..args.frames {
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
        "corpus: {} frames in {} ({:.0} s)",
        frames.len(),
        dir.display(),
        started.elapsed().as_secs_f64()
    );

    // spur's decoder on the same pixels, in memory: one round now, one after the peers, the
    // faster of the two counts (the peers' script also keeps the faster of two rounds).
    let mut results = time_spur(&frames);

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
    for (outcome, again) in results.iter_mut().zip(time_spur(&frames)) {
        outcome.ms = outcome.ms.min(again.ms);
    }
    let panics = results.iter().filter(|o| o.failed).count();
    let truth: HashMap<&str, &Sample> = frames.iter().map(|(f, s)| (f.as_str(), s)).collect();
    print_table(&results, &truth, &versions, args.frames);
    println!("spur decoder errors (caught panics): {panics}");
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

struct Outcome {
    file: String,
    decoder: String,
    texts: Vec<String>,
    ms: f64,
    failed: bool,
}

/// Times spur's decoder on every frame.
fn time_spur(frames: &[(String, Sample)]) -> Vec<Outcome> {
    let mut out = Vec::with_capacity(frames.len());
    for (file, s) in frames {
        let frame = Frame::tight(s.width, s.height, &s.luma);
        let t = Instant::now();
        let scan = decode_frame(&frame);
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

fn print_table(results: &[Outcome], truth: &HashMap<&str, &Sample>, versions: &str, n: u64) {
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
        let mut rows = vec![format!("{cat:<13} {res:>5}"), format!("{cat:<13}   all")];
        rows.push(format!("~ALL frames  {res:>5}"));
        if s.expected.is_some() {
            rows.push(format!("~with code   {res:>5}"));
            rows.push("~with code     all".to_string());
        }
        for row in rows {
            tallies
                .entry((row, o.decoder.clone()))
                .or_default()
                .add(o, s.expected.as_deref());
        }
    }
    let peers: Vec<&String> = decoders.iter().filter(|d| *d != "spur").collect();
    println!("\nQR decoding, {n} frames per category and resolution; {versions}");
    print!("{:<19}", "category");
    for d in &decoders {
        print!(" | {:>9} {:>5} {:>6} {:>6}", d, "false", "med ms", "p95 ms");
    }
    if !peers.is_empty() {
        print!(" | rate/best peer  med/fastest peer");
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
                    " | {:>9} {:>5} {:>6.2} {:>6.2}",
                    t.rate()
                        .map(|r| format!("{:.1}%", r * 100.0))
                        .unwrap_or_else(|| "-".into()),
                    t.false_decodes,
                    t.quantile(0.5),
                    t.quantile(0.95)
                ),
                None => print!(" | {:>9} {:>5} {:>6} {:>6}", "", "", "", ""),
            }
        }
        if let Some(spur) = tallies.get(&(row.clone(), "spur".to_string())) {
            let peer_tallies: Vec<&Tally> = peers
                .iter()
                .filter_map(|p| tallies.get(&(row.clone(), (*p).clone())))
                .collect();
            let best_rate = peer_tallies
                .iter()
                .filter_map(|t| t.rate())
                .fold(f64::NAN, f64::max);
            let fastest = peer_tallies
                .iter()
                .map(|t| t.quantile(0.5))
                .fold(f64::NAN, f64::min);
            if !peer_tallies.is_empty() {
                let rate = match spur.rate() {
                    Some(r) if best_rate > 0.0 => format!("{:.2}", r / best_rate),
                    _ => "-".into(),
                };
                print!(" | {rate:>14}  {:>16.2}", spur.quantile(0.5) / fastest);
            }
        }
        println!();
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
                let scan = decode_frame(&Frame::tight(s.width, s.height, &s.luma));
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
