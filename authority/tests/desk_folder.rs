//! A folder that is not a desk yet, or not pinned yet, is refused with what to run; `init` keeps
//! the desk's language and time zone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand_chacha::rand_core::SeedableRng;
use spur_authority::entry::RangeEntry;
use spur_authority::settings::Settings;
use spur_authority::{Desk, DeskError};

#[test]
fn an_empty_folder_says_to_run_init_and_an_unpinned_desk_says_to_pin() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("desk");
    let err = Desk::open(&dir).err().unwrap();
    assert!(matches!(err, DeskError::NotInitialised { .. }), "{err}");
    let said = err.to_string();
    assert!(said.contains("spur authority --dir"), "{said}");
    assert!(said.contains(" init --id"), "{said}");
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let en = Settings::new("en", "America/New_York").unwrap();
    Desk::init_with(
        &dir,
        &mut rng,
        3,
        "Health Office",
        vec![RangeEntry::parse("DE:80000-81999").unwrap()],
        &en,
    )
    .unwrap();
    assert_eq!(Settings::load(&dir).unwrap(), en);
    let err = Desk::open(&dir).err().unwrap();
    assert!(matches!(err, DeskError::NotPinned), "{err}");
    assert!(err.to_string().contains("spur authority pin"), "{err}");
}
