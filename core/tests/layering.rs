//! The core's module layering holds: every `crate::` path in `src/` points to a module of a
//! lower layer in the table of `src/lib.rs` (the foundation may use itself, without cycles), no
//! module is missing from the table, and no flow module is public.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer of each module, from the `text` block of lib.rs's documentation.
fn layers(lib: &str) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    let mut current = None;
    let mut inside = false;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim();
        if doc.starts_with("```") {
            if inside {
                break;
            }
            inside = doc == "```text";
            continue;
        }
        if !inside {
            continue;
        }
        let names = match doc.strip_prefix("layer ") {
            Some(rest) => {
                let (n, rest) = rest.split_once(' ').unwrap();
                current = Some(n.parse::<u32>().unwrap());
                rest.split_once(':').unwrap().1
            }
            None => doc,
        };
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let layer = current.expect("a layer line comes first");
            assert!(out.insert(name.to_owned(), layer).is_none(), "{name} twice");
        }
    }
    out
}

/// Every `.rs` file under `dir` with the top-level module it belongs to.
fn files(dir: &Path, module: Option<&str>, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let stem = p.file_stem().unwrap().to_str().unwrap().to_owned();
        let m = module.map(str::to_owned).unwrap_or_else(|| stem.clone());
        if p.is_dir() {
            if module.is_none() && stem == "bin" {
                continue; // the bindgen binary is not part of the library
            }
            files(&p, Some(&m), out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push((m, p));
        }
    }
}

/// The modules a file's code (not its comments) names through `crate::`.
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for part in line.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers_and_the_foundation_has_no_cycle() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layer = layers(&lib);
    assert!(layer.len() > 20, "table read: {layer:?}");
    let mut all = Vec::new();
    files(&src(), None, &mut all);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (module, path) in &all {
        if module == "lib" {
            continue;
        }
        let Some(&from) = layer.get(module) else {
            wrong.push(format!("{module} is not in lib.rs's table"));
            continue;
        };
        let code = std::fs::read_to_string(path).unwrap();
        for used in uses(&code) {
            if &used == module {
                continue;
            }
            let Some(&to) = layer.get(&used) else {
                continue; // an item of the crate root, such as `crate::Result`
            };
            if to > from || (to == from && from != 0) {
                wrong.push(format!(
                    "{} (layer {from}) uses {used} (layer {to})",
                    path.display()
                ));
            }
            edges.entry(module.clone()).or_default().insert(used);
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // No cycle: repeatedly remove modules that use nothing left.
    let mut left: BTreeSet<String> = layer.keys().cloned().collect();
    loop {
        let free: Vec<String> = left
            .iter()
            .filter(|m| {
                edges
                    .get(*m)
                    .is_none_or(|e| e.iter().all(|u| !left.contains(u)))
            })
            .cloned()
            .collect();
        if free.is_empty() {
            break;
        }
        for m in free {
            left.remove(&m);
        }
    }
    assert!(left.is_empty(), "modules in a cycle: {left:?}");
}

#[test]
fn docs_show_the_same_table() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let block: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .skip_while(|l| *l != "```text")
        .skip(1)
        .take_while(|l| *l != "```")
        .collect();
    assert!(block.len() > 5, "{block:?}");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/app-core.md");
    let docs = std::fs::read_to_string(docs).unwrap();
    assert!(
        docs.contains(&block.join("\n")),
        "docs/app-core.md's layer table differs from lib.rs's"
    );
}

#[test]
fn lib_declares_exactly_the_table_and_keeps_the_flows_private() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layer = layers(&lib);
    let mut declared = BTreeSet::new();
    let mut public = BTreeSet::new();
    for line in lib.lines() {
        let (public_mod, rest) = match line.strip_prefix("pub mod ") {
            Some(r) => (true, r),
            None => match line.strip_prefix("mod ") {
                Some(r) => (false, r),
                None => continue,
            },
        };
        let name = rest.trim_end_matches(';').to_owned();
        if public_mod {
            public.insert(name.clone());
        }
        declared.insert(name);
    }
    let table: BTreeSet<String> = layer.keys().cloned().collect();
    assert_eq!(declared, table, "lib.rs's modules and its table differ");
    // Only the FFI facade and the transport, PDF and text modules (the CLI and the shells build
    // on them directly) may be public; every flow and shared part is private.
    let may_be_public: BTreeSet<String> = ["ffi", "http", "pdf", "texts", "transport"]
        .map(str::to_owned)
        .into();
    assert!(
        public.is_subset(&may_be_public),
        "public modules: {public:?}"
    );
    for flow in [
        "app", "register", "checkin", "codes", "sync", "consent", "local",
    ] {
        assert!(!public.contains(flow), "{flow} is public");
    }
}
