//! `spur scan --image` of a foreign QR code whose text carries terminal escape sequences and
//! bidi controls prints them escaped: a QR code can neither retitle nor clear the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn scan_image_prints_a_foreign_codes_control_characters_escaped() {
    // OSC 0 (set the window title), ED 2 (clear the screen), SGR, a bidi override, a BEL.
    let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mHELLO\u{202E}dlrow\u{200B}!";
    let matrix = spur_qr::encode::encode(hostile).unwrap();
    let png = spur_qr::render::to_png(&matrix, 8).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.png");
    std::fs::write(&file, png).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_spur"))
        .args(["scan", "--image"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{stdout}{stderr}");
    assert!(
        !out.status.success(),
        "a foreign code is not a spur code: {all}"
    );
    assert!(all.contains("not a spur code"), "{all}");
    for raw in ['\u{1b}', '\u{7}', '\u{202E}', '\u{200B}'] {
        assert!(
            !all.contains(raw),
            "U+{:04X} reached the terminal: {all:?}",
            u32::from(raw)
        );
    }
    // What was read is still shown, visibly escaped.
    assert!(all.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"), "{all}");
    assert!(all.contains("HELLO\\u{202e}dlrow\\u{200b}!"), "{all}");
}
