//! Turns the facade's errors (a sentence in the phone's language, English in the demo) into
//! `anyhow` errors carrying that sentence and what the demo was doing.

/// Adds `.core(what)` to the facade's results.
pub trait CoreResult<T> {
    /// Converts the error into an `anyhow::Error` with the sentence.
    fn core(self, what: &str) -> anyhow::Result<T>;
}

impl<T> CoreResult<T> for Result<T, spur_core::ffi::SpurError> {
    fn core(self, what: &str) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("{what}: {}", e.words()))
    }
}
