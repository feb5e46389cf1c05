//! `spur dev camera-video`: a fake camera's video of a real place code, as a Y4M file Chromium's
//! fake capture device plays (`--use-file-for-fake-video-capture`), for the web shell's tests.
//!
//! The frames come from the decoder corpus's own renderer (`spur_qr::synth`): first a few frames
//! of a wall with no code (a camera being pointed), then the poster with the code, each frame seen
//! from a slightly different position, as a hand-held phone would. Y4M is YUV4MPEG2 with 4:2:0
//! chroma (`C420`): one luma plane and two chroma planes at half width and height; the frames are
//! grey, so the chroma planes are neutral (128).

use anyhow::{bail, Context, Result};
use spur_protocol::qr::Code;
use spur_qr::synth::{frame_for, generate, Category};
use spur_qr::{classify, EncodeOptions, Scan};
use std::io::Write;
use std::path::PathBuf;

/// Options of `spur dev camera-video`.
#[derive(clap::Args)]
pub struct Args {
    /// The place code's URL (`https://HOST/P#…`), as `spur app place-code` printed it.
    #[arg(long)]
    place_url: String,
    /// The Y4M file to write.
    #[arg(long)]
    out: PathBuf,
    /// Frame width in pixels (even).
    #[arg(long, default_value_t = 640)]
    width: usize,
    /// Frame height in pixels (even).
    #[arg(long, default_value_t = 480)]
    height: usize,
    /// Frames per second.
    #[arg(long, default_value_t = 15)]
    fps: u32,
    /// Frames without the code, before the code appears.
    #[arg(long, default_value_t = 10)]
    blank_frames: usize,
    /// Frames with the code.
    #[arg(long, default_value_t = 20)]
    code_frames: usize,
    /// Seed of the scene (the same seed draws the same video).
    #[arg(long, default_value_t = 16)]
    seed: u64,
}

/// Writes the video and prints `camera video: N frames WxH at F fps`.
pub fn run(a: Args) -> Result<()> {
    let Scan::Spur { payload, .. } = classify(a.place_url.clone()) else {
        bail!("--place-url is not a spur code");
    };
    if !matches!(payload.code, Code::Place(_)) {
        bail!("--place-url is not a place code");
    }
    let video = Video::new(a.width, a.height, a.fps)?;
    let file = std::fs::File::create(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let mut out = std::io::BufWriter::new(file);
    video.header(&mut out)?;
    for luma in frames(&a) {
        video.frame(&mut out, &luma)?;
    }
    out.flush()?;
    println!(
        "camera video: {} frames {}x{} at {} fps",
        a.blank_frames + a.code_frames,
        a.width,
        a.height,
        a.fps
    );
    Ok(())
}

/// The luma planes: `blank_frames` scenes without a code, then `code_frames` with the place's.
fn frames(a: &Args) -> impl Iterator<Item = Vec<u8>> + '_ {
    let blank = (0..a.blank_frames).map(move |i| {
        generate(
            Category::NoCode,
            a.width,
            a.height,
            a.seed,
            i as u64,
            EncodeOptions::SPUR,
        )
        .luma
    });
    let code = (0..a.code_frames).map(move |i| {
        frame_for(
            &a.place_url,
            Category::Nominal,
            a.width,
            a.height,
            a.seed.wrapping_add(i as u64),
        )
        .luma
    });
    blank.chain(code)
}

/// A YUV4MPEG2 stream's geometry.
struct Video {
    width: usize,
    height: usize,
    fps: u32,
}

impl Video {
    /// Checks the geometry: 4:2:0 needs even sides, and the renderer a sensible frame.
    fn new(width: usize, height: usize, fps: u32) -> Result<Video> {
        if !(16..=4096).contains(&width) || !(16..=4096).contains(&height) {
            bail!("the frame must be 16 to 4096 pixels on each side");
        }
        if !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            bail!("4:2:0 video needs an even width and height");
        }
        if !(1..=60).contains(&fps) {
            bail!("--fps must be 1 to 60");
        }
        Ok(Video { width, height, fps })
    }

    /// `YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420\n`: progressive, square pixels, 4:2:0.
    fn header(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "YUV4MPEG2 W{} H{} F{}:1 Ip A1:1 C420",
            self.width, self.height, self.fps
        )
    }

    /// Bytes of one frame's planes (without its `FRAME\n` line).
    fn frame_bytes(&self) -> usize {
        self.width * self.height + 2 * (self.width / 2) * (self.height / 2)
    }

    /// One frame: `FRAME\n`, the luma plane, then neutral U and V planes.
    fn frame(&self, out: &mut impl Write, luma: &[u8]) -> Result<()> {
        if luma.len() != self.width * self.height {
            bail!(
                "a frame of {} bytes is not {}x{}",
                luma.len(),
                self.width,
                self.height
            );
        }
        out.write_all(b"FRAME\n")?;
        out.write_all(luma)?;
        let chroma = vec![128u8; self.frame_bytes() - luma.len()];
        out.write_all(&chroma)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use spur_qr::{decode_frame, Frame};

    /// A real place code's URL, made by the protocol's encoder (bound id, TAG key, region).
    fn place_url() -> String {
        let mut rng = spur_qr::synth::Rng::new(3);
        spur_qr::synth::place_url(&mut rng, "spur.example", "Café Zur Linde", "80331").unwrap()
    }

    fn args(url: String, out: PathBuf) -> Args {
        Args {
            place_url: url,
            out,
            width: 320,
            height: 240,
            fps: 15,
            blank_frames: 3,
            code_frames: 4,
            seed: 7,
        }
    }

    /// Splits a Y4M file into its header line and its frames' planes, checking every marker.
    fn parse(bytes: &[u8], w: usize, h: usize) -> (String, Vec<Vec<u8>>) {
        let nl = bytes.iter().position(|b| *b == b'\n').unwrap();
        let header = String::from_utf8(bytes[..nl].to_vec()).unwrap();
        let size = w * h * 3 / 2;
        let mut rest = &bytes[nl + 1..];
        let mut frames = Vec::new();
        while !rest.is_empty() {
            assert!(
                rest.starts_with(b"FRAME\n"),
                "frame {} has no FRAME line",
                frames.len()
            );
            rest = &rest[6..];
            assert!(rest.len() >= size, "frame {} is cut short", frames.len());
            frames.push(rest[..size].to_vec());
            rest = &rest[size..];
        }
        (header, frames)
    }

    #[test]
    fn the_video_has_the_header_the_frames_and_the_code_decodes_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("cam.y4m");
        let url = place_url();
        run(args(url.clone(), out.clone())).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let (header, frames) = parse(&bytes, 320, 240);
        assert_eq!(header, "YUV4MPEG2 W320 H240 F15:1 Ip A1:1 C420");
        assert_eq!(frames.len(), 7);
        assert_eq!(bytes.len(), header.len() + 1 + 7 * (6 + 320 * 240 * 3 / 2));
        for (i, f) in frames.iter().enumerate() {
            // Grey frames: neutral chroma.
            assert!(f[320 * 240..].iter().all(|b| *b == 128), "frame {i}");
            let scan = decode_frame(&Frame::tight(320, 240, &f[..320 * 240])).unwrap();
            if i < 3 {
                assert_eq!(scan, Scan::Nothing, "frame {i} should show no code");
            } else {
                assert_eq!(
                    scan.text(),
                    Some(url.as_str()),
                    "frame {i} should show the code"
                );
            }
        }
    }

    #[test]
    fn refuses_what_is_not_a_place_code_and_odd_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("cam.y4m");
        for url in ["https://example.org/menu", "https://spur.example/P#AAAA"] {
            assert!(run(args(url.into(), out.clone())).is_err(), "{url}");
        }
        assert!(!out.exists());
        let mut odd = args(place_url(), out.clone());
        odd.width = 321;
        assert!(run(odd).is_err());
        assert!(Video::new(640, 480, 0).is_err());
    }
}
