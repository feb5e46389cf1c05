//! Import: check a whole export file, open the OP layer of every record (on every core), and
//! store the result in one transaction. A file already imported changes nothing; a crash before
//! the commit leaves nothing half-done, so running the import again is always safe.

use spur_protocol::export::{ExportFile, ExportRow};
use spur_protocol::fields::Region;
use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::consent_release::ReleaseForVault;
use spur_protocol::record::place::PlaceRecordBody;
use spur_protocol::record::registration::RegistrationBody;
use spur_protocol::record::visit::{SlotEntryBody, UserEntryBody};
use spur_protocol::record::{open_op, RecordKind};
use spur_protocol::time::Day;

use crate::error::{Result, VaultError};
use crate::store::{
    bucket_of, CodeRow, ConsentRow, ImportCounts, Opened, RegistrationRow, SlotRow, Store, UserRow,
};

fn arr<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    if b.len() == N {
        a.copy_from_slice(b);
    }
    a
}

/// Opens one row's OP layer. A record that does not open becomes [`Opened::Unopened`]: the
/// server accepted it, so the vault keeps it rather than lose it.
pub fn open_row(op: &SealSecretKey, row: &ExportRow) -> Opened {
    opened(op, row).unwrap_or_else(|_| Opened::Unopened {
        id: row.id,
        day: row.day,
        kind: row.kind as u8,
        key: row.key.clone(),
        body: row.body.clone(),
    })
}

fn opened(op: &SealSecretKey, row: &ExportRow) -> Result<Opened> {
    let (id, day) = (row.id, row.day);
    Ok(match row.kind {
        RecordKind::SlotEntry => {
            let b = SlotEntryBody::open(op, &row.body)?;
            let kind = b.code_kind as u8;
            let region = Region::encode_opt(b.region.as_ref());
            Opened::Slot(SlotRow {
                id,
                slot: b.slot.0,
                code_kind: kind,
                bucket: bucket_of(kind, region),
                stat_region: region,
                scan_layer: b.scan_layer,
            })
        }
        RecordKind::UserEntry => {
            let b = UserEntryBody::open(op, &row.body)?;
            Opened::User(UserRow {
                id,
                day,
                find_tag: b.find_tag,
                auth_layer: b.auth_layer,
            })
        }
        RecordKind::Registration => {
            let b = RegistrationBody::open(op, &row.body)?;
            Opened::Registration(RegistrationRow {
                handle: arr(&row.key),
                id,
                day,
                registration_id: b.registration_id,
                home_authority: b.home_authority,
                region: Region::encode_opt(b.region.as_ref()),
                sealed_contact: b.sealed_contact,
            })
        }
        RecordKind::RegistrationDelete => Opened::Tombstone {
            handle: arr(&row.key),
            id,
            day,
        },
        RecordKind::Place => {
            let b = PlaceRecordBody::open(op, &row.body)?;
            Opened::Place(CodeRow {
                qr_id: arr(&row.key),
                id,
                day,
                region: b.region.encode(),
                place_kind: b.kind as u8,
                tag_layer: b.tag_layer,
            })
        }
        RecordKind::Personal => {
            let layer = open_op(op, RecordKind::Personal, &row.body)?;
            Opened::Personal(CodeRow {
                qr_id: arr(&row.key),
                id,
                day,
                region: [0; 12],
                place_kind: 0,
                tag_layer: layer.to_vec(),
            })
        }
        RecordKind::ConsentRelease => {
            let b = ReleaseForVault::open(op, &row.body)?;
            Opened::Consent(ConsentRow {
                id,
                day,
                case_id: b.case_id,
                consenting_authority: b.consenting_authority,
                nonce: b.nonce,
                sealed: row.body.clone(),
            })
        }
    })
}

/// Opens every row on `threads` threads, keeping file order.
pub fn open_rows(op: &SealSecretKey, rows: &[ExportRow], threads: usize) -> Vec<Opened> {
    let threads = threads.max(1);
    let chunk = rows.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|r| open_row(op, r)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Imports one checked export file. Rows uploaded before `keep_from` (past retention: a sweep
/// deleted them or will) are not stored again; they are counted as expired. A file holding only
/// such rows is refused whole.
pub fn import_file(
    store: &mut dyn Store,
    op: &SealSecretKey,
    file: &ExportFile,
    name: &str,
    threads: usize,
    keep_from: Day,
) -> Result<ImportCounts> {
    let current: Vec<ExportRow> = file
        .rows
        .iter()
        .filter(|r| r.day >= keep_from)
        .cloned()
        .collect();
    let expired = (file.rows.len() - current.len()) as u64;
    if !file.rows.is_empty() && current.is_empty() {
        return Err(VaultError::Refused(format!(
            "export older than retention: all {} rows were uploaded before {} (28 days); nothing imported",
            file.rows.len(),
            keep_from.date_text()
        )));
    }
    let opened = open_rows(op, &current, threads);
    if opened.len() != current.len() {
        return Err(VaultError::Store(
            "opening the records failed on a worker thread; nothing was imported".into(),
        ));
    }
    let mut counts = store.import(&file.digest, name, &opened)?;
    counts.expired = expired;
    counts.rows = file.rows.len() as u64;
    Ok(counts)
}

/// Cores to use for opening records.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
