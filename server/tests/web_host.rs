//! The web host (`spur server web`): every page answers with the security headers and no cookie,
//! in the language asked for; the app-links files are JSON with the configured values; unknown
//! paths are 404; the pages never carry anything that could leave the browser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use spur_server::limits::Limits;
use spur_server::web::{router, AppLinks};
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
