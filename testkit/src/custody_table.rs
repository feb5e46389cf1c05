//! The key-custody table of docs/protocol.md, read from the document, so the protocol test and the
//! end-to-end test (`tests/e2e/custody.rs`) check the same rows.
#![allow(missing_docs)]

/// The keys of the matrix, in the column order of the table.
pub const KEYS: [&str; 6] = ["OP", "AUTH", "AUTH-other", "USR", "TAG", "TMP"];
/// What an attacker may learn, in the column order of the table.
pub const ITEMS: [&str; 7] = [
    "phone",
    "place",
    "card-owner",
    "find",
    "visits",
    "slot",
    "identity",
];

/// Reads the matrix from docs/protocol.md: 64 rows of 6 key columns and 7 result columns.
pub fn documented() -> Vec<([bool; 6], [bool; 7])> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/protocol.md"))
        .unwrap();
    let start = doc
        .find("<!-- custody-matrix:start -->")
        .expect("matrix start marker");
    let end = doc
        .find("<!-- custody-matrix:end -->")
        .expect("matrix end marker");
    let mut rows = Vec::new();
    for line in doc[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2)
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 13, "row {line}");
        let mut keys = [false; 6];
        let mut items = [false; 7];
        for (i, k) in keys.iter_mut().enumerate() {
            *k = match cells[i] {
                "●" => true,
                "·" => false,
                other => panic!("key cell {other:?} in {line}"),
            };
        }
        for (i, it) in items.iter_mut().enumerate() {
            *it = match cells[6 + i] {
                "opens" => true,
                "—" => false,
                other => panic!("result cell {other:?} in {line}"),
            };
        }
        rows.push((keys, items));
    }
    rows
}

/// Asserts that what an attacker holding `keys` opened (`got`) is the documented row, naming the
/// keys and the first item that differs.
pub fn assert_row(keys: [bool; 6], got: [bool; 7], expected: [bool; 7]) {
    let held: Vec<_> = KEYS
        .iter()
        .zip(keys)
        .filter_map(|(k, h)| h.then_some(*k))
        .collect();
    for i in 0..ITEMS.len() {
        assert_eq!(
            got[i],
            expected[i],
            "keys {held:?}: '{}' should {}",
            ITEMS[i],
            if expected[i] { "open" } else { "stay sealed" }
        );
    }
}
