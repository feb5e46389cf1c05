//! Bringing in a file from the vault: the kind is read from its own header and opened as the CLI does.

use super::*;

#[derive(Template)]
#[template(path = "import.html")]
pub(super) struct ImportPage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) error: Option<String>,
    pub(super) done: Option<Done>,
}

/// What an import did, for the page.
pub struct Done {
    pub(super) kind: &'static str,
    pub(super) said: Vec<Msg>,
    pub(super) notes: Vec<String>,
    pub(super) files: Vec<FileLine>,
    pub(super) case_href: String,
    pub(super) case_id: String,
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

pub(super) async fn fields(mut m: Multipart) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    while let Some(f) = m.next_field().await.map_err(|e| e.to_string())? {
        let name = f.name().unwrap_or("").to_owned();
        let bytes = f.bytes().await.map_err(|e| e.to_string())?;
        out.push((name, bytes.to_vec()));
    }
    Ok(out)
}

pub(super) fn field<'a>(fs: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    fs.iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
}

pub(super) fn text_field(fs: &[(String, Vec<u8>)], name: &str) -> String {
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
        Err(e) => return page(t, Some(e.say(sess.lang)), None),
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
        Err(e) => page(t, Some(e.say(sess.lang)), None),
    }
}

pub(super) fn imported(
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
