//! The vault's pull: an authenticated, streamed, resumable export of everything since a cursor,
//! as a file in the format the vault imports offline ([`spur_protocol::export`], the one codec).

pub mod cursor;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use spur_protocol::export::{Encoder, RowRef};
use spur_protocol::keys::SignSecretKey;
use spur_protocol::time::Day;

use crate::store::{ExportRow, Position, Store};

/// Rows fetched from the store per step of the stream (memory stays bounded by this).
pub const CHUNK_ROWS: usize = 512;

/// A stored row as the codec's borrowed frame (nothing copied).
fn frame(row: &ExportRow) -> RowRef<'_> {
    RowRef {
        day: row.day,
        kind: row.record.kind,
        key: &row.record.key,
        id: &row.record.id,
        body: &row.record.body,
    }
}

/// Streams one export page: rows after `from` through day `through`, at most `limit` rows,
/// signed with `signer` (the POST server's export key) when there is one. The
/// end frame's cursor continues after the last row when the page is full, or restarts at the
/// start of `rewind_to` (the oldest day that may still receive writes) when everything was sent,
/// so rows that commit late are picked up by the next pull; the vault's import is idempotent.
pub fn stream(
    store: Arc<dyn Store>,
    from: Position,
    through: Day,
    rewind_to: Day,
    limit: usize,
    signer: Option<Arc<SignSecretKey>>,
) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut enc = match signer {
            Some(k) => Encoder::signed(k),
            None => Encoder::new(),
        };
        if tx.send(Ok(Bytes::from(enc.header()))).await.is_err() {
            return;
        }
        let mut pos = from;
        let mut sent = 0usize;
        let more = loop {
            let want = CHUNK_ROWS.min(limit - sent);
            if want == 0 {
                break true;
            }
            let s = store.clone();
            let p = pos.clone();
            let started = std::time::Instant::now();
            let done = tokio::task::spawn_blocking(move || s.export(&p, through, want)).await;
            let outcome = if matches!(done, Ok(Ok(_))) {
                "ok"
            } else {
                "error"
            };
            crate::metrics::metrics().store("export", outcome, started.elapsed());
            let rows = match done {
                Ok(Ok(rows)) => rows,
                _ => {
                    // Cut the stream: the vault sees no end frame and pulls the same cursor again.
                    let _ = tx
                        .send(Err(std::io::Error::other("export interrupted")))
                        .await;
                    return;
                }
            };
            let mut chunk = Vec::new();
            for row in &rows {
                chunk.extend(enc.row(frame(row)));
            }
            if let Some(last) = rows.last() {
                pos = Position::after(last);
            }
            sent += rows.len();
            if !chunk.is_empty() && tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                return;
            }
            if rows.len() < want {
                break false;
            }
        };
        let next = if more {
            pos
        } else {
            Position::start_of(rewind_to)
        };
        let _ = tx
            .send(Ok(Bytes::from(enc.end(more, &cursor::encode(&next)))))
            .await;
    });
    Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}
