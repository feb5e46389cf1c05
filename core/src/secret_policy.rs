//! The USR secret policy: how many guesses a typed secret is worth, and the refusal of every
//! secret below the minimum, with the reason in words.
//!
//! Whoever holds OP (the vault) and knows a person's phone number can test a guess of that
//! person's secret offline at the cost of one Argon2id (`USR_KDF`): a recomputed find-tag either
//! is in the vault or is not. So the secret must be worth at least [`MIN_GUESSES_LOG2`] bits of
//! guessing work; docs/protocol.md §2 gives the attacker's cost in core-years.
//!
//! The estimate is the lower of two numbers, so it errs on the attacker's side:
//! - the `zxcvbn` estimate (Dropbox's pattern matcher: common passwords, dictionary words, names,
//!   keyboard walks, repeats, sequences, dates), told the phone number and the words of famous
//!   example passwords as known to the attacker;
//!   the same is asked of the secret without its separator (when one is used throughout), and
//!   the lower answer taken;
//! - the size of the whole search space of strings of that length over the character classes
//!   the secret uses (a secret of six digits has at most 10^6 guesses, whatever else is said).

use crate::error::{Error, Result};
use crate::texts::Msg;

/// The minimum, in bits of guessing work (log2 of guesses): 2^50 ≈ 1.1 × 10^15.
pub const MIN_GUESSES_LOG2: f64 = 50.0;
/// From here on a secret is called strong (the proposed passphrase is, with 65 bits).
pub const STRONG_GUESSES_LOG2: f64 = 64.0;

/// How the policy judges a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretLevel {
    /// Below the minimum: refused for a new registration.
    Refused,
    /// At or above the minimum.
    Enough,
    /// At or above [`STRONG_GUESSES_LOG2`].
    Strong,
}

/// Why a secret is below the minimum, as the user is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weakness {
    /// Nothing was typed.
    Empty,
    /// Only digits: a PIN, or a number.
    DigitsOnly,
    /// Contains the phone number (or a long part of it), which the attacker knows.
    PhoneNumber,
    /// A common password or a small variation of one.
    CommonPassword,
    /// A row or pattern of neighbouring keys.
    KeyboardPattern,
    /// Repeated characters or repeated parts.
    Repeats,
    /// A sequence such as `abc` or `6543`.
    Sequence,
    /// A date or a recent year.
    Date,
    /// A single dictionary word.
    SingleWord,
    /// A name or surname.
    Name,
    /// No pattern in particular; simply too few guesses (too short).
    TooFewGuesses,
}

/// A secret's estimate and, below the minimum, the reason.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecretRating {
    /// log2 of the estimated number of guesses (the lower of the two estimates).
    pub guesses_log2: f64,
    /// The policy's judgement.
    pub level: SecretLevel,
    /// Why it is refused; `None` at or above the minimum.
    pub weakness: Option<Weakness>,
}

impl SecretRating {
    /// True at or above the minimum.
    pub fn accepted(&self) -> bool {
        self.level != SecretLevel::Refused
    }

    /// The words to show: the reason of a refusal, or how strong an accepted secret is.
    pub fn msg(&self) -> Msg {
        match self.weakness {
            None if self.level == SecretLevel::Strong => Msg::new("secret-strong"),
            None => Msg::new("secret-enough"),
            Some(w) => refusal(w),
        }
    }
}

/// Words of famous example passwords (the comic's "correct horse battery staple" and
/// "Tr0ub4dor&3", the app's name): the matcher does not know them, every attacker's list does.
const FAMOUS_WORDS: [&str; 7] = [
    "correct",
    "horse",
    "battery",
    "staple",
    "troubador",
    "spur",
    "passphrase",
];

/// Only the first characters are matched against patterns (zxcvbn's own limit), so a very long
/// input cannot stall the screen; the rest only adds guesses, so the estimate stays a lower one.
const MATCHED_CHARS: usize = 100;

/// Rates `secret`; `phone` (as typed, any notation) is what the attacker is assumed to know.
pub fn rate(secret: &str, phone: Option<&str>) -> SecretRating {
    let digits_of_phone: String = phone
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let space = space_log2(secret);
    // A number's search space alone refuses it (every PIN up to 15 digits) without the matcher;
    // other short secrets still go through it, for the reason to tell.
    let digits_only = secret.chars().all(|c| c.is_ascii_digit());
    let (guesses_log2, warning) = if digits_only && space < MIN_GUESSES_LOG2 {
        (space, None)
    } else {
        let head: String = secret.chars().take(MATCHED_CHARS).collect();
        let national = digits_of_phone.get(2..).unwrap_or_default();
        let inputs: Vec<&str> = [digits_of_phone.as_str(), national]
            .into_iter()
            .filter(|s| !s.is_empty())
            .chain(FAMOUS_WORDS)
            .collect();
        let e = zxcvbn::zxcvbn(&head, &inputs);
        let mut z = e.guesses_log10() * std::f64::consts::LOG2_10;
        let mut warning = e.feedback().and_then(|f| f.warning());
        // The matcher sometimes prices separators as brute force that hides the words between
        // them ("-Staple-9" as nine random characters); the same secret without its separator
        // (when one is used throughout) shows the words, and costs the attacker at most a guess
        // of which of the 33 printable ASCII symbols the separator is.
        let mut seps = head.chars().filter(|c| !c.is_alphanumeric());
        if let Some(first) = seps.next() {
            if seps.all(|c| c == first) {
                let squeezed: String = head.chars().filter(|c| c.is_alphanumeric()).collect();
                let e = zxcvbn::zxcvbn(&squeezed, &inputs);
                let s = e.guesses_log10() * std::f64::consts::LOG2_10 + 33f64.log2();
                if s < z {
                    z = s;
                    warning = e.feedback().and_then(|f| f.warning()).or(warning);
                }
            }
        }
        (z.min(space), warning)
    };
    let level = if guesses_log2 >= STRONG_GUESSES_LOG2 {
        SecretLevel::Strong
    } else if guesses_log2 >= MIN_GUESSES_LOG2 {
        SecretLevel::Enough
    } else {
        SecretLevel::Refused
    };
    let weakness =
        (level == SecretLevel::Refused).then(|| weakness(secret, &digits_of_phone, warning));
    SecretRating {
        guesses_log2,
        level,
        weakness,
    }
}

/// Refuses a secret below the minimum with its reason ([`crate::ErrorKind::InvalidInput`]).
pub fn check(secret: &str, phone: Option<&str>) -> Result<()> {
    let r = rate(secret, phone);
    match r.weakness {
        Some(w) => Err(Error::input(refusal(w))),
        None => Ok(()),
    }
}

/// log2 of the number of strings of this length over the character classes the secret uses:
/// 26 lower-case, 26 upper-case, 10 digits, 33 other printable ASCII, and 100 for everything
/// else (letters with accents, other scripts) — generous to the secret, never to the attacker's
/// disadvantage beyond what the matcher then takes away.
fn space_log2(secret: &str) -> f64 {
    let has = |f: fn(&char) -> bool| secret.chars().any(|c| f(&c));
    let classes = [
        (has(char::is_ascii_lowercase), 26.0),
        (has(char::is_ascii_uppercase), 26.0),
        (has(char::is_ascii_digit), 10.0),
        (has(|c| c.is_ascii() && !c.is_ascii_alphanumeric()), 33.0),
        (has(|c| !c.is_ascii()), 100.0),
    ];
    let alphabet: f64 = classes.iter().filter(|(on, _)| *on).map(|(_, n)| n).sum();
    let n = secret.chars().count();
    if n == 0 {
        return 0.0;
    }
    n as f64 * f64::log2(alphabet)
}

/// The reason in the user's terms: the plainest first (empty, digits, phone), then the pattern
/// the matcher found.
fn weakness(
    secret: &str,
    phone_digits: &str,
    warning: Option<zxcvbn::feedback::Warning>,
) -> Weakness {
    use zxcvbn::feedback::Warning as W;
    if secret.is_empty() {
        return Weakness::Empty;
    }
    if secret
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        return Weakness::DigitsOnly;
    }
    let typed_digits: String = secret.chars().filter(char::is_ascii_digit).collect();
    let tail = phone_digits
        .get(phone_digits.len().saturating_sub(6)..)
        .unwrap_or_default();
    if tail.len() == 6 && typed_digits.contains(tail) {
        return Weakness::PhoneNumber;
    }
    match warning {
        Some(W::ThisIsATop10Password)
        | Some(W::ThisIsATop100Password)
        | Some(W::ThisIsACommonPassword)
        | Some(W::ThisIsSimilarToACommonlyUsedPassword) => Weakness::CommonPassword,
        Some(W::StraightRowsOfKeysAreEasyToGuess)
        | Some(W::ShortKeyboardPatternsAreEasyToGuess) => Weakness::KeyboardPattern,
        Some(W::RepeatsLikeAaaAreEasyToGuess)
        | Some(W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess) => Weakness::Repeats,
        Some(W::SequencesLikeAbcAreEasyToGuess) => Weakness::Sequence,
        Some(W::RecentYearsAreEasyToGuess) | Some(W::DatesAreOftenEasyToGuess) => Weakness::Date,
        Some(W::AWordByItselfIsEasyToGuess) => Weakness::SingleWord,
        Some(W::NamesAndSurnamesByThemselvesAreEasyToGuess)
        | Some(W::CommonNamesAndSurnamesAreEasyToGuess) => Weakness::Name,
        None => Weakness::TooFewGuesses,
    }
}

/// The message of a refusal.
fn refusal(w: Weakness) -> Msg {
    match w {
        Weakness::Empty => Msg::new("secret-refused-empty"),
        Weakness::DigitsOnly => Msg::new("secret-refused-digits"),
        Weakness::PhoneNumber => Msg::new("secret-refused-phone"),
        Weakness::CommonPassword => Msg::new("secret-refused-common"),
        Weakness::KeyboardPattern => Msg::new("secret-refused-keyboard"),
        Weakness::Repeats => Msg::new("secret-refused-repeats"),
        Weakness::Sequence => Msg::new("secret-refused-sequence"),
        Weakness::Date => Msg::new("secret-refused-date"),
        Weakness::SingleWord => Msg::new("secret-refused-word"),
        Weakness::Name => Msg::new("secret-refused-name"),
        Weakness::TooFewGuesses => Msg::new("secret-refused-short"),
    }
}
