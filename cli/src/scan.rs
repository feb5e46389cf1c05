//! `spur scan`: decode a spur code from a picture (`--image FILE`) or a desktop camera
//! (`--camera`, needs the `camera` cargo feature: nokhwa), printing what was read.

use anyhow::{bail, Context, Result};
use spur_protocol::fields::printable;
use spur_protocol::qr::Code;
use spur_qr::{decode_picture, Scan};
use std::path::PathBuf;

/// Options.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["image", "camera"])))]
pub struct Args {
    /// A photo or screenshot (PNG or JPEG) of a spur code.
    #[arg(long)]
    image: Option<PathBuf>,
    /// Read frames from the first camera until a spur code is seen (binary built with
    /// `--features camera`).
    #[arg(long)]
    camera: bool,
    /// Camera index for `--camera`.
    #[arg(long, default_value_t = 0)]
    device: u32,
    /// Give up on the camera after this many seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// Runs the command.
pub fn run(args: Args) -> Result<()> {
    if let Some(path) = &args.image {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let scan = decode_picture(&bytes).with_context(|| format!("{}", path.display()))?;
        return report(&scan);
    }
    camera::run(args.device, args.timeout)
}

/// Prints a scan; an error (non-zero exit) unless it is a spur code. Everything read from the
/// code goes through [`printable`]: a foreign QR code's escape sequences or bidi controls are
/// shown as `\u{…}`, never sent to the terminal.
fn report(scan: &Scan) -> Result<()> {
    match scan {
        Scan::Spur { text, payload } => {
            println!("spur code: {}", printable(text));
            println!("host: {}", printable(&payload.host));
            match &payload.code {
                Code::Place(p) => println!(
                    "place: {} ({} {}), QR id {}",
                    printable(&p.name),
                    p.region.country.as_str(),
                    p.region
                        .postcode
                        .as_ref()
                        .map(|c| c.as_str())
                        .unwrap_or("-"),
                    p.id.to_hex()
                ),
                Code::Personal(c) => println!(
                    "personal code, QR id {}{}",
                    c.id.to_hex(),
                    if c.pin_protected {
                        ", protected by a PIN"
                    } else {
                        ""
                    }
                ),
                Code::Consent(_) => println!("consent code of a health authority"),
            }
            Ok(())
        }
        Scan::NotSpur { text, .. } => {
            bail!("{}\nread: {}", printable(&scan.message()), printable(text))
        }
        Scan::Nothing => bail!("{}", printable(&scan.message())),
    }
}

#[cfg(feature = "camera")]
mod camera {
    //! Desktop camera through nokhwa, frames fed to spur-qr's frame loop.
    use super::report;
    use anyhow::{anyhow, Result};
    use nokhwa::pixel_format::LumaFormat;
    use nokhwa::utils::{CameraIndex, RequestedFormat, RequestedFormatType};
    use nokhwa::Camera;
    use spur_qr::{Frame, FrameLoop, Scan};
    use std::time::{Duration, Instant};

    /// Shows every code it reads and stops at the first spur code.
    pub fn run(device: u32, timeout: u64) -> Result<()> {
        let format =
            RequestedFormat::new::<LumaFormat>(RequestedFormatType::AbsoluteHighestFrameRate);
        // No camera (no /dev/video*, or the device is busy) is an ordinary error, not a crash.
        let mut camera = Camera::new(CameraIndex::Index(device), format).map_err(|e| {
            anyhow!(
                "no camera found (device {device}: {e}); \
                 scan a photo instead with `spur scan --image FILE`"
            )
        })?;
        camera
            .open_stream()
            .map_err(|e| anyhow!("cannot start camera {device}: {e}"))?;
        let frames = FrameLoop::new()?;
        let started = Instant::now();
        let mut last_text = None;
        while started.elapsed() < Duration::from_secs(timeout) {
            let buffer = camera.frame().map_err(|e| anyhow!("camera stopped: {e}"))?;
            let image = buffer
                .decode_image::<LumaFormat>()
                .map_err(|e| anyhow!("bad frame: {e}"))?;
            let (w, h) = (image.width() as usize, image.height() as usize);
            frames.offer(&Frame::tight(w, h, image.as_raw()))?;
            while let Some(result) = frames.poll() {
                let scan = result?;
                if matches!(scan, Scan::Spur { .. }) {
                    return report(&scan);
                }
                if scan.text().is_some() && scan.text() != last_text.as_deref() {
                    println!(
                        "{} ({})",
                        spur_protocol::fields::printable(&scan.message()),
                        spur_protocol::fields::printable(scan.text().unwrap_or_default())
                    );
                    last_text = scan.text().map(str::to_string);
                }
            }
        }
        anyhow::bail!("no spur code seen in {timeout} s")
    }
}

#[cfg(not(feature = "camera"))]
mod camera {
    //! Built without camera support: says so.
    /// Always an error that explains how to get camera support.
    pub fn run(_device: u32, _timeout: u64) -> anyhow::Result<()> {
        anyhow::bail!(
            "this spur binary has no camera support; rebuild it with \
             `cargo build -p spur-cli --features camera` (nokhwa, V4L2 on Linux), \
             or scan a photo with `spur scan --image FILE`"
        )
    }
}
