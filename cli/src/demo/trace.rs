//! The demo's trace: the authority issues a consent code, the infected citizen scans it and
//! releases their days; the POST server's export goes to the vault; vault and desks exchange
//! sealed files until each desk holds its contact list.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result};
use rand_chacha::ChaCha20Rng;
use spur_authority::contacts::{self, ContactList};
use spur_authority::{case, code, open};
use spur_protocol::time::{Day, Minute, Slot, SLOTS_PER_DAY};

use super::citizens::{scan_with_camera, Phone};
use super::core_err::CoreResult;
use super::stage::{Stage, HOST};

/// What the consent step showed the citizen and what it released.
pub struct ConsentShown {
    /// The authority's name as the app showed it.
    pub authority: String,
    /// The case id.
    pub case_id: String,
    /// Days asked for.
    pub days: u8,
    /// The consent URL (it holds no secret).
    pub url: String,
}

/// The authority makes a consent code; the infected person scans it with the camera, the app
/// verifies it and shows what it asks; the person accepts with their credentials.
pub async fn consent(
    stage: &Stage,
    rng: &mut ChaCha20Rng,
    phone: &Phone,
    phone_number: &str,
    authority: u16,
    first_day: Day,
    days: u8,
) -> Result<ConsentShown> {
    let desk = stage.desk(authority)?;
    let now = stage.clock.now();
    // The desk issues the code in the last minute of the simulated days (the clock stands at
    // midnight after them): with --days 28 the first day is then still within the 28 days a
    // code may reach back (docs/protocol.md §6).
    let issued = Minute(now.0.saturating_sub(1));
    let person = spur_protocol::fields::PhoneNumber::parse(phone_number)?;
    let made = code::make(
        desk,
        rng,
        HOST,
        &code::CodeRequest {
            case_id: "DEMO-2026-1",
            first_day,
            days,
            now: issued,
            expires: issued.plus(24 * 60),
        },
        &person,
    )?;
    std::fs::write(stage.dir.join("consent-code.png"), &made.png)?;
    let (text, _) = scan_with_camera(&made.url, 4242)?;
    let info = phone
        .app
        .consent_info(text.clone())
        .await
        .core("the app checked the consent code")?;
    phone
        .app
        .give_consent(text, phone_number.to_owned(), phone.secret.clone())
        .await
        .core("releasing the days")?;
    Ok(ConsentShown {
        authority: info.authority,
        case_id: info.case_id,
        days: u8::try_from(info.day_count).unwrap_or(u8::MAX),
        url: made.url,
    })
}

/// Counts of what moved between the parties, for the report.
#[derive(Default, Debug, Clone, serde::Serialize)]
pub struct TraceCounts {
    /// Export files pulled from the POST server.
    pub export_files: usize,
    /// Records the vault imported.
    pub imported: u64,
    /// User entries the vault found with the released find keys.
    pub user_entries_found: usize,
    /// Files the vault wrote for desks (consent package, contact files, answers).
    pub files_to_desks: usize,
    /// Files the desks wrote for the vault (SCAN keys, resolve requests).
    pub files_to_vault: usize,
}

/// Export, import, and the whole exchange between vault and desks. Returns each desk's list.
pub async fn run(
    stage: &mut Stage,
    rng: &mut ChaCha20Rng,
    case_id: &str,
    code_url: &str,
    timings: &mut Vec<(String, f64)>,
) -> Result<(BTreeMap<u16, ContactList>, TraceCounts)> {
    let mut counts = TraceCounts::default();
    let t = Instant::now();
    let export_dir = stage.dir.join("export");
    let args = spur_server::pull::PullArgs {
        server: stage.post_addr.to_string(),
        token_file: stage.token_file.clone(),
        dir: export_dir.clone(),
        page: 100_000,
    };
    counts.export_files = spur_server::pull::pull(&args, |_| {})
        .await
        .context("pulling the export")?;
    let mut files: Vec<_> = std::fs::read_dir(&export_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "spurx"))
        .collect();
    files.sort();
    timings.push((
        "export from the POST server".into(),
        t.elapsed().as_secs_f64(),
    ));

    let t = Instant::now();
    for f in &files {
        counts.imported += stage.vault.import(f)?.new;
    }
    timings.push(("vault: import and index".into(), t.elapsed().as_secs_f64()));

    let t = Instant::now();
    // The desk hands the vault the code it issued; the vault takes the releases answering it.
    let pkg = stage.vault.consent(rng, code_url)?.file;
    counts.files_to_desks += 1;
    let consenting = pkg.to;
    let desk = stage.desk(consenting)?;
    let opened = open::open_consent(desk, rng, &pkg.bytes, &[])?;
    counts.user_entries_found = opened.case.stays.len();
    case::save(
        &case::case_path(&desk.cases_dir()?, &opened.case.case_id),
        &opened.case,
    )?;
    let moved = play(
        stage,
        rng,
        vec![opened.scan_file],
        vec![(consenting, opened.resolve_file)],
    )?;
    counts.files_to_vault += moved.to_vault;
    counts.files_to_desks += moved.to_desks;
    let lists = write_lists(stage, consenting, case_id, "contacts")?;
    timings.push(("trace: vault ⇄ desks".into(), t.elapsed().as_secs_f64()));
    Ok((lists, counts))
}

/// Carries the SCAN-key files and resolve requests from the desks to the vault and everything
/// that comes back to the desks of this stage, until nothing moves.
fn play(
    stage: &mut Stage,
    rng: &mut ChaCha20Rng,
    scans: Vec<Vec<u8>>,
    requests: Vec<(u16, Vec<u8>)>,
) -> Result<crate::playthrough::Moved> {
    // The desks are borrowed apart from the vault, which the play moves files through.
    let desks = &stage.desks;
    crate::playthrough::play(
        &mut stage.vault,
        |id| desks.iter().find(|d| d.id == id),
        rng,
        scans,
        requests,
    )
}

/// Each desk's contact list of a case, also written as `<prefix>-authority-<id>.csv/.json`.
fn write_lists(
    stage: &Stage,
    consenting: u16,
    case_id: &str,
    prefix: &str,
) -> Result<BTreeMap<u16, ContactList>> {
    let mut lists = BTreeMap::new();
    for desk in &stage.desks {
        let cases = desk.cases_dir()?;
        let cf: Option<case::ContactFile> =
            case::load(&case::contacts_path(&cases, consenting, case_id))?;
        if let Some(cf) = cf {
            let own: Option<case::CaseFile> = if desk.id == consenting {
                case::load(&case::case_path(&cases, case_id))?
            } else {
                None
            };
            let list = contacts::build(desk, &cf, own.as_ref());
            let stem = stage.dir.join(format!("{prefix}-authority-{}", desk.id));
            spur_offline::private::write_private_file(
                &stem.with_extension("csv"),
                contacts::to_csv(&list)?.as_bytes(),
            )?;
            spur_offline::private::write_private_file(
                &stem.with_extension("json"),
                contacts::to_json(&list).as_bytes(),
            )?;
            lists.insert(desk.id, list);
        }
    }
    Ok(lists)
}

/// The case id of the card-only scenario.
pub const CARD_CASE: &str = "DEMO-CARD-1";

/// A card-only person (no smartphone) falls ill: they hand their printed card and PIN to the
/// consenting desk, which signs a request for the card's past TMP keys, posts it to the TAG
/// server, derives the SCAN keys and sends them to the vault with the signed request in place of
/// a consent. Returns each desk's list and how many files moved.
pub async fn card_only(
    stage: &mut Stage,
    rng: &mut ChaCha20Rng,
    authority: u16,
    card: &(String, Option<String>),
    first_day: Day,
    days: u32,
) -> Result<(BTreeMap<u16, ContactList>, crate::playthrough::Moved)> {
    let code = match spur_protocol::qr::Payload::parse(&card.0)?.code {
        spur_protocol::qr::Code::Personal(p) => p,
        _ => anyhow::bail!("the card's URL is not a personal code"),
    };
    // The PIN is mixed in at the cost the demo's apps use.
    let tag = code.tag(card.1.as_deref(), super::citizens::KDF_COST)?;
    let desk = stage.desk(authority)?;
    let now = stage.clock.now();
    let first = Slot(first_day.0 * SLOTS_PER_DAY);
    let last = Slot((first_day.0 + days) * SLOTS_PER_DAY - 1).min(now.slot());
    let request = spur_authority::history::request(desk, rng, code.id, first, last, now)?;
    let resp = reqwest::Client::new()
        .post(format!(
            "{}{}",
            stage.tag_url,
            spur_wire::api::routes::TMP_KEYS_HISTORY
        ))
        .body(request.clone())
        .send()
        .await
        .context("the history request")?;
    let status = resp.status();
    let body = resp.bytes().await.context("reading the history answer")?;
    anyhow::ensure!(
        status.is_success(),
        "the TAG server refused the history request: {status} {}",
        String::from_utf8_lossy(&body)
    );
    let history = spur_authority::history::finish(desk, &request, &code.id, &body)?;
    let made =
        spur_authority::card::card_trace(desk, rng, CARD_CASE, &code.id, &tag, &request, &history)?;
    case::save(&case::case_path(&desk.cases_dir()?, CARD_CASE), &made.case)?;
    let moved = play(stage, rng, vec![made.scan_file], vec![])?;
    Ok((
        write_lists(stage, authority, CARD_CASE, "card-contacts")?,
        moved,
    ))
}

/// The minute the simulation starts: midnight UTC, `days` days before today.
pub fn start_minute(days: u32) -> Minute {
    let today = spur_protocol::time::Clock::day(&spur_protocol::time::SystemClock);
    Day(today.0.saturating_sub(days)).start()
}
