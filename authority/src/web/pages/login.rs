//! Login, logout and the language switch: Argon2id passwords, a fresh session at login, CSRF on every form.

use super::*;

/// `GET /login`: the login form (starts an anonymous session for its CSRF token).
pub async fn login_form(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some((_, sess)) = session(&s, &headers) {
        if sess.staff.is_some() {
            return Redirect::to("/").into_response();
        }
        return login_page(&s, &sess, None, "", StatusCode::OK, None);
    }
    let lang = super::super::lang::desk_lang(&lock(&s.desk));
    let token = lock(&s.sessions).start(&mut OsRng, None, lang);
    let sess = lock(&s.sessions).get(&token);
    match sess {
        Some(sess) => login_page(&s, &sess, None, "", StatusCode::OK, Some(&token)),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) error: Option<String>,
    pub(super) name: String,
}

pub(super) fn login_page(
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
    pub(super) csrf: String,
    pub(super) name: String,
    pub(super) password: String,
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
    let ok = tokio::task::spawn_blocking(move || super::super::staff::check(&dir, &n2, &p2))
        .await
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or(false);
    if !ok {
        let n = lock(&s.sessions).failed(&name);
        let _ = crate::audit::record_in(
            &s.dir,
            "web-login-failed",
            serde_json::json!({ "staff": if super::super::staff::valid_name(&name) { name.as_str() } else { "(invalid name)" }, "failures": n }),
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
    pub(super) csrf: String,
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
    pub(super) csrf: String,
    pub(super) lang: String,
    #[serde(default)]
    pub(super) back: String,
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
