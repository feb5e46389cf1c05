//! Consent codes: the desk signs one for a case and a range of days, and draws it as a PNG and
//! as a printable one-page PDF with the authority's name, the case and the days.

use spur_protocol::consent::ConsentCode;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::time::{Day, Minute};
use spur_vault::error::Result;

use crate::desk::Desk;

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

/// Makes a consent code for `case_id`, asking for `days` days from `first_day`, valid until
/// `expires`.
pub fn make(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    host: &str,
    case_id: &str,
    first_day: Day,
    days: u8,
    expires: Minute,
) -> Result<MadeCode> {
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    let code = ConsentCode::issue(
        desk.sign_key(),
        desk.id,
        case_id,
        first_day,
        days,
        nonce,
        expires,
    )?;
    let url = Payload {
        host: spur_protocol::qr::normalise_host(host)?,
        code: Code::Consent(code.clone()),
    }
    .to_url()?;
    let m = crate::qr_image::modules(&url)?;
    let png = crate::qr_image::png(&m, 8)?;
    let last = Day(first_day.0 + u32::from(days) - 1);
    let lines = vec![
        desk.authority_name(desk.id),
        format!("Case {case_id}"),
        format!(
            "Releases your check-ins of {} to {} ({days} days)",
            spur_vault::stats::date_of(first_day),
            spur_vault::stats::date_of(last)
        ),
        format!(
            "Valid until {} UTC; it can be used once.",
            crate::contacts::time_text(expires.0)
        ),
        "Scan it with the spur app and enter your credentials to consent.".into(),
    ];
    let pdf = crate::pdf::page("spur: consent to contact tracing", &lines, &m);
    Ok(MadeCode {
        url,
        png,
        pdf,
        code,
    })
}
