//! Where the app core gets "now" from: the protocol's one clock trait, so a single simulated clock
//! drives app core and servers alike (tests, `spur demo`).

pub use spur_protocol::time::{Clock, ManualClock, SystemClock};
