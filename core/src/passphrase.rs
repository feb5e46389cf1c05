//! The passphrase the app proposes as the USR secret: words drawn uniformly at random from one
//! list, so its strength is exact (list size to the power of the word count), not estimated.

use rand_core::CryptoRngCore;
use zeroize::Zeroizing;

use crate::secret_policy;

/// The word list: 8192 distinct lower-case English words of 4 to 8 letters (core/wordlist/).
const LIST: &str = include_str!("../wordlist/en.txt");

/// Words in the list: a power of two, so a masked random number picks each with equal chance.
pub const LIST_SIZE: usize = 8192;
/// Words in a proposal.
pub const WORD_COUNT: usize = 5;
/// Between words: a hyphen (no autocorrect, no doubled or trailing space to mistype).
pub const SEPARATOR: char = '-';

/// The words of the list, in order.
pub fn words() -> impl Iterator<Item = &'static str> {
    LIST.lines().map(str::trim).filter(|w| !w.is_empty())
}

/// log2 of the number of possible proposals before the policy's check: `WORD_COUNT` ×
/// log2(`LIST_SIZE`) = 65 bits.
pub fn entropy_bits() -> f64 {
    WORD_COUNT as f64 * (LIST_SIZE as f64).log2()
}

/// A fresh proposal: `WORD_COUNT` words, each drawn uniformly from the list with `rng`.
///
/// A draw the policy would refuse (the pattern matcher finds some phrases of very common words
/// cheaper than their exact count) is drawn again, so every proposal is accepted by
/// [`secret_policy::check`]; `tests/secret_policy.rs` measures how rarely that happens and so how
/// little of the 65 bits it costs.
pub fn propose(rng: &mut impl CryptoRngCore) -> Zeroizing<String> {
    let list: Vec<&str> = words().collect();
    let mut p = draw(rng, &list);
    // Bounded so a broken list cannot hang the screen; registration checks the policy again.
    for _ in 0..1000 {
        if secret_policy::rate(&p, None).accepted() {
            break;
        }
        p = draw(rng, &list);
    }
    p
}

/// One draw, without the policy's check.
pub fn draw(rng: &mut impl CryptoRngCore, list: &[&str]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(WORD_COUNT * 9));
    for i in 0..WORD_COUNT {
        // LIST_SIZE is 2^13: the low 13 bits of a uniform u32 are uniform, no modulo bias.
        let n = rng.next_u32() as usize & (LIST_SIZE - 1);
        if i > 0 {
            out.push(SEPARATOR);
        }
        out.push_str(list.get(n).copied().unwrap_or_default());
    }
    out
}
