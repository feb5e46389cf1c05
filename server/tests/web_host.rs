//! The web host (`spur server web`): every page answers with the security headers and no cookie,
//! in the language asked for; the app-links files are JSON with the configured values; unknown
//! paths are 404; the pages never carry anything that could leave the browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use spur_server::limits::Limits;
use spur_server::web::{router, router_with_app, App, AppConfig, AppLinks};
use tower::ServiceExt;

const CERT: &str = "14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5";
const CERT2: &str = "aa00000000000000000000000000000000000000000000000000000000000001";
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn app(links: AppLinks) -> axum::Router {
    router(links, &Limits::default())
}

fn configured() -> axum::Router {
    app(AppLinks::new(
        "org.spur.android",
        &[CERT.into(), CERT2.into()],
        &["ABCDE12345.org.spur.ios".into()],
    )
    .unwrap())
}

async fn get(
    r: &axum::Router,
    path: &str,
    lang: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(path);
    if let Some(l) = lang {
        req = req.header(header::ACCEPT_LANGUAGE, l);
    }
    let resp = r
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

fn assert_secure(path: &str, h: &axum::http::HeaderMap) {
    assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{path}");
    assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
    assert!(h.get(header::SET_COOKIE).is_none(), "{path}");
}

#[tokio::test]
async fn every_path_answers_with_the_security_headers_and_no_cookie() {
    let r = configured();
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/P", "text/html; charset=utf-8"),
        ("/C", "text/html; charset=utf-8"),
        ("/A", "text/html; charset=utf-8"),
        ("/assets/code.js", "text/javascript; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/.well-known/assetlinks.json", "application/json"),
        (
            "/.well-known/apple-app-site-association",
            "application/json",
        ),
    ] {
        let (status, h, body) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ty, "{path}");
        assert_secure(path, &h);
        assert!(!body.is_empty(), "{path}");
    }
    for path in [
        "/x",
        "/p",
        "/P/",
        "/PA",
        "/assets/other.js",
        "/.well-known/x",
        "/index.html",
    ] {
        let (status, h, _) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_secure(path, &h);
    }
}

#[tokio::test]
async fn pages_speak_the_asked_language_and_load_only_their_own_assets() {
    let r = configured();
    let (_, _, de) = get(&r, "/P", Some("de-DE,de;q=0.9,en;q=0.8")).await;
    assert!(de.contains("<html lang=\"de\">"), "{de}");
    assert!(
        de.contains("Ein Orts-Code") && de.contains("Postleitzahl"),
        "{de}"
    );
    let (_, _, en) = get(&r, "/P", Some("en-US,en;q=0.9")).await;
    assert!(
        en.contains("<html lang=\"en\">") && en.contains("A place code"),
        "{en}"
    );
    let (_, _, fr) = get(&r, "/C", Some("fr-FR")).await;
    assert!(
        fr.contains("<html lang=\"en\">") && fr.contains("A personal code"),
        "{fr}"
    );
    let (_, _, a) = get(&r, "/A", Some("de")).await;
    assert!(a.contains("Ein Freigabe-Code"), "{a}");
    assert!(
        a.contains(
            "data-consent-from=\"Dies ist ein Freigabe-Code des Gesundheitsamts Nr. {authority}"
        ),
        "{a}"
    );
    let (_, _, home) = get(&r, "/", Some("de")).await;
    assert!(home.contains("Kontaktverfolgung"), "{home}");
    // The browser check-in is honest about not being there yet, and links nowhere.
    assert!(en.contains("not available yet"), "{en}");
    for page in [&de, &en, &fr, &a, &home] {
        // No inline script or style, nothing from another origin.
        assert!(
            !page.contains("<script>") && !page.contains("style="),
            "{page}"
        );
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{page}"
        );
        for src in page
            .split("src=\"")
            .skip(1)
            .chain(page.split("href=\"").skip(1))
        {
            assert!(src.starts_with('/'), "{src}");
        }
    }
}

#[tokio::test]
async fn the_app_links_files_carry_the_configured_values() {
    let r = configured();
    let (_, _, a) = get(&r, "/.well-known/assetlinks.json", None).await;
    let a: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(
        a[0]["relation"][0],
        "delegate_permission/common.handle_all_urls"
    );
    assert_eq!(a[0]["target"]["namespace"], "android_app");
    assert_eq!(a[0]["target"]["package_name"], "org.spur.android");
    assert_eq!(
        a[0]["target"]["sha256_cert_fingerprints"],
        serde_json::json!([CERT, format!("AA{}:01", ":00".repeat(30))])
    );
    let (_, _, i) = get(&r, "/.well-known/apple-app-site-association", None).await;
    let i: serde_json::Value = serde_json::from_str(&i).unwrap();
    let d = &i["applinks"]["details"];
    assert_eq!(
        d[0]["appIDs"],
        serde_json::json!(["ABCDE12345.org.spur.ios"])
    );
    assert_eq!(
        d[0]["components"],
        serde_json::json!([{"/": "/P"}, {"/": "/C"}, {"/": "/A"}])
    );
    assert_eq!(d[1]["appID"], "ABCDE12345.org.spur.ios");
    assert_eq!(d[1]["paths"], serde_json::json!(["/P", "/C", "/A"]));
}

#[tokio::test]
async fn unconfigured_app_links_are_not_served() {
    let r = app(AppLinks::new("org.spur.android", &[], &[]).unwrap());
    for path in [
        "/.well-known/assetlinks.json",
        "/.well-known/apple-app-site-association",
    ] {
        let (status, h, _) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_secure(path, &h);
    }
}

#[test]
fn the_android_package_is_the_manifests() {
    // The default of --android-package is the app's applicationId: the one its autoVerify asks for.
    let gradle = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../android/app/build.gradle.kts"
    ))
    .unwrap();
    assert!(gradle.contains("applicationId = \"org.spur.android\""));
    let src = include_str!("../src/web/run.rs");
    assert!(src.contains("default_value = \"org.spur.android\""));
}

const KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";

/// A shell and a wasm package in a temporary folder, as web/shell and target/web/pkg hold them.
fn shell_files(dir: &std::path::Path, app_js: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let shell = dir.join("shell");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&shell).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        shell.join("index.html"),
        "<!doctype html><script type=\"importmap\">{{importmap}}</script>\
         <script type=\"application/json\" id=\"config\">{{config}}</script>\
         <script type=\"module\" src=\"app.js\" integrity=\"{{integrity:app.js}}\"></script>\
         <meta name=\"wasm\" content=\"{{integrity:pkg/spur_web_bg.wasm}}\">",
    )
    .unwrap();
    std::fs::write(shell.join("app.js"), app_js).unwrap();
    std::fs::write(shell.join("sw.js"), "// sw").unwrap();
    std::fs::write(shell.join("style.css"), "body{}").unwrap();
    std::fs::write(shell.join("notes.txt"), "not served").unwrap();
    std::fs::write(pkg.join("spur_web.js"), "export default 1;").unwrap();
    std::fs::write(pkg.join("spur_web.d.ts"), "declare").unwrap();
    std::fs::write(pkg.join("spur_web_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    // wasm-bindgen's snippets: the glue's own modules in folders.
    let snippet = pkg.join("snippets").join("spur-web-0123").join("js");
    std::fs::create_dir_all(&snippet).unwrap();
    std::fs::write(snippet.join("keystore.js"), "export const k = 1;").unwrap();
    std::fs::create_dir_all(pkg.join(".git")).unwrap();
    std::fs::write(pkg.join(".git").join("x.js"), "hidden").unwrap();
    (shell, pkg)
}

fn config(host: &str) -> AppConfig {
    AppConfig {
        host: host.into(),
        tag_url: "http://127.0.0.1:8081".into(),
        post_url: "https://post.spur.example/".into(),
        op_key: KEY.into(),
        root_key: KEY.into(),
        keep: true,
    }
}

fn with_app(app: App) -> axum::Router {
    router_with_app(
        AppLinks::new("org.spur.android", &[], &[]).unwrap(),
        &Limits::default(),
        Some(app),
    )
}

fn sri(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!(
        "sha384-{}",
        data_encoding::BASE64.encode(&sha2::Sha384::digest(bytes))
    )
}

#[tokio::test]
async fn the_web_check_in_is_served_with_integrity_its_own_policy_and_no_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let (shell, pkg) = shell_files(dir.path(), "import '/app/pkg/spur_web.js';");
    let app = App::load(&shell, &pkg, &config("spur.example")).unwrap();
    let release = app.release().to_string();
    let r = with_app(app);
    let (status, h, page) = get(&r, "/app/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(h.get(header::SET_COOKIE).is_none());
    // Every file the page loads carries the hash of the bytes the server sends.
    for (path, marker) in [
        ("/app/app.js", "integrity=\""),
        ("/app/pkg/spur_web_bg.wasm", "content=\""),
    ] {
        let (status, _, body) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            page.contains(&format!("{marker}{}\"", sri(body.as_bytes()))),
            "{path}: {page}"
        );
    }
    // The import map pins every module by hash and is the one inline script the policy allows.
    let map = page
        .split("<script type=\"importmap\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let m: serde_json::Value = serde_json::from_str(map).unwrap();
    let (_, _, glue) = get(&r, "/app/pkg/spur_web.js", None).await;
    assert_eq!(m["integrity"]["/app/pkg/spur_web.js"], sri(glue.as_bytes()));
    let snippet = "/app/pkg/snippets/spur-web-0123/js/keystore.js";
    let (status, _, keystore) = get(&r, snippet, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(m["integrity"][snippet], sri(keystore.as_bytes()));
    assert!(m["integrity"].get("/app/sw.js").is_none());
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    use sha2::Digest;
    let map_hash = data_encoding::BASE64.encode(&sha2::Sha256::digest(map.as_bytes()));
    assert!(
        csp.starts_with(&format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{map_hash}'; "
        )),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self' http://127.0.0.1:8081 https://post.spur.example;"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains('*'),
        "{csp}"
    );
    // The deployment's configuration, escaped for a script element.
    assert!(
        page.contains("\"host\":\"spur.example\",\"tagUrl\":\"http://127.0.0.1:8081\""),
        "{page}"
    );
    // The files' types; the wasm module as application/wasm (streaming compilation needs it).
    for (path, ty) in [
        ("/app/pkg/spur_web_bg.wasm", "application/wasm"),
        ("/app/pkg/spur_web.js", "text/javascript; charset=utf-8"),
        ("/app/sw.js", "text/javascript; charset=utf-8"),
        ("/app/style.css", "text/css; charset=utf-8"),
        ("/app/release.json", "application/json"),
    ] {
        let (status, h, _) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ty, "{path}");
        assert_eq!(h[header::CACHE_CONTROL], "no-cache", "{path}");
        assert!(h.get(header::SET_COOKIE).is_none(), "{path}");
    }
    // release.json lists every served file by hash, and names the release.
    let (_, _, manifest) = get(&r, "/app/release.json", None).await;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["release"], release.as_str());
    assert_eq!(manifest["files"]["/app/index.html"], sri(page.as_bytes()));
    assert_eq!(manifest["files"].as_object().unwrap().len(), 7);
    // Nothing else in the folders is served, nor anything outside them.
    for path in [
        "/app/notes.txt",
        "/app/pkg/spur_web.d.ts",
        "/app/../Cargo.toml",
        "/app/pkg/../../shell/app.js",
        "/app/x.js",
        "/app/pkg/.git/x.js",
    ] {
        let (status, h, _) = get(&r, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{path}");
    }
}

#[tokio::test]
async fn a_changed_file_is_a_new_release_and_a_bad_configuration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (shell, pkg) = shell_files(dir.path(), "one");
    let first = App::load(&shell, &pkg, &config("spur.example")).unwrap();
    std::fs::write(shell.join("app.js"), "two").unwrap();
    let second = App::load(&shell, &pkg, &config("spur.example")).unwrap();
    assert_ne!(first.release(), second.release());
    let third = App::load(&shell, &pkg, &config("other.example")).unwrap();
    assert_ne!(second.release(), third.release());
    assert_eq!(second.release().len(), 64);
    // A policy cannot be widened through a server URL, and every required file must be there.
    let mut bad = config("spur.example");
    bad.tag_url = "https://x; script-src *".into();
    assert!(App::load(&shell, &pkg, &bad).is_err());
    std::fs::write(
        shell.join("index.html"),
        "<script integrity=\"{{integrity:evil.js}}\"></script>",
    )
    .unwrap();
    assert!(App::load(&shell, &pkg, &config("spur.example")).is_err());
    std::fs::remove_file(pkg.join("spur_web_bg.wasm")).unwrap();
    assert!(App::load(&shell, &pkg, &config("spur.example")).is_err());
    assert!(App::load(&dir.path().join("none"), &pkg, &config("spur.example")).is_err());
}

#[tokio::test]
async fn code_pages_link_into_the_web_check_in_only_when_it_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let (shell, pkg) = shell_files(dir.path(), "x");
    let r = with_app(App::load(&shell, &pkg, &config("spur.example")).unwrap());
    let (_, _, p) = get(&r, "/P", Some("en")).await;
    assert!(
        p.contains(
            "<a id=\"browser-link\" class=\"button\" href=\"/app/\">Check in with this browser</a>"
        ),
        "{p}"
    );
    let (_, _, a) = get(&r, "/A", Some("de")).await;
    assert!(a.contains("Im Browser einwilligen"), "{a}");
    let (_, _, c) = get(&r, "/C", Some("en")).await;
    assert!(
        !c.contains("browser-link") && c.contains("not available"),
        "{c}"
    );
    let (_, _, p) = get(&configured(), "/P", Some("en")).await;
    assert!(!p.contains("browser-link"), "{p}");
    let (status, _, _) = get(&configured(), "/app/", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn servers_answer_browsers_only_from_the_configured_web_origins() {
    let limits = Limits {
        web_origins: vec![spur_server::web::cors::parse_origin("https://spur.example").unwrap()],
        rate: None,
        ..Limits::default()
    };
    let r = spur_server::http::finish(
        axum::Router::new().route("/v", axum::routing::post(|| async { "ok" })),
        &limits,
    );
    let send = |origin: &'static str, method: &'static str| {
        let r = r.clone();
        async move {
            let req = Request::builder()
                .method(method)
                .uri("/v")
                .header(header::ORIGIN, origin)
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .body(Body::empty())
                .unwrap();
            r.oneshot(req).await.unwrap()
        }
    };
    let pre = send("https://spur.example", "OPTIONS").await;
    assert_eq!(pre.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pre.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://spur.example"
    );
    assert_eq!(
        pre.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS],
        "content-type"
    );
    assert!(pre
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
        .is_none());
    let post = send("https://spur.example", "POST").await;
    assert_eq!(post.status(), StatusCode::OK);
    assert_eq!(
        post.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://spur.example"
    );
    for other in ["https://evil.example", "null", "https://spur.example.evil"] {
        for method in ["OPTIONS", "POST"] {
            let resp = send(other, method).await;
            assert!(
                resp.headers()
                    .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                    .is_none(),
                "{other} {method}"
            );
        }
    }
}
