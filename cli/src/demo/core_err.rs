//! Turns the app core's errors (a message id with arguments, translated when shown) into
//! `anyhow` errors carrying the English sentence and what the demo was doing.

/// Adds `.core(what)` to the core's results.
pub trait CoreResult<T> {
    /// Converts the error into an `anyhow::Error` with the translated message.
    fn core(self, what: &str) -> anyhow::Result<T>;
}

impl<T> CoreResult<T> for Result<T, spur_core::Error> {
    fn core(self, what: &str) -> anyhow::Result<T> {
        self.map_err(|e| {
            let texts = spur_core::texts::Texts::new();
            let sentence = texts.format(spur_core::texts::Lang::En, &e.msg);
            anyhow::anyhow!("{what}: {sentence}")
        })
    }
}
