//! Consent codes: the desk signs one for a person, a case and a range of days, records it in its
//! case register, and draws it as a PNG and as a printable one-page PDF with the authority's
//! name, the case and the days, in the desk's language and time zone. Terms outside the day and time policy
//! (`spur_protocol::consent::check_policy`) are refused with a message that says what to change.

use spur_protocol::consent::{
    check_policy, ConsentCode, ConsentTerms, MAX_LIFETIME_HOURS, OLDEST_DAY_BACK,
};
use spur_protocol::fields::PhoneNumber;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::time::{Day, Minute};

use crate::desk::Desk;
use crate::error::{DeskError, Result};
use crate::texts::Msg;

/// A made consent code in its three forms.
pub struct MadeCode {
    /// The URL in the QR code.
    pub url: String,
    /// PNG picture.
    pub png: Vec<u8>,
    /// Printable PDF.
    pub pdf: Vec<u8>,
    /// The signed code.
    pub code: ConsentCode,
}

/// What the desk asks for.
#[derive(Clone, Copy, Debug)]
pub struct CodeRequest<'a> {
    /// Case id.
    pub case_id: &'a str,
    /// First day asked for.
    pub first_day: Day,
    /// Number of days.
    pub days: u8,
    /// Now (the issue minute).
    pub now: Minute,
    /// Expiry minute.
    pub expires: Minute,
}

/// Checks the terms against the day and time policy, in words that say what to change.
pub fn check_terms(req: &CodeRequest<'_>) -> Result<()> {
    spur_protocol::consent::validate_case_id(req.case_id)?;
    let today = req.now.day();
    let refused = |m: Msg| Err(DeskError::refused(m));
    if req.days == 0 || req.days > spur_protocol::consent::MAX_DAYS {
        return refused(Msg::new("desk-err-code-days"));
    }
    let Some(last) = spur_protocol::consent::last_day(req.first_day, req.days) else {
        return refused(Msg::new("desk-err-code-calendar"));
    };
    if last > today {
        return refused(
            Msg::new("desk-err-code-future")
                .text("first", req.first_day.date_text())
                .text("last", last.date_text())
                .text("today", today.date_text()),
        );
    }
    let oldest = Day(today.0.saturating_sub(OLDEST_DAY_BACK));
    if req.first_day < oldest {
        return refused(Msg::new("desk-err-code-too-old").text("oldest", oldest.date_text()));
    }
    if req.expires <= req.now || req.expires.0 - req.now.0 > MAX_LIFETIME_HOURS * 60 {
        return refused(
            Msg::new("desk-err-code-lifetime").text("hours", MAX_LIFETIME_HOURS.to_string()),
        );
    }
    Ok(check_policy(req.first_day, req.days, req.now, req.expires)?)
}

/// Makes a consent code for the person with `phone`, asking for `req.days` days from
/// `req.first_day`, valid until `req.expires`, and records it in the desk's case register.
pub fn make(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    host: &str,
    req: &CodeRequest<'_>,
    phone: &PhoneNumber,
) -> Result<MadeCode> {
    check_terms(req)?;
    let (case_id, first_day, days, expires) = (req.case_id, req.first_day, req.days, req.expires);
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    let code = ConsentCode::issue(
        desk.sign_key(),
        &ConsentTerms {
            authority: desk.id,
            case_id,
            first_day,
            days,
            issued: req.now,
            expires,
        },
        nonce,
        phone,
    )?;
    let url = Payload {
        host: spur_protocol::qr::normalise_host(host)?,
        code: Code::Consent(code.clone()),
    }
    .to_url()?;
    // Drawn by spur-qr with the ECC and segments its decoding benchmark chose for every code.
    let m = spur_qr::encode(&url)
        .map_err(|e| DeskError::refused(Msg::new("desk-err-qr-text").text("why", e.to_string())))?;
    let png = spur_qr::render::to_png(&m, 8)
        .map_err(|e| DeskError::refused(Msg::new("desk-err-qr-text").text("why", e.to_string())))?;
    let last = code.last_day().unwrap_or(first_day);
    let (texts, lang) = (desk.texts(), desk.lang());
    let day = |d: Day| crate::texts::date(texts, lang, d);
    let lines = vec![
        desk.authority_name(desk.id),
        desk.say(&Msg::new("desk-sheet-case").text("case", case_id)),
        desk.say(
            &Msg::new("desk-sheet-days")
                .text("first", day(first_day))
                .text("last", day(last))
                .num("days", days),
        ),
        desk.say(&Msg::new("desk-sheet-valid").text("time", desk.local_time(expires))),
        texts.get(lang, "desk-sheet-howto"),
    ];
    let pdf = crate::pdf::page(&texts.get(lang, "desk-sheet-title"), &lines, &m);
    // Registered last: a code that could not be drawn was never handed out.
    crate::register::record_issued(desk, &code, phone)?;
    Ok(MadeCode {
        url,
        png,
        pdf,
        code,
    })
}
