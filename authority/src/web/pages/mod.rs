//! The handlers of the desk's pages, one file per page: login, cases, one case (code, files, contact list with
//! calls), bringing in files, card-only traces, the audit log. Every POST checks the session's
//! CSRF token; every desk step goes through the same library functions the CLI calls.

use std::sync::MutexGuard;

use askama::Template;
use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rand_core::OsRng;
use serde::Deserialize;
use spur_i18n::{Lang, Msg};

use super::contacts::Row;
use super::session::{cookie, same, Session, COOKIE};
use super::words::Words;
use super::{outbox, Shared};
use crate::calls::{self, Call, CallStatus};
use crate::workflow::{self, CaseStatus, ImportOptions};
use crate::{Desk, DeskError};

/// The largest upload accepted (a package from the vault; bigger ones are refused).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Audit lines per page.
const AUDIT_PAGE: usize = 50;

/// What every page's frame needs.
pub struct Chrome {
    /// Page title.
    pub title: String,
    /// Logged-in staff member.
    pub staff: Option<String>,
    /// CSRF token of the session.
    pub csrf: String,
}

fn html(t: impl Template) -> Response {
    match t.render() {
        Ok(s) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], s).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    let c = headers.get(header::COOKIE)?.to_str().ok()?;
    cookie(c, COOKIE).map(str::to_owned)
}

fn session(s: &Shared, headers: &HeaderMap) -> Option<(String, Session)> {
    let t = token_of(headers)?;
    let sess = lock(&s.sessions).get(&t)?;
    Some((t, sess))
}

fn lock<T>(m: &std::sync::Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn set_cookie(token: &str) -> String {
    // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it. Not `Secure`:
    // the desk is served over plain HTTP on loopback (a TLS proxy may add it when remote).
    format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/")
}

/// A logged-in session, or a redirect to the login page.
#[allow(clippy::result_large_err)]
fn staff(s: &Shared, headers: &HeaderMap) -> Result<(String, Session, String), Response> {
    match session(s, headers) {
        Some((t, sess)) => match sess.staff.clone() {
            Some(name) => Ok((t, sess, name)),
            None => Err(Redirect::to("/login").into_response()),
        },
        None => Err(Redirect::to("/login").into_response()),
    }
}

/// A logged-in session whose form carried its CSRF token.
#[allow(clippy::result_large_err)]
fn staff_post(
    s: &Shared,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(String, Session, String), Response> {
    let (t, sess, name) = staff(s, headers)?;
    if !same(&sess.csrf, csrf) {
        return Err(forbidden());
    }
    Ok((t, sess, name))
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "the form is out of date or from elsewhere: reload the page and try again",
    )
        .into_response()
}

fn chrome(title: String, sess: &Session) -> Chrome {
    Chrome {
        title,
        staff: sess.staff.clone(),
        csrf: sess.csrf.clone(),
    }
}

fn words<'a>(s: &'a Shared, sess: &Session) -> Words<'a> {
    Words::new(&s.texts, sess.lang)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) message: String,
    pub(super) back: String,
}

fn error_page(
    s: &Shared,
    sess: &Session,
    status: StatusCode,
    message: String,
    back: &str,
) -> Response {
    let t = words(s, sess);
    let c = chrome(t.w("web-error-title"), sess);
    let mut r = html(ErrorPage {
        t,
        c,
        message,
        back: back.to_owned(),
    });
    *r.status_mut() = status;
    r
}

mod audit;
mod card;
mod case;
mod cases;
mod import;
mod login;
mod notfound;

// Every page file sees the others' helpers (and this file's) through `use super::*`.
pub use self::audit::{audit, AuditLine, PageQuery};
pub use self::card::{card_form, card_request, card_trace, CardRequestForm};
pub use self::case::{case_page, download, set_call, CallForm};
pub use self::cases::{home, open_case, CaseLine, FileLine, OpenCaseForm};
pub use self::import::{import, import_form, Done};
pub use self::login::{login, login_form, logout, set_lang, CsrfForm, LangForm, LoginForm};
pub use self::notfound::not_found;
#[allow(unused_imports)]
use self::{audit::*, card::*, case::*, cases::*, import::*, login::*, notfound::*};
