//! One case: its progress, consent code and sheet, the files for the vault, the contact list with calls.

use super::*;

#[derive(Template)]
#[template(path = "case.html")]
pub(super) struct CasePage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) status: CaseStatus,
    pub(super) base: String,
    pub(super) code_png: Option<String>,
    pub(super) code_pdf: Option<String>,
    pub(super) code_url: Option<String>,
    pub(super) files: Vec<FileLine>,
    pub(super) rows: Option<Vec<Row>>,
    pub(super) statuses: Vec<CallStatus>,
}

pub(super) fn files_of(s: &Shared, authority: u16, case_id: &str) -> Vec<FileLine> {
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
        workflow::status(&desk, authority, &case_id).and_then(|st| {
            Ok((
                st,
                super::super::contacts::rows(&desk, authority, &case_id)?,
            ))
        })
    };
    let (status, rows) = match found {
        Ok((Some(st), rows)) => (st, rows),
        Ok((None, _)) => return not_found_page(&s, &sess),
        Err(e) => {
            return error_page(
                &s,
                &sess,
                StatusCode::INTERNAL_SERVER_ERROR,
                e.say(sess.lang),
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
    pub(super) csrf: String,
    pub(super) phone: String,
    pub(super) status: String,
    #[serde(default)]
    pub(super) note: String,
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
            let listed = super::super::contacts::on_list(&desk, authority, &case_id, &f.phone)?;
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
            e.say(sess.lang),
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
