//! The server-rendered pages: the home page and one page per code kind, in the language the
//! browser asks for. The words are in the HTML (no script needed to read them); the code's own
//! contents are not, since the server never sees them: the page's script fills them in from the
//! fragment, as text only.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::texts::{catalog, lang, Lang, Msg};
use super::{SCRIPT_PATH, STYLE_PATH};

/// The three kinds of spur code, by their URL path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `/P`: a place's code.
    Place,
    /// `/C`: a personal code.
    Personal,
    /// `/A`: a health authority's consent code.
    Consent,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Personal => "personal",
            Self::Consent => "consent",
        }
    }
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One message, escaped.
fn t(l: Lang, id: &'static str) -> String {
    escape(&catalog().get(l, id))
}

fn document(l: Lang, title: &str, body: &str, script: bool) -> Response {
    let script = if script {
        format!("<script src=\"{SCRIPT_PATH}\" defer></script>")
    } else {
        String::new()
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{STYLE_PATH}\">\n{script}\n\
         </head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        lang = l.tag(),
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::VARY, "Accept-Language"),
        ],
        html,
    )
        .into_response()
}

/// `/`: what spur is.
pub fn home(headers: &HeaderMap) -> Response {
    let l = lang(headers);
    let title = t(l, "web-title-home");
    let body = format!(
        "<h1>{title}</h1>\n<p>{}</p>\n<p>{}</p>\n",
        t(l, "web-home-text"),
        t(l, "web-home-apps"),
    );
    document(l, &title, &body, false)
}

/// `/P`, `/C`, `/A`: what the code is, "open in the app", and the browser check-in: a link into
/// the web check-in (`/app/`, when this host serves it) for place and consent codes. The page's
/// script completes the link with the fragment (`/app/#P/…`), which stays in the browser.
pub fn code(kind: Kind, headers: &HeaderMap, app: bool) -> Response {
    let l = lang(headers);
    let (title_id, what_id) = match kind {
        Kind::Place => ("web-title-place", "web-what-place"),
        Kind::Personal => ("web-title-personal", "web-what-personal"),
        Kind::Consent => ("web-title-consent", "web-what-consent"),
    };
    let title = t(l, title_id);
    // The script replaces this marker with the authority number it reads from the fragment.
    let consent_from = escape(&catalog().format(
        l,
        &Msg::new("web-what-consent-from").text("authority", "{authority}"),
    ));
    let place = if kind == Kind::Place {
        format!(
            "<dl id=\"place\" hidden>\n<dt>{}</dt>\n<dd id=\"place-name\"></dd>\n\
             <dt>{}</dt>\n<dd id=\"place-postcode\"></dd>\n</dl>\n",
            t(l, "web-place-name"),
            t(l, "web-place-postcode"),
        )
    } else {
        String::new()
    };
    let path = match kind {
        Kind::Place => "/P",
        Kind::Personal => "/C",
        Kind::Consent => "/A",
    };
    let in_browser = match (kind, app) {
        (Kind::Place, true) => format!(
            "<a id=\"browser-link\" class=\"button\" href=\"/app/\">{}</a>",
            t(l, "web-browser-checkin-open")
        ),
        (Kind::Consent, true) => format!(
            "<a id=\"browser-link\" class=\"button\" href=\"/app/\">{}</a>",
            t(l, "web-browser-consent-open")
        ),
        _ => t(l, "web-browser-checkin-unavailable"),
    };
    let body = format!(
        "<h1>{title}</h1>\n\
         <p id=\"what\" data-kind=\"{kind}\" data-consent-from=\"{consent_from}\">{what}</p>\n\
         {place}\
         <p id=\"unreadable\" class=\"problem\" role=\"alert\" hidden>{unreadable}</p>\n\
         <noscript><p>{noscript}</p></noscript>\n\
         <p><a id=\"open-app\" class=\"button\" href=\"{path}\">{open}</a></p>\n\
         <p class=\"note\">{open_note}</p>\n\
         <h2>{browser}</h2>\n<p id=\"browser-checkin\">{in_browser}</p>\n\
         <p class=\"note\">{fragment}</p>\n\
         <p><a href=\"/\">{home}</a></p>\n",
        kind = kind.name(),
        what = t(l, what_id),
        unreadable = t(l, "web-code-unreadable"),
        noscript = t(l, "web-needs-script"),
        open = t(l, "web-open-in-app"),
        open_note = t(l, "web-open-in-app-note"),
        browser = t(l, "web-browser-checkin"),
        fragment = t(l, "web-fragment-note"),
        home = t(l, "web-home-link"),
    );
    document(l, &title, &body, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(r: Response) -> String {
        use http_body_util::BodyExt;
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn every_message_a_page_uses_exists_in_both_languages() {
        // A missing message would show its id ("web-…") instead of words.
        for tag in ["de", "en"] {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_LANGUAGE, tag.parse().unwrap());
            let mut pages = vec![text(home(&h)).await];
            for kind in [Kind::Place, Kind::Personal, Kind::Consent] {
                pages.push(text(code(kind, &h, false)).await);
                pages.push(text(code(kind, &h, true)).await);
            }
            for page in pages {
                assert!(page.contains(&format!("<html lang=\"{tag}\">")), "{page}");
                assert!(!page.contains("web-"), "{page}");
            }
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
