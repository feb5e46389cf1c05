//! A card-only trace in two steps: the signed history request, then the TAG server's answer.

use super::*;
use spur_i18n::Msg;

#[derive(Template)]
#[template(path = "card.html")]
pub(super) struct CardPage<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) error: Option<String>,
    pub(super) request: Option<FileLine>,
    pub(super) case_id: String,
    pub(super) card: String,
    pub(super) done: Option<Done>,
    pub(super) today: String,
    /// The desk sends step 1 to the TAG server itself (`serve --tag-url`).
    pub(super) sends: bool,
    /// Keys the TAG server's answer gave and that verified (step 1 with `--tag-url`).
    pub(super) kept: Option<usize>,
}

/// The verified history `serve --tag-url` kept for a case's card trace (step 2 reads it).
fn kept_path(dir: &std::path::Path, authority: u16, case_id: &str) -> std::path::PathBuf {
    outbox(dir, authority, case_id).join(format!(
        "history-answer-{}.json",
        crate::case::safe(case_id)
    ))
}

pub(super) fn card_page(
    s: &Shared,
    sess: &Session,
    error: Option<String>,
    request: Option<(FileLine, Option<usize>)>,
    case_id: &str,
    card: &str,
    done: Option<Done>,
) -> Response {
    let t = words(s, sess);
    let c = chrome(t.w("web-card-title"), sess);
    let bad = error.is_some();
    let (request, kept) = match request {
        Some((f, k)) => (Some(f), k),
        None => (None, None),
    };
    let mut r = html(CardPage {
        t,
        c,
        error,
        request,
        case_id: case_id.to_owned(),
        card: card.to_owned(),
        done,
        today: now().day().date_text(),
        sends: s.tag_send.is_some(),
        kept,
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
    pub(super) csrf: String,
    pub(super) case: String,
    pub(super) card: String,
    pub(super) first_day: String,
    pub(super) days: String,
}

pub(super) fn personal_code(url: &str) -> crate::Result<spur_protocol::qr::PersonalCode> {
    match spur_protocol::qr::Payload::parse(url)?.code {
        spur_protocol::qr::Code::Personal(p) => Ok(p),
        _ => Err(DeskError::refused(Msg::new("desk-err-not-card"))),
    }
}

/// `POST /card`: signs the history request for the card (the CLI's `history-request`) and offers
/// it for download, to be sent to the TAG server; with `serve --tag-url` the desk sends it itself
/// and keeps the answer once every key verified (the CLI's `--tag-url --answer`).
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
    let r = (|| -> crate::Result<(FileLine, Option<usize>)> {
        spur_protocol::consent::validate_case_id(&case_id)?;
        let code = personal_code(f.card.trim())?;
        let first = spur_protocol::time::Day::from_date_text(f.first_day.trim())
            .ok_or_else(|| DeskError::refused(Msg::new("web-error-date")))?;
        let days: u32 = f
            .days
            .trim()
            .parse()
            .map_err(|_| DeskError::refused(Msg::new("web-error-days")))?;
        let (first_slot, last) = workflow::history_slots(first, days, now())
            .ok_or_else(|| DeskError::refused(Msg::new("web-error-days")))?;
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
        let kept = match &s.tag_send {
            Some(send) => {
                let answer = send(&req)?;
                // Kept only when every key verifies against the pinned TAG key.
                let history = crate::history::finish(&desk, &req, &code.id, &answer)?;
                let path = kept_path(&s.dir, desk.id, &case_id);
                spur_offline::private::write_private_file(&path, &history.to_json())?;
                crate::audit::record(
                    &desk,
                    "history-answer",
                    serde_json::json!({ "keys": history.keys.len(), "staff": who }),
                )?;
                Some(history.keys.len())
            }
            None => None,
        };
        let file = FileLine {
            href: format!("{}/files/{name}", case_href(desk.id, &case_id)),
            name,
        };
        Ok((file, kept))
    })();
    match r {
        Ok(file) => card_page(&s, &sess, None, Some(file), &case_id, f.card.trim(), None),
        Err(e) => card_page(
            &s,
            &sess,
            Some(e.say(sess.lang)),
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
    let uploaded = field(&fs, "tmp_keys").unwrap_or_default().to_vec();
    let s2 = s.clone();
    let (c2, card2, who2) = (case_id.clone(), card.clone(), who.clone());
    let r = tokio::task::spawn_blocking(move || -> crate::Result<Done> {
        let code = personal_code(&card2)?;
        let tag = code.tag((!pin.is_empty()).then_some(pin.as_str()), s2.kdf)?;
        if code.pin_protected {
            let answer = match &s2.pin_check {
                Some(check) => check(&code.id, &tag)?,
                None => return Err(DeskError::refused(Msg::new("desk-err-card-pin-no-post"))),
            };
            crate::card::require_confirmed_pin(answer)?;
        }
        let desk = lock(&s2.desk);
        let req_path = outbox(&s2.dir, desk.id, &c2)
            .join(format!("history-request-{}.bin", crate::case::safe(&c2)));
        let request = std::fs::read(&req_path)
            .map_err(|_| DeskError::refused(Msg::new("desk-err-card-step-one")))?;
        // The answer uploaded, or the one step 1 kept (`--tag-url`); a raw answer counts only
        // when every key verifies against the TAG server's published key.
        let answer = if uploaded.is_empty() {
            std::fs::read(kept_path(&s2.dir, desk.id, &c2))
                .map_err(|_| DeskError::refused(Msg::new("desk-err-card-step-one")))?
        } else {
            uploaded
        };
        let history = crate::history::answer_or_kept(&desk, &request, &code.id, &answer)?;
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
        Ok(Err(e)) => card_page(
            &s,
            &sess,
            Some(e.say(sess.lang)),
            None,
            &case_id,
            &card,
            None,
        ),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
