//! spur-qr: reading QR codes from camera frames and pictures, and drawing spur's own codes.
//!
//! Decoding: [`decode_frame`] for camera frames, [`decode_picture`] for PNG/JPEG files,
//! [`FrameLoop`] to feed a camera without queueing frames. Both return a [`Scan`]: a spur code,
//! someone else's code, or nothing. Encoding: [`encode`] to a [`QrMatrix`], rendered by
//! [`render`] as SVG or PNG, or printed on a PDF [`sheet::Page`] (spur's one PDF writer).
//! [`synth`] generates the seeded test and benchmark corpus.

mod binarize;
pub mod cascade;
pub mod classify;
pub mod decode;
mod detect;
pub mod encode;
pub mod frame;
pub mod frame_loop;
mod mask;
pub mod picture;
pub mod render;
pub mod sheet;
pub mod synth;

pub use classify::{classify, NotSpur, Scan};
pub use decode::{decode_frame, decode_picture, read_frame, DecodeError};
pub use encode::{encode, encode_with, Ecc, EncodeError, EncodeOptions, QrMatrix};
pub use frame::{Frame, FrameError, Rotation};
pub use frame_loop::FrameLoop;
pub use picture::PictureError;
