//! The desk's audit log, read-only, newest first, a page at a time, with its verification result.

use super::*;

#[derive(Template)]
#[template(path = "audit.html")]
pub(super) struct AuditPage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) lines: Vec<AuditLine>,
    pub(super) page: usize,
    pub(super) pages: usize,
    pub(super) verified: String,
}

/// The page number.
#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub(super) page: Option<usize>,
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
        Err(e) => e.say(sess.lang),
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

/// One audit line on the page.
pub struct AuditLine {
    pub(super) seq: u64,
    pub(super) time: String,
    pub(super) event: String,
    pub(super) detail: String,
}
