//! The web check-in under `/app/`: the shell (`web/shell/`) and the core compiled to WebAssembly
//! (`target/web/pkg/`), read once at start, hashed, and served as one immutable release.
//!
//! Every script and the wasm module are loaded with subresource integrity: the server writes each
//! file's SHA-384 into the page (`{{integrity:PATH}}` markers and an import map whose `integrity`
//! covers every module the page imports), so a file changed after start does not run. The
//! release's hash (SHA-256 over every served file's path and hash, `release.json`) is what the
//! service worker pins and what an operator publishes; docs/web.md says what that protects
//! against and what it does not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use data_encoding::{BASE64, HEXLOWER};
use sha2::{Digest, Sha256, Sha384};

use super::texts::{catalog, Lang};

/// Where the web check-in is served.
pub const PREFIX: &str = "/app/";
/// Largest file the shell or the wasm package may hold (the wasm module is the largest).
const MAX_FILE: u64 = 32 * 1024 * 1024;

/// Why the web check-in could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A folder or file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A required file is missing.
    #[error("{0} is missing (build the web check-in with scripts/build-web.sh)")]
    Missing(PathBuf),
    /// A file is too large to be part of the shell.
    #[error("{0} is larger than 32 MiB")]
    TooLarge(PathBuf),
    /// `index.html` names a file the release does not hold.
    #[error("index.html asks for the integrity of {0}, which is not in the release")]
    UnknownIntegrity(String),
    /// A configured value is not usable.
    #[error("{0}")]
    Config(String),
}

/// What the shell needs to know of the deployment: the same values `spur app init` takes.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConfig {
    /// The host in the codes (`spur.example`).
    pub host: String,
    /// The TAG server's base URL.
    pub tag_url: String,
    /// The POST server's base URL.
    pub post_url: String,
    /// The operator's public key (64 hex digits).
    pub op_key: String,
    /// The directory root public key (64 hex digits).
    pub root_key: String,
    /// False on shared devices (a kiosk, a library's computer) and in tests: the page keeps
    /// nothing in the browser, everything is gone when it is closed.
    pub keep: bool,
}

/// One served file.
struct Asset {
    content_type: &'static str,
    /// Shared, so that an answer (the wasm module is megabytes) does not copy it.
    body: Bytes,
}

/// The loaded release: every file, the page's security policy and the release's hash.
pub struct App {
    files: BTreeMap<String, Asset>,
    csp: HeaderValue,
    release: String,
}

impl App {
    /// Reads the shell from `shell` and the wasm-bindgen output from `pkg`, fills in the
    /// integrity and configuration markers of `index.html`, and hashes the release.
    pub fn load(shell: &Path, pkg: &Path, config: &AppConfig) -> Result<App, AppError> {
        let mut files = BTreeMap::new();
        read_dir(shell, "", &mut files)?;
        read_dir(pkg, "pkg/", &mut files)?;
        for required in ["index.html", "app.js", "sw.js"] {
            if !files.contains_key(required) {
                return Err(AppError::Missing(shell.join(required)));
            }
        }
        if !files
            .keys()
            .any(|k| k.starts_with("pkg/") && k.ends_with(".wasm"))
        {
            return Err(AppError::Missing(pkg.join("*.wasm")));
        }
        let integrity: BTreeMap<String, String> = files
            .iter()
            .filter(|(k, _)| k.as_str() != "index.html")
            .map(|(k, a)| (k.clone(), sri(&a.body)))
            .collect();
        let origins = [origin(&config.tag_url)?, origin(&config.post_url)?];
        let index = files
            .remove("index.html")
            .ok_or_else(|| AppError::Missing(shell.join("index.html")))?;
        let template = String::from_utf8(index.body.to_vec())
            .map_err(|_| AppError::Config("index.html is not UTF-8".into()))?;
        let (html, map) = fill(&template, &integrity, config)?;
        files.insert(
            "index.html".into(),
            Asset {
                content_type: "text/html; charset=utf-8",
                body: Bytes::from(html.into_bytes()),
            },
        );
        let csp = csp(&map, &origins)?;
        let mut all: BTreeMap<String, String> = integrity;
        if let Some(i) = files.get("index.html") {
            all.insert("index.html".into(), sri(&i.body));
        }
        let mut h = Sha256::new();
        for (path, sri) in &all {
            h.update(format!("{sri} {PREFIX}{path}\n"));
        }
        let release = HEXLOWER.encode(&h.finalize());
        let manifest = Manifest {
            release: &release,
            files: all
                .iter()
                .map(|(k, v)| (format!("{PREFIX}{k}"), v.as_str()))
                .collect(),
        };
        let manifest =
            serde_json::to_vec(&manifest).map_err(|e| AppError::Config(e.to_string()))?;
        files.insert(
            "release.json".into(),
            Asset {
                content_type: "application/json",
                body: Bytes::from(manifest),
            },
        );
        Ok(App {
            files,
            csp,
            release,
        })
    }

    /// The release's hash (hex SHA-256), as `release.json` and `spur server web` print it.
    pub fn release(&self) -> &str {
        &self.release
    }

    /// The answer for `/app/<rest>`: the file with its type, the page's policy, no caching
    /// without revalidation (the file names carry no version); 404 for anything else.
    pub fn serve(&self, rest: &str) -> Response {
        let key = if rest.is_empty() { "index.html" } else { rest };
        let Some(a) = self.files.get(key) else {
            return crate::ApiError::unknown_route().into_response();
        };
        let mut r = (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            a.body.clone(),
        )
            .into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        h.insert(
            "permissions-policy",
            HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
        );
        r
    }
}

/// `/app/release.json`: the release's hash and every served file's integrity, by path.
#[derive(serde::Serialize)]
struct Manifest<'a> {
    release: &'a str,
    files: BTreeMap<String, &'a str>,
}

/// The page's import map: no remapping, only the integrity of every module by its path.
#[derive(serde::Serialize)]
struct ImportMap<'a> {
    imports: BTreeMap<String, String>,
    integrity: BTreeMap<String, &'a String>,
}

/// `sha384-<base64>`, the subresource-integrity form.
fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", BASE64.encode(&Sha384::digest(bytes)))
}

/// How deep the folders may nest (wasm-bindgen puts the glue's own JS modules under
/// `snippets/<crate>-<hash>/js/`).
const MAX_DEPTH: usize = 4;

/// Reads the files in `dir` (and its folders, not following links) that the shell may serve,
/// under `prefix`.
fn read_dir(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Asset>) -> Result<(), AppError> {
    read_tree(dir, prefix, files, 0)
}

fn read_tree(
    dir: &Path,
    prefix: &str,
    files: &mut BTreeMap<String, Asset>,
    depth: usize,
) -> Result<(), AppError> {
    let read = |p: &Path, e| AppError::Read {
        path: p.to_path_buf(),
        source: e,
    };
    for entry in std::fs::read_dir(dir).map_err(|e| read(dir, e))? {
        let entry = entry.map_err(|e| read(dir, e))?;
        let path = entry.path();
        // Not following links: a link is neither a file nor a folder here.
        let meta = std::fs::symlink_metadata(&path).map_err(|e| read(&path, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Only names a URL path carries as they are (no dot files, no escapes to decode).
        if name.starts_with('.')
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            continue;
        }
        if meta.is_dir() && depth < MAX_DEPTH {
            read_tree(&path, &format!("{prefix}{name}/"), files, depth + 1)?;
            continue;
        }
        let Some(content_type) = content_type(&name) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        if meta.len() > MAX_FILE {
            return Err(AppError::TooLarge(path));
        }
        let body = std::fs::read(&path).map_err(|e| read(&path, e))?;
        files.insert(
            format!("{prefix}{name}"),
            Asset {
                content_type,
                body: Bytes::from(body),
            },
        );
    }
    Ok(())
}

/// The type of a file the shell serves; `None` for anything else (type declarations, notes).
fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    if name.ends_with(".d.ts") {
        return None;
    }
    Some(match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webmanifest" => "application/manifest+json",
        _ => return None,
    })
}

/// Fills `{{integrity:PATH}}`, `{{config}}` and `{{importmap}}` in the page; returns the page
/// and the import map's text (the one inline script, allowed by its hash).
fn fill(
    template: &str,
    integrity: &BTreeMap<String, String>,
    config: &AppConfig,
) -> Result<(String, String), AppError> {
    let mut out = String::with_capacity(template.len() + 1024);
    let mut rest = template;
    while let Some(start) = rest.find("{{integrity:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{integrity:".len()..];
        let end = after
            .find("}}")
            .ok_or_else(|| AppError::Config("index.html has an unclosed marker".into()))?;
        let path = &after[..end];
        let sri = integrity
            .get(path)
            .ok_or_else(|| AppError::UnknownIntegrity(path.to_string()))?;
        out.push_str(sri);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    let modules: BTreeMap<String, &String> = integrity
        .iter()
        .filter(|(k, _)| k.ends_with(".js") && k.as_str() != "sw.js")
        .map(|(k, v)| (format!("{PREFIX}{k}"), v))
        .collect();
    let map = serde_json::to_string(&ImportMap {
        imports: BTreeMap::new(),
        integrity: modules,
    })
    .map_err(|e| AppError::Config(e.to_string()))?;
    let config = serde_json::to_string(&PageConfig {
        config,
        words: words(),
    })
    .map_err(|e| AppError::Config(e.to_string()))?
    // Inside a <script> element: no "</script>" can end it early.
    .replace('<', "\\u003c");
    let out = out
        .replace("{{importmap}}", &map)
        .replace("{{config}}", &config);
    Ok((out, map))
}

/// The page's own words, by the name `web/shell/app.js` uses and the Fluent id in
/// server/i18n/*/web.ftl. They live here, not in the core's captions, because the page shows some
/// of them before the core has loaded (loading) or instead of loading it (the release warning).
const WORDS: [(&str, &str); 7] = [
    ("loading", "web-app-loading"),
    ("login", "web-app-login"),
    ("releaseChanged", "web-app-release-changed"),
    ("releaseAccept", "web-app-release-accept"),
    ("offlineKept", "web-app-offline-kept"),
    ("failed", "web-app-failed"),
    ("inMemory", "web-app-in-memory"),
];

/// The page's configuration: the deployment's values and the page's words in both languages.
#[derive(serde::Serialize)]
struct PageConfig<'a> {
    #[serde(flatten)]
    config: &'a AppConfig,
    /// Language tag (`en`, `de`) → name → text.
    words: BTreeMap<&'static str, BTreeMap<&'static str, String>>,
}

/// [`WORDS`] in German and English from the web host's catalog.
fn words() -> BTreeMap<&'static str, BTreeMap<&'static str, String>> {
    [Lang::En, Lang::De]
        .into_iter()
        .map(|lang| {
            let texts = WORDS
                .iter()
                .map(|(name, id)| (*name, catalog().get(lang, id)))
                .collect();
            (lang.tag(), texts)
        })
        .collect()
}

/// The page's policy: only its own scripts (and the import map, by hash), WebAssembly, its
/// own style, and connections to itself and the two servers.
fn csp(importmap: &str, origins: &[String]) -> Result<HeaderValue, AppError> {
    let map_hash = BASE64.encode(&Sha256::digest(importmap.as_bytes()));
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{map_hash}'; \
         style-src 'self'; img-src 'self' blob:; connect-src 'self' {}; worker-src 'self'; \
         manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        origins.join(" ")
    );
    HeaderValue::from_str(&csp).map_err(|_| AppError::Config("a server URL is not usable".into()))
}

/// `scheme://host[:port]` of a server URL, for `connect-src`.
fn origin(url: &str) -> Result<String, AppError> {
    let bad = || AppError::Config(format!("{url:?} is not an http(s) URL"));
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    if scheme != "https" && scheme != "http" {
        return Err(bad());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !ok {
        return Err(bad());
    }
    Ok(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_page_gets_every_word_in_both_languages() {
        let config = AppConfig {
            host: "spur.example".into(),
            tag_url: "http://127.0.0.1:1".into(),
            post_url: "http://127.0.0.1:2".into(),
            op_key: "00".repeat(32),
            root_key: "11".repeat(32),
            keep: true,
        };
        let (page, _) = fill("<script>{{config}}</script>", &BTreeMap::new(), &config).unwrap();
        let json = page
            .strip_prefix("<script>")
            .and_then(|p| p.strip_suffix("</script>"))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["host"], "spur.example");
        for (lang, first) in [("en", "Loading"), ("de", "spur wird")] {
            for (name, id) in WORDS {
                assert!(catalog().has(Lang::from_tag(lang), id), "{lang} {id}");
                let text = value["words"][lang][name].as_str().unwrap();
                // A missing message comes back as its id: every word must be a real text.
                assert!(
                    !text.is_empty() && !text.contains(id),
                    "{lang} {name}: {text}"
                );
            }
            let loading = value["words"][lang]["loading"].as_str().unwrap();
            assert!(loading.starts_with(first), "{loading}");
        }
    }

    #[test]
    fn origins_of_server_urls() {
        assert_eq!(
            origin("http://127.0.0.1:8081/").unwrap(),
            "http://127.0.0.1:8081"
        );
        assert_eq!(
            origin("https://Tag.Spur.example/v1").unwrap(),
            "https://tag.spur.example"
        );
        for bad in [
            "tag.example",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x;script-src *",
        ] {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }
}
