//! The handlers of the desk's pages: login, cases, one case (code, files, contact list with
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
    t: Words<'a>,
    c: Chrome,
    message: String,
    back: String,
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

/// `GET /login`: the login form (starts an anonymous session for its CSRF token).
pub async fn login_form(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some((_, sess)) = session(&s, &headers) {
        if sess.staff.is_some() {
            return Redirect::to("/").into_response();
        }
        return login_page(&s, &sess, None, "", StatusCode::OK, None);
    }
    let lang = super::lang::desk_lang(&lock(&s.desk));
    let token = lock(&s.sessions).start(&mut OsRng, None, lang);
    let sess = lock(&s.sessions).get(&token);
    match sess {
        Some(sess) => login_page(&s, &sess, None, "", StatusCode::OK, Some(&token)),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    t: Words<'a>,
    c: Chrome,
    error: Option<String>,
    name: String,
}

fn login_page(
    s: &Shared,
    sess: &Session,
    error: Option<String>,
    name: &str,
    status: StatusCode,
    new_cookie: Option<&str>,
) -> Response {
    let t = words(s, sess);
    let mut c = chrome(t.w("web-login-title"), sess);
    c.staff = None;
    let mut r = html(LoginPage {
        t,
        c,
        error,
        name: name.to_owned(),
    });
    *r.status_mut() = status;
    if let Some(tok) = new_cookie {
        if let Ok(v) = set_cookie(tok).parse() {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    r
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    name: String,
    password: String,
}

/// `POST /login`: checks the password (Argon2id), counts and audits failures, locks a name after
/// too many, and on success starts a fresh session (a new token: no session fixation).
pub async fn login(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let password = zeroize::Zeroizing::new(f.password);
    let Some((old, sess)) = session(&s, &headers) else {
        return Redirect::to("/login").into_response();
    };
    if !same(&sess.csrf, &f.csrf) {
        return forbidden();
    }
    let name = f.name.trim().to_owned();
    let t = words(&s, &sess);
    if lock(&s.sessions).locked(&name) {
        let _ = crate::audit::record_in(
            &s.dir,
            "web-login-locked",
            serde_json::json!({ "staff": name }),
        );
        return login_page(
            &s,
            &sess,
            Some(t.w("web-login-locked")),
            &name,
            StatusCode::TOO_MANY_REQUESTS,
            None,
        );
    }
    let dir = s.dir.clone();
    let (n2, p2) = (name.clone(), password.clone());
    let ok = tokio::task::spawn_blocking(move || super::staff::check(&dir, &n2, &p2))
        .await
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or(false);
    if !ok {
        let n = lock(&s.sessions).failed(&name);
        let _ = crate::audit::record_in(
            &s.dir,
            "web-login-failed",
            serde_json::json!({ "staff": if super::staff::valid_name(&name) { name.as_str() } else { "(invalid name)" }, "failures": n }),
        );
        return login_page(
            &s,
            &sess,
            Some(t.w("web-login-wrong")),
            &name,
            StatusCode::UNAUTHORIZED,
            None,
        );
    }
    let token = {
        let mut ss = lock(&s.sessions);
        ss.succeeded(&name);
        ss.end(&old);
        ss.start(&mut OsRng, Some(name.clone()), sess.lang)
    };
    let _ = crate::audit::record_in(&s.dir, "web-login", serde_json::json!({ "staff": name }));
    let mut r = Redirect::to("/").into_response();
    if let Ok(v) = set_cookie(&token).parse() {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// A form with only the CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let (t, _, name) = match staff_post(&s, &headers, &f.csrf) {
        Ok(x) => x,
        Err(r) => return r,
    };
    lock(&s.sessions).end(&t);
    let _ = crate::audit::record_in(&s.dir, "web-logout", serde_json::json!({ "staff": name }));
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0").parse() {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// The language switch.
#[derive(Deserialize)]
pub struct LangForm {
    csrf: String,
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /lang`: the session's page language.
pub async fn set_lang(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<LangForm>,
) -> Response {
    let Some((t, sess)) = session(&s, &headers) else {
        return Redirect::to("/login").into_response();
    };
    if !same(&sess.csrf, &f.csrf) {
        return forbidden();
    }
    lock(&s.sessions).set_lang(&t, Lang::from_tag(&f.lang));
    // Only a path of this site: never an address elsewhere.
    let back = if f.back.starts_with('/') && !f.back.starts_with("//") {
        f.back
    } else {
        "/".into()
    };
    Redirect::to(&back).into_response()
}

/// One case on the overview.
pub struct CaseLine {
    /// Status.
    pub s: CaseStatus,
    /// Link.
    pub href: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    t: Words<'a>,
    c: Chrome,
    cases: Vec<CaseLine>,
    own: u16,
    form: OpenCaseForm,
    error: Option<(String, String)>,
    today: String,
}

fn case_href(authority: u16, case_id: &str) -> String {
    format!("/cases/{authority}/{}", url_seg(case_id))
}

/// A case id as one URL path segment (ids hold A–Z, 0–9, `-` and `/`).
fn url_seg(s: &str) -> String {
    s.replace('/', "%2F")
}

fn home_page(
    s: &Shared,
    sess: &Session,
    form: OpenCaseForm,
    error: Option<(String, String)>,
) -> Response {
    let t = words(s, sess);
    let (cases, own) = {
        let desk = lock(&s.desk);
        (workflow::cases(&desk), desk.id)
    };
    let cases = match cases {
        Ok(c) => c,
        Err(e) => {
            return error_page(
                s,
                sess,
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
                "/",
            )
        }
    };
    let c = chrome(t.w("web-cases-title"), sess);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = html(HomePage {
        t,
        c,
        cases: cases
            .into_iter()
            .map(|c| CaseLine {
                href: case_href(c.authority, &c.case_id),
                s: c,
            })
            .collect(),
        own,
        form,
        error,
        today: now().day().date_text(),
    });
    *r.status_mut() = status;
    r
}

/// `GET /`: the cases at a glance and the form to open a case.
pub async fn home(State(s): State<Shared>, headers: HeaderMap) -> Response {
    match staff(&s, &headers) {
        Ok((_, sess, _)) => home_page(&s, &sess, OpenCaseForm::default(), None),
        Err(r) => r,
    }
}

fn now() -> spur_protocol::time::Minute {
    spur_protocol::time::Clock::minute(&spur_protocol::time::SystemClock)
}

/// The form that opens a case.
#[derive(Default, Deserialize)]
pub struct OpenCaseForm {
    #[serde(default)]
    csrf: String,
    /// Case id.
    #[serde(default)]
    pub case: String,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
    /// First day.
    #[serde(default)]
    pub first_day: String,
    /// Number of days.
    #[serde(default)]
    pub days: String,
}

/// `POST /cases`: makes the consent code (the CLI's `consent-code`), keeps its PNG, PDF and
/// `.code` file for the case page, and shows the case.
pub async fn open_case(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<OpenCaseForm>,
) -> Response {
    let (_, sess, who) = match staff_post(&s, &headers, &f.csrf) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let t = words(&s, &sess);
    let case_id = f.case.trim().to_uppercase();
    let phone = match spur_protocol::fields::PhoneNumber::parse(f.phone.trim()) {
        Ok(p) => p,
        Err(_) => {
            let e = Some(("phone".into(), t.w("web-error-phone")));
            return home_page(&s, &sess, f, e);
        }
    };
    let Some(first_day) = spur_protocol::time::Day::from_date_text(f.first_day.trim()) else {
        let e = Some(("first_day".into(), t.w("web-error-date")));
        return home_page(&s, &sess, f, e);
    };
    let Ok(days) = f.days.trim().parse::<u8>() else {
        let e = Some(("days".into(), t.w("web-error-days")));
        return home_page(&s, &sess, f, e);
    };
    let made = {
        let desk = lock(&s.desk);
        let tm = now();
        crate::code::make(
            &desk,
            &mut OsRng,
            &s.host,
            &crate::code::CodeRequest {
                case_id: &case_id,
                first_day,
                days,
                now: tm,
                expires: tm.plus(s.valid_hours * 60),
            },
            &phone,
        )
        .and_then(|m| {
            let dir = outbox(&s.dir, desk.id, &case_id);
            let c = crate::case::safe(&case_id);
            workflow::write_for_vault(
                &dir,
                &[
                    workflow::ForVault {
                        name: format!("consent-{c}.png"),
                        bytes: m.png,
                    },
                    workflow::ForVault {
                        name: format!("consent-{c}.pdf"),
                        bytes: m.pdf,
                    },
                    workflow::ForVault {
                        name: format!("consent-{c}.code"),
                        bytes: format!("{}\n", m.url).into_bytes(),
                    },
                ],
            )?;
            crate::audit::record(
                &desk,
                "web-consent-code",
                serde_json::json!({ "case": case_id, "staff": who }),
            )?;
            Ok(desk.id)
        })
    };
    match made {
        Ok(authority) => Redirect::to(&case_href(authority, &case_id)).into_response(),
        Err(e) => {
            let field = match &e {
                DeskError::Protocol(_) => "case",
                _ => "days",
            };
            let e = Some((field.into(), e.to_string()));
            home_page(&s, &sess, f, e)
        }
    }
}

/// A file waiting for download.
pub struct FileLine {
    /// Its name.
    pub name: String,
    /// Its link.
    pub href: String,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage<'a> {
    t: Words<'a>,
    c: Chrome,
    status: CaseStatus,
    base: String,
    code_png: Option<String>,
    code_pdf: Option<String>,
    code_url: Option<String>,
    files: Vec<FileLine>,
    rows: Option<Vec<Row>>,
    statuses: Vec<CallStatus>,
}

fn files_of(s: &Shared, authority: u16, case_id: &str) -> Vec<FileLine> {
    let dir = outbox(&s.dir, authority, case_id);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        // The consent code's picture and sheet are shown with the code, not handed to the vault.
        .filter(|n| !n.ends_with(".png") && !n.ends_with(".pdf"))
        .map(|name| FileLine {
            href: format!("{}/files/{name}", case_href(authority, case_id)),
            name,
        })
        .collect()
}

/// `GET /cases/{authority}/{case}`: the case at a glance.
pub async fn case_page(
    State(s): State<Shared>,
    headers: HeaderMap,
    UrlPath((authority, case_id)): UrlPath<(u16, String)>,
) -> Response {
    let (_, sess, _) = match staff(&s, &headers) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let found = {
        let desk = lock(&s.desk);
        workflow::status(&desk, authority, &case_id)
            .and_then(|st| Ok((st, super::contacts::rows(&desk, authority, &case_id)?)))
    };
    let (status, rows) = match found {
        Ok((Some(st), rows)) => (st, rows),
        Ok((None, _)) => return not_found_page(&s, &sess),
        Err(e) => {
            return error_page(
                &s,
                &sess,
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
                "/",
            )
        }
    };
    let files = files_of(&s, authority, &case_id);
    let c = crate::case::safe(&case_id);
    let base = case_href(authority, &case_id);
    let has = |n: &str| outbox(&s.dir, authority, &case_id).join(n).is_file();
    let code_png =
        has(&format!("consent-{c}.png")).then(|| format!("{base}/files/consent-{c}.png"));
    let code_pdf =
        has(&format!("consent-{c}.pdf")).then(|| format!("{base}/files/consent-{c}.pdf"));
    let code_url = std::fs::read_to_string(
        outbox(&s.dir, authority, &case_id).join(format!("consent-{c}.code")),
    )
    .ok()
    .map(|u| u.trim().to_owned());
    let t = words(&s, &sess);
    let cr = chrome(t.s("web-case-title", "case", &case_id), &sess);
    html(CasePage {
        t,
        c: cr,
        status,
        base,
        code_png,
        code_pdf,
        code_url,
        files,
        rows,
        statuses: CallStatus::ALL.to_vec(),
    })
}

/// The call form of one contact.
#[derive(Deserialize)]
pub struct CallForm {
    csrf: String,
    phone: String,
    status: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{authority}/{case}/calls`: keeps a call status and note.
pub async fn set_call(
    State(s): State<Shared>,
    headers: HeaderMap,
    UrlPath((authority, case_id)): UrlPath<(u16, String)>,
    Form(f): Form<CallForm>,
) -> Response {
    let (_, sess, who) = match staff_post(&s, &headers, &f.csrf) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(status) = CallStatus::parse(&f.status) else {
        return error_page(
            &s,
            &sess,
            StatusCode::BAD_REQUEST,
            words(&s, &sess).w("web-error-status"),
            &case_href(authority, &case_id),
        );
    };
    let r = {
        let desk = lock(&s.desk);
        desk.cases_dir().and_then(|cases| {
            let listed = super::contacts::on_list(&desk, authority, &case_id, &f.phone)?;
            calls::set(
                &cases,
                authority,
                &case_id,
                &f.phone,
                Call {
                    status,
                    note: f.note.trim().to_owned(),
                    by: who.clone(),
                    minute: now().0,
                },
                |_| listed,
            )?;
            crate::audit::record(
                &desk,
                "web-call",
                serde_json::json!({ "case": case_id, "status": status.name(), "staff": who }),
            )
        })
    };
    match r {
        Ok(()) => {
            Redirect::to(&format!("{}#contacts", case_href(authority, &case_id))).into_response()
        }
        Err(e) => error_page(
            &s,
            &sess,
            StatusCode::BAD_REQUEST,
            e.to_string(),
            &case_href(authority, &case_id),
        ),
    }
}

/// `GET /cases/{authority}/{case}/files/{name}`: a file for the vault (or the consent sheet).
pub async fn download(
    State(s): State<Shared>,
    headers: HeaderMap,
    UrlPath((authority, case_id, name)): UrlPath<(u16, String, String)>,
) -> Response {
    let (_, sess, who) = match staff(&s, &headers) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        return not_found_page(&s, &sess);
    }
    let p = outbox(&s.dir, authority, &case_id).join(&name);
    let Ok(bytes) = std::fs::read(&p) else {
        return not_found_page(&s, &sess);
    };
    let _ = crate::audit::record_in(
        &s.dir,
        "web-download",
        serde_json::json!({ "case": case_id, "file": name, "staff": who }),
    );
    let (ctype, inline) = match name.rsplit('.').next() {
        Some("png") => ("image/png", true),
        Some("pdf") => ("application/pdf", true),
        Some("code") => ("text/plain; charset=utf-8", false),
        _ => ("application/octet-stream", false),
    };
    let disp = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    (
        [
            (header::CONTENT_TYPE, ctype.to_owned()),
            (header::CONTENT_DISPOSITION, disp),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    t: Words<'a>,
    c: Chrome,
    error: Option<String>,
    done: Option<Done>,
}

/// What an import did, for the page.
pub struct Done {
    kind: &'static str,
    said: Vec<Msg>,
    notes: Vec<String>,
    files: Vec<FileLine>,
    case_href: String,
    case_id: String,
}

/// `GET /import`: the upload form.
pub async fn import_form(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let (_, sess, _) = match staff(&s, &headers) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let t = words(&s, &sess);
    let c = chrome(t.w("web-import-title"), &sess);
    html(ImportPage {
        t,
        c,
        error: None,
        done: None,
    })
}

async fn fields(mut m: Multipart) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    while let Some(f) = m.next_field().await.map_err(|e| e.to_string())? {
        let name = f.name().unwrap_or("").to_owned();
        let bytes = f.bytes().await.map_err(|e| e.to_string())?;
        out.push((name, bytes.to_vec()));
    }
    Ok(out)
}

fn field<'a>(fs: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    fs.iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
}

fn text_field(fs: &[(String, Vec<u8>)], name: &str) -> String {
    field(fs, name)
        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
        .unwrap_or_default()
}

/// `POST /import`: brings in a file from the vault (kind read from its content).
pub async fn import(State(s): State<Shared>, headers: HeaderMap, m: Multipart) -> Response {
    let fs = match fields(m).await {
        Ok(f) => f,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let (_, sess, who) = match staff_post(&s, &headers, &text_field(&fs, "csrf")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let t = words(&s, &sess);
    let page = |t: Words<'_>, error: Option<String>, done: Option<Done>| {
        let c = chrome(t.w("web-import-title"), &sess);
        let bad = error.is_some();
        let mut r = html(ImportPage { t, c, error, done });
        if bad {
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        }
        r
    };
    let file = match field(&fs, "file") {
        Some(b) if !b.is_empty() => b,
        _ => return page(t, Some(words(&s, &sess).w("web-error-no-file")), None),
    };
    let tmp: Result<Vec<_>, _> = fs
        .iter()
        .filter(|(n, b)| n == "tmp_keys" && !b.is_empty())
        .map(|(_, b)| crate::open::TmpHistory::parse(b))
        .collect();
    let tmp = match tmp {
        Ok(t) => t,
        Err(e) => return page(t, Some(e.to_string()), None),
    };
    let candidate = text_field(&fs, "candidate").parse::<usize>().ok();
    let r = {
        let desk = lock(&s.desk);
        imported(
            &s,
            &desk,
            file,
            &ImportOptions {
                tmp_keys: tmp,
                candidate,
            },
            &who,
        )
    };
    match r {
        Ok(done) => page(t, None, Some(done)),
        Err(e) => page(t, Some(e.to_string()), None),
    }
}

fn imported(
    s: &Shared,
    desk: &Desk,
    file: &[u8],
    opts: &ImportOptions,
    who: &str,
) -> crate::Result<Done> {
    let i = workflow::import(desk, &mut OsRng, file, opts)?;
    let dir = outbox(&s.dir, i.authority, &i.case_id);
    let written = workflow::write_for_vault(&dir, &i.for_vault)?;
    crate::audit::record(
        desk,
        "web-import",
        serde_json::json!({ "case": i.case_id, "kind": i.kind.name(), "staff": who }),
    )?;
    let href = case_href(i.authority, &i.case_id);
    Ok(Done {
        kind: workflow::kind_id(i.kind),
        said: i.said,
        notes: i.notes,
        files: written
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| {
                let name = n.to_string_lossy().into_owned();
                FileLine {
                    href: format!("{href}/files/{name}"),
                    name,
                }
            })
            .collect(),
        case_href: href,
        case_id: i.case_id,
    })
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage<'a> {
    t: Words<'a>,
    c: Chrome,
    error: Option<String>,
    request: Option<FileLine>,
    case_id: String,
    card: String,
    done: Option<Done>,
    today: String,
}

fn card_page(
    s: &Shared,
    sess: &Session,
    error: Option<String>,
    request: Option<FileLine>,
    case_id: &str,
    card: &str,
    done: Option<Done>,
) -> Response {
    let t = words(s, sess);
    let c = chrome(t.w("web-card-title"), sess);
    let bad = error.is_some();
    let mut r = html(CardPage {
        t,
        c,
        error,
        request,
        case_id: case_id.to_owned(),
        card: card.to_owned(),
        done,
        today: now().day().date_text(),
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// `GET /card`: the card-only trace.
pub async fn card_form(State(s): State<Shared>, headers: HeaderMap) -> Response {
    match staff(&s, &headers) {
        Ok((_, sess, _)) => card_page(&s, &sess, None, None, "", "", None),
        Err(r) => r,
    }
}

/// Step 1 of a card trace.
#[derive(Deserialize)]
pub struct CardRequestForm {
    csrf: String,
    case: String,
    card: String,
    first_day: String,
    days: String,
}

fn personal_code(url: &str) -> crate::Result<spur_protocol::qr::PersonalCode> {
    match spur_protocol::qr::Payload::parse(url)?.code {
        spur_protocol::qr::Code::Personal(p) => Ok(p),
        _ => Err(DeskError::Refused(
            "this is not a personal code's URL".into(),
        )),
    }
}

/// `POST /card`: signs the history request for the card (the CLI's `history-request`) and offers
/// it for download, to be sent to the TAG server.
pub async fn card_request(
    State(s): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<CardRequestForm>,
) -> Response {
    let (_, sess, who) = match staff_post(&s, &headers, &f.csrf) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let case_id = f.case.trim().to_uppercase();
    let r = (|| -> crate::Result<FileLine> {
        spur_protocol::consent::validate_case_id(&case_id)?;
        let code = personal_code(f.card.trim())?;
        let first = spur_protocol::time::Day::from_date_text(f.first_day.trim())
            .ok_or_else(|| DeskError::Refused(words(&s, &sess).w("web-error-date")))?;
        let days: u32 = f
            .days
            .trim()
            .parse()
            .map_err(|_| DeskError::Refused(words(&s, &sess).w("web-error-days")))?;
        let (first_slot, last) = workflow::history_slots(first, days, now())
            .ok_or_else(|| DeskError::Refused(words(&s, &sess).w("web-error-days")))?;
        let desk = lock(&s.desk);
        let req = crate::history::request(&desk, &mut OsRng, code.id, first_slot, last, now())?;
        let name = format!("history-request-{}.bin", crate::case::safe(&case_id));
        workflow::write_for_vault(
            &outbox(&s.dir, desk.id, &case_id),
            &[workflow::ForVault {
                name: name.clone(),
                bytes: req.clone(),
            }],
        )?;
        crate::audit::record(
            &desk,
            "history-request",
            serde_json::json!({
                "request": data_encoding::HEXLOWER.encode(&spur_wire::exchange::request_tag(&req)),
                "first_slot": first_slot.0, "last_slot": last.0, "staff": who,
            }),
        )?;
        Ok(FileLine {
            href: format!("{}/files/{name}", case_href(desk.id, &case_id)),
            name,
        })
    })();
    match r {
        Ok(file) => card_page(&s, &sess, None, Some(file), &case_id, f.card.trim(), None),
        Err(e) => card_page(
            &s,
            &sess,
            Some(e.to_string()),
            None,
            &case_id,
            f.card.trim(),
            None,
        ),
    }
}

/// `POST /card/trace`: with the TAG server's answer (and the PIN), the SCAN-key file (the CLI's
/// `card-trace`).
pub async fn card_trace(State(s): State<Shared>, headers: HeaderMap, m: Multipart) -> Response {
    let fs = match fields(m).await {
        Ok(f) => f,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let (_, sess, who) = match staff_post(&s, &headers, &text_field(&fs, "csrf")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let case_id = text_field(&fs, "case").to_uppercase();
    let card = text_field(&fs, "card");
    let pin = zeroize::Zeroizing::new(text_field(&fs, "pin"));
    let answer = field(&fs, "tmp_keys").unwrap_or_default().to_vec();
    let s2 = s.clone();
    let (c2, card2, who2) = (case_id.clone(), card.clone(), who.clone());
    let r = tokio::task::spawn_blocking(move || -> crate::Result<Done> {
        let code = personal_code(&card2)?;
        let tag = code.tag((!pin.is_empty()).then_some(pin.as_str()), s2.kdf)?;
        if code.pin_protected {
            let answer =
                match &s2.pin_check {
                    Some(check) => check(&code.id, &tag)?,
                    None => return Err(DeskError::Refused(
                        "this card is PIN-protected and this desk was started without the POST \
                         server's URL to check the PIN: restart `spur authority serve` with --post"
                            .into(),
                    )),
                };
            crate::card::require_confirmed_pin(answer)?;
        }
        let desk = lock(&s2.desk);
        let req_path = outbox(&s2.dir, desk.id, &c2)
            .join(format!("history-request-{}.bin", crate::case::safe(&c2)));
        let request = std::fs::read(&req_path).map_err(|_| {
            DeskError::Refused("make the history request for this case first (step 1)".into())
        })?;
        // The TAG server's answer counts only when every key verifies against its published key.
        let history = crate::history::finish(&desk, &request, &code.id, &answer)?;
        let o =
            crate::card::card_trace(&desk, &mut OsRng, &c2, &code.id, &tag, &request, &history)?;
        crate::case::save(
            &crate::case::case_path(&desk.cases_dir()?, &o.case.case_id),
            &o.case,
        )?;
        let name = format!("scan-keys-{}.spkg", crate::case::safe(&c2));
        workflow::write_for_vault(
            &outbox(&s2.dir, desk.id, &c2),
            &[workflow::ForVault {
                name: name.clone(),
                bytes: o.scan_file,
            }],
        )?;
        crate::audit::record(
            &desk,
            "web-card-trace",
            serde_json::json!({ "case": c2, "staff": who2 }),
        )?;
        let href = case_href(desk.id, &c2);
        Ok(Done {
            kind: "web-kind-card",
            said: vec![Msg::new("web-did-card")],
            notes: Vec::new(),
            files: vec![FileLine {
                href: format!("{href}/files/{name}"),
                name,
            }],
            case_href: href,
            case_id: c2,
        })
    })
    .await;
    match r {
        Ok(Ok(done)) => card_page(&s, &sess, None, None, &case_id, &card, Some(done)),
        Ok(Err(e)) => card_page(&s, &sess, Some(e.to_string()), None, &case_id, &card, None),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// One audit line on the page.
pub struct AuditLine {
    seq: u64,
    time: String,
    event: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    t: Words<'a>,
    c: Chrome,
    lines: Vec<AuditLine>,
    page: usize,
    pages: usize,
    verified: String,
}

/// The page number.
#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<usize>,
}

/// `GET /audit?page=N`: the desk's audit log, newest first, read-only.
pub async fn audit(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let (_, sess, _) = match staff(&s, &headers) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let t = words(&s, &sess);
    let text = std::fs::read_to_string(s.dir.join(crate::audit::LOG_FILE)).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    let pages = all.len().div_ceil(AUDIT_PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let desk = lock(&s.desk);
    let lines = all
        .iter()
        .rev()
        .skip((page - 1) * AUDIT_PAGE)
        .take(AUDIT_PAGE)
        .filter_map(|l| {
            let (_, json) = l.split_once(' ')?;
            let v: serde_json::Value = serde_json::from_str(json).ok()?;
            let unix = v.get("unix")?.as_u64()?;
            Some(AuditLine {
                seq: v.get("seq")?.as_u64()?,
                time: desk.local_time(spur_protocol::time::Minute(
                    u32::try_from(unix / 60).unwrap_or(u32::MAX),
                )),
                event: v.get("event")?.as_str()?.to_owned(),
                detail: v.get("detail").map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    drop(desk);
    let verified = match crate::audit::verify(&s.dir) {
        Ok(r) => t.n("web-audit-verified", "lines", r.lines),
        Err(e) => e.to_string(),
    };
    let c = chrome(t.w("web-audit-title"), &sess);
    html(AuditPage {
        t,
        c,
        lines,
        page,
        pages,
        verified,
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct NotFound<'a> {
    t: Words<'a>,
    c: Chrome,
    message: String,
    back: String,
}

fn not_found_page(s: &Shared, sess: &Session) -> Response {
    let t = words(s, sess);
    let c = chrome(t.w("web-error-title"), sess);
    let message = t.w("web-not-found");
    let mut r = html(NotFound {
        t,
        c,
        message,
        back: "/".into(),
    });
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

/// Any other address.
pub async fn not_found(State(s): State<Shared>, headers: HeaderMap) -> Response {
    match staff(&s, &headers) {
        Ok((_, sess, _)) => not_found_page(&s, &sess),
        Err(r) => r,
    }
}
