//! `spur authority import` and `status` (the desk library the web desk uses too): a whole case
//! brought in file by file without naming any file's kind, the case's stage following it from
//! the consent code to a ready contact list that is exactly who was there; a file the desk wrote
//! for the vault and a file that is no package are refused with a sentence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn line_of<'a>(out: &'a str, case: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{case} (authority 1)")))
        .unwrap_or_else(|| panic!("no status line of {case}:\n{out}"))
}

/// The files `import` wrote for the vault.
fn for_vault(out: &str) -> Vec<std::path::PathBuf> {
    out.lines()
        .filter_map(|l| l.strip_prefix("for the vault: "))
        .map(std::path::PathBuf::from)
        .collect()
}

#[test]
fn import_reads_each_files_kind_and_status_follows_the_case() {
    let w = World::new();
    let greta = w.citizen("greta", "+4915100000009", "80333", None);
    let cafe = greta.place_code("Cafe Eck", "80331", "+4915100000019");
    let anna = w.citizen("anna", "+4915100000001", "80331", None);
    let ben = w.citizen("ben", "+4915100000002", "80335", None);
    for (c, stay) in [(&anna, "120"), (&ben, "60")] {
        c.check_in(&cafe, stay, 0);
        assert!(c.sync(1).contains("pending 0"));
    }
    let url = w.consent_code(0, "M-1", &anna.phone, &date(-1), 2);
    let st = w.desk(0).arg("status").ok();
    assert!(line_of(&st, "M-1").contains("release"), "{st}");

    anna.consent(&url);
    let (consent, _) = w.take_consent("M-1");
    let out_dir = w.dir().join("import");
    let out = w
        .desk(0)
        .arg("import")
        .arg(&consent)
        .arg("--out")
        .arg(&out_dir)
        .ok();
    let back = for_vault(&out);
    assert_eq!(back.len(), 2, "{out}");
    let scan = back
        .iter()
        .find(|p| p.to_string_lossy().contains("scan-keys-M-1"))
        .unwrap();
    let st = w.desk(0).arg("status").ok();
    assert!(
        line_of(&st, "M-1").contains("Waiting for the vault"),
        "{st}"
    );

    // What the desk wrote for the vault, and a file that is no package: refused in words.
    let e = w
        .desk(0)
        .arg("import")
        .arg(scan)
        .arg("--out")
        .arg(&out_dir)
        .fails();
    assert!(e.contains("hand it to the vault"), "{e}");
    let junk = w.dir().join("junk.spkg");
    std::fs::write(&junk, b"not a package at all").unwrap();
    let e = w
        .desk(0)
        .arg("import")
        .arg(&junk)
        .arg("--out")
        .arg(&out_dir)
        .fails();
    assert!(!e.is_empty() && !e.contains("panicked"), "{e}");

    let traced = w.dir().join("traced");
    w.vault()
        .arg("trace")
        .arg(scan)
        .arg("--out")
        .arg(&traced)
        .ok();
    let mut queue: Vec<_> = back.iter().filter(|p| *p != scan).cloned().collect();
    for f in files_with(&traced, "spkg") {
        let out = w
            .desk(0)
            .arg("import")
            .arg(&f)
            .arg("--out")
            .arg(&out_dir)
            .ok();
        queue.extend(for_vault(&out));
    }
    let mut n = 0;
    while let Some(req) = queue.pop() {
        n += 1;
        assert!(n < 20, "the resolve rounds do not end");
        let ans = w.dir().join(format!("answer-{n}"));
        w.vault()
            .arg("resolve")
            .arg(&req)
            .arg("--out")
            .arg(&ans)
            .ok();
        let out = w
            .desk(0)
            .arg("import")
            .arg(only(&ans, "spkg"))
            .arg("--out")
            .arg(&out_dir)
            .ok();
        queue.extend(for_vault(&out));
    }
    let st = w.desk(0).arg("status").ok();
    assert!(line_of(&st, "M-1").contains("Contacts ready"), "{st}");
    let csv = w
        .desk(0)
        .args(["contacts", "--case", "M-1", "--csv", "-"])
        .ok();
    assert!(csv.contains(&ben.phone), "{csv}");
    assert!(
        !csv.contains(&anna.phone) && !csv.contains(&greta.phone),
        "{csv}"
    );
}
