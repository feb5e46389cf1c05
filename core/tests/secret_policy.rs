//! The USR secret policy against the operator's offline attack: the attacker's search space at
//! the minimum, the proposed passphrase's exact entropy, and the refusal of every secret below
//! the minimum — all 10^6 six-digit PINs, common passwords, keyboard walks, the phone number.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_core::{
    draw_passphrase, passphrase_entropy_bits, passphrase_words, propose_passphrase,
    rate_secret as rate, SecretLevel, Weakness, MIN_GUESSES_LOG2,
    PASSPHRASE_LIST_SIZE as LIST_SIZE, PASSPHRASE_SEPARATOR as SEPARATOR,
    PASSPHRASE_WORDS as WORD_COUNT,
};

const PHONE: &str = "+49 151 23456789";

/// Argon2id at `USR_KDF` (64 MiB, 3 passes, 4 lanes), CPU seconds per guess measured on the
/// development machine (docs/protocol.md §2 says how); the attacker's cost per guess.
const ARGON2_CORE_SECONDS: f64 = 0.13;
const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;

#[test]
fn the_attackers_search_space_at_the_minimum_is_millions_of_core_years() {
    let guesses = MIN_GUESSES_LOG2.exp2();
    let core_years = guesses * ARGON2_CORE_SECONDS / SECONDS_PER_YEAR;
    // 2^50 × 0.13 s ≈ 4.6 million core-years for one person's secret; a country with 10^5 cores
    // needs about 46 years for the whole space, and in the 28 days that find-tags are kept it
    // covers under 0.2 % of it.
    assert!(core_years > 4.5e6, "{core_years}");
    let country = 1e5 * 28.0 * 86_400.0 / ARGON2_CORE_SECONDS / guesses;
    assert!(country < 0.002, "{country}");
    // Six digits, the old secret: the policy counts a million guesses, under two core-days.
    let pin = rate("123456", None).guesses_log2.exp2();
    assert!((pin - 1e6).abs() < 1.0, "{pin}");
    assert!(pin * ARGON2_CORE_SECONDS / 86_400.0 < 2.0);
}

#[test]
fn the_proposed_passphrase_has_exactly_65_bits_and_meets_the_minimum_with_margin() {
    let words: Vec<&str> = passphrase_words().collect();
    assert_eq!(words.len(), LIST_SIZE);
    let distinct: std::collections::BTreeSet<&str> = words.iter().copied().collect();
    assert_eq!(distinct.len(), LIST_SIZE, "the list has no duplicate");
    assert!(LIST_SIZE.is_power_of_two());
    for w in &words {
        assert!(
            (4..=8).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase()),
            "{w}"
        );
    }
    let bits = passphrase_entropy_bits();
    assert_eq!(bits, (WORD_COUNT * 13) as f64);
    assert!(bits >= MIN_GUESSES_LOG2 + 15.0);

    // Draws use every word position uniformly and are accepted by the policy; a draw the pattern
    // matcher underrates is drawn again, which must be rare enough to cost (almost) nothing.
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let n = 2000;
    let mut refused = 0;
    let mut lowest = f64::INFINITY;
    for _ in 0..n {
        let p = draw_passphrase(&mut rng, &words);
        let parts: Vec<&str> = p.split(SEPARATOR).collect();
        assert_eq!(parts.len(), WORD_COUNT);
        assert!(parts.iter().all(|w| distinct.contains(w)));
        let r = rate(&p, None);
        lowest = lowest.min(r.guesses_log2);
        if !r.accepted() {
            refused += 1;
        }
    }
    let rate_refused = refused as f64 / n as f64;
    eprintln!(
        "{refused} of {n} draws refused by the pattern matcher; lowest estimate 2^{lowest:.1}"
    );
    // Redrawing keeps at least log2((1 − r) × 2^65) bits.
    assert!(rate_refused < 0.01, "{refused} of {n} draws refused");
    let kept_bits = bits + (1.0 - rate_refused).log2();
    assert!(kept_bits > 64.9, "{kept_bits}");
    for _ in 0..50 {
        let p = propose_passphrase(&mut rand_core::OsRng);
        let r = rate(&p, Some(PHONE));
        assert!(r.accepted(), "{r:?}");
    }
}

#[test]
fn every_six_digit_pin_is_refused() {
    let mut pin = String::with_capacity(6);
    for n in 0..1_000_000u32 {
        pin.clear();
        use std::fmt::Write;
        write!(pin, "{n:06}").unwrap();
        let r = rate(&pin, None);
        assert_eq!(r.level, SecretLevel::Refused, "{pin}");
        assert_eq!(r.weakness, Some(Weakness::DigitsOnly), "{pin}");
        assert!(r.guesses_log2 <= 1e6f64.log2() + 1e-9, "{pin}");
    }
    // Longer numbers too: even 15 digits are under 2^50.
    assert!(!rate("739104628475910", None).accepted());
}

#[test]
fn common_passwords_keyboard_walks_and_the_phone_number_are_refused() {
    let common = [
        "password",
        "Password1",
        "passwort",
        "123456789",
        "iloveyou",
        "sunshine1",
        "letmein!",
        "Horse-Battery-Staple-9",
        "correcthorsebatterystaple",
        "P@ssw0rd2024",
        "dragon123",
        "football",
        "Passwort123!",
    ];
    let walks = [
        "qwertyuiop",
        "qwertzuiop",
        "asdfghjkl",
        "1qaz2wsx3edc",
        "zxcvbnm,./",
        "qwertyuiopasdfghjkl",
        "1234567890qwertyuiop",
        "!QAZ2wsx#EDC",
    ];
    let other = [
        "aaaaaaaaaaaaaaaaaaaa",
        "abcdefghijklmnop",
        "01.01.1990",
        "summer2024",
        "Michael",
        "hanna23456789",
        "+4915123456789",
        "",
        "Tr0ub4dor&3",
    ];
    for s in common.iter().chain(&walks).chain(&other) {
        let r = rate(s, Some(PHONE));
        assert!(!r.accepted(), "{s:?} accepted: {r:?}");
        assert!(r.guesses_log2 < MIN_GUESSES_LOG2);
        assert!(r.weakness.is_some());
    }
    let reason = |s: &str| rate(s, Some(PHONE)).weakness.unwrap();
    assert!(matches!(
        reason("qwertyuiopasdfghjkl"),
        Weakness::KeyboardPattern | Weakness::CommonPassword
    ));
    assert_eq!(reason("zxcvbnm,./"), Weakness::KeyboardPattern);
    assert_eq!(reason("password"), Weakness::CommonPassword);
    assert_eq!(reason("hanna23456789"), Weakness::PhoneNumber);
    assert_eq!(reason(""), Weakness::Empty);
}

#[test]
fn strong_secrets_of_the_users_own_are_accepted() {
    for s in [
        "Kaffee trinken wir am liebsten auf dem Balkon",
        "ballot-quarry-tiptoe-lantern-minnow",
        "7hQ#vL2m!xR9pZ4w",
    ] {
        let r = rate(s, Some(PHONE));
        assert!(r.accepted(), "{s:?}: {r:?}");
        assert!(r.weakness.is_none());
    }
    // A strong secret stays strong however long it is (the matcher reads 100 characters).
    let long = "ballot-quarry-tiptoe-lantern-minnow-".repeat(20);
    assert_eq!(rate(&long, None).level, SecretLevel::Strong);
}

#[test]
fn any_typed_text_is_rated_without_a_panic() {
    use rand_chacha::rand_core::RngCore;
    // Letters with accents, other scripts, emoji, combining marks, bidi controls, digits, symbols.
    let pool: Vec<char> = "aZ9 -_!äöüßÄéñçøå漢字カナ한글ئبж🙂👍🏽\u{301}\u{200d}\u{202e}\u{0}\t\n"
        .chars()
        .collect();
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    for _ in 0..3000 {
        let len = (rng.next_u32() % 40) as usize;
        let s: String = (0..len)
            .map(|_| pool[(rng.next_u32() as usize) % pool.len()])
            .collect();
        let r = rate(&s, Some(&s));
        assert!(!r.guesses_log2.is_nan());
        assert_eq!(r.accepted(), r.weakness.is_none());
    }
}
