//! When a failed step is tried again: one doubling backoff for uploads, key fetches, PIN checks
//! waiting for the network, and wrong app PINs.

/// First retry delay in seconds; doubled per failure up to [`MAX_BACKOFF`].
pub const BASE_BACKOFF: u64 = 30;
/// Longest retry delay in seconds.
pub const MAX_BACKOFF: u64 = 3600;

/// Delay in seconds before retry number `attempts + 1`.
pub fn backoff(attempts: u32) -> u64 {
    BASE_BACKOFF
        .saturating_mul(1u64 << attempts.min(16))
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(3), 240);
        assert_eq!(backoff(7), 3600);
        assert_eq!(backoff(60), 3600);
    }
}
