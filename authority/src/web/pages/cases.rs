//! The cases overview (every case and where it stands) and opening a new case.

use super::*;

#[derive(Template)]
#[template(path = "home.html")]
pub(super) struct HomePage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) cases: Vec<CaseLine>,
    pub(super) own: u16,
    pub(super) form: OpenCaseForm,
    pub(super) error: Option<(String, String)>,
    pub(super) today: String,
}

pub(super) fn case_href(authority: u16, case_id: &str) -> String {
    format!("/cases/{authority}/{}", url_seg(case_id))
}

/// A case id as one URL path segment (ids hold A–Z, 0–9, `-` and `/`).
pub(super) fn url_seg(s: &str) -> String {
    s.replace('/', "%2F")
}

pub(super) fn home_page(
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
                e.say(sess.lang),
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

pub(super) fn now() -> spur_protocol::time::Minute {
    spur_protocol::time::Clock::minute(&spur_protocol::time::SystemClock)
}

/// The form that opens a case.
#[derive(Default, Deserialize)]
pub struct OpenCaseForm {
    #[serde(default)]
    pub(super) csrf: String,
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
            let e = Some((field.into(), e.say(sess.lang)));
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

/// One case on the overview.
pub struct CaseLine {
    /// Status.
    pub s: CaseStatus,
    /// Link.
    pub href: String,
}
