//! The PostgreSQL store as an operator runs it: TLS to the database (verify-full against the
//! test cluster's throw-away CA, a wrong CA and a plain connection to a TLS-only role refused
//! with a clear error) and the pool recovering from terminated backend connections without
//! losing an acknowledged write. Needs scripts/postgres.sh's cluster (required when
//! SPUR_REQUIRE_POSTGRES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use spur_migrate::connect::{Connector, TlsMode};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;
use spur_server::store::migrations::POSTGRES_VERSION_TABLE;
use spur_server::store::postgres::PostgresStore;
use spur_server::store::{Position, Store, StoreError, StoredRecord, Write};
use spur_testkit::stores::{postgres_tls, postgres_url, PgSchema};

fn record(i: u32) -> StoredRecord {
    let mut id = [0u8; 32];
    id[..4].copy_from_slice(&i.to_be_bytes());
    id[4] = 0xa5;
    StoredRecord {
        kind: RecordKind::SlotEntry,
        key: id.to_vec(),
        id,
        body: vec![7; 40],
    }
}

fn open_err(r: Result<PostgresStore, StoreError>) -> String {
    match r {
        Ok(_) => panic!("the store opened"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn verify_full_connects_encrypted_and_stores() {
    let (Some(url), Some(tls)) = (postgres_url(), postgres_tls()) else {
        return;
    };
    let connector = Connector::new(TlsMode::VerifyFull, Some(&tls.ca)).unwrap();
    let mut c = connector.connect(&tls.tls_only_url).unwrap();
    let ssl: bool = c
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(ssl, "verify-full made a connection without TLS");

    let schema = PgSchema::new(url, "pgtls", "ok", POSTGRES_VERSION_TABLE);
    let store = PostgresStore::open_with(&tls.tls_only_url, &schema.name, 2, connector).unwrap();
    store.write(Day(5), vec![Write::Insert(record(1))]).unwrap();
    assert_eq!(
        store.get(RecordKind::SlotEntry, &record(1).key).unwrap(),
        Some(record(1))
    );

    // `require` encrypts without checking the certificate: the TLS-only role lets it in.
    let require = Connector::new(TlsMode::Require, None).unwrap();
    let store = PostgresStore::open_with(&tls.tls_only_url, &schema.name, 1, require).unwrap();
    assert_eq!(store.count().unwrap(), 1);
}

#[test]
fn a_wrong_ca_is_refused_with_a_clear_error() {
    let (Some(url), Some(tls)) = (postgres_url(), postgres_tls()) else {
        return;
    };
    let schema = PgSchema::new(url, "pgtls", "wrongca", POSTGRES_VERSION_TABLE);
    let wrong = Connector::new(TlsMode::VerifyFull, Some(&tls.other_ca)).unwrap();
    let e = open_err(PostgresStore::open_with(
        &tls.tls_only_url,
        &schema.name,
        1,
        wrong,
    ));
    eprintln!("refusal: {e}");
    assert!(
        e.contains("certificate") && e.contains("TLS"),
        "unclear refusal: {e}"
    );
}

#[test]
fn a_certificate_for_another_host_name_is_refused() {
    let (Some(_), Some(tls)) = (postgres_url(), postgres_tls()) else {
        return;
    };
    // The right CA, but the name checked is not one the certificate holds (127.0.0.1 and
    // localhost): the TCP connection still goes to the test cluster through `hostaddr`.
    let cfg: postgres::Config = tls.tls_only_url.parse().unwrap();
    let port = cfg.get_ports()[0];
    let kv = format!(
        "host=db.spur.invalid hostaddr=127.0.0.1 port={port} user=spur_tls dbname=postgres"
    );
    let connector = Connector::new(TlsMode::VerifyFull, Some(&tls.ca)).unwrap();
    let e = match connector.connect(&kv) {
        Ok(_) => panic!("a certificate for another name was accepted"),
        Err(e) => spur_migrate::connect::describe(&e),
    };
    eprintln!("refusal: {e}");
    assert!(
        e.contains("certificate not valid for name"),
        "unclear refusal: {e}"
    );
}

#[test]
fn disable_against_a_tls_only_role_is_refused() {
    let (Some(url), Some(tls)) = (postgres_url(), postgres_tls()) else {
        return;
    };
    let schema = PgSchema::new(url, "pgtls", "plain", POSTGRES_VERSION_TABLE);
    let e = open_err(PostgresStore::open_with(
        &tls.tls_only_url,
        &schema.name,
        1,
        Connector::plain(),
    ));
    eprintln!("refusal: {e}");
    assert!(
        e.contains("no encryption") && e.contains("pg_hba"),
        "unclear refusal: {e}"
    );
}

/// Terminates every backend of `application` (the store's connections) but this one; returns
/// how many.
fn terminate(client: &mut postgres::Client, application: &str) -> u64 {
    client
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1 AND pid <> pg_backend_pid()",
            &[&application],
        )
        .unwrap()
        .len() as u64
}

#[test]
fn the_pool_survives_terminated_backends_without_losing_an_acknowledged_write() {
    let Some(url) = postgres_url() else {
        return;
    };
    let schema = PgSchema::new(url.clone(), "pgpool", "kill", POSTGRES_VERSION_TABLE);
    let application = format!("spur_pool_test_{}", std::process::id());
    let sep = if url.contains('?') { '&' } else { '?' };
    let store_url = format!("{url}{sep}application_name={application}");
    let store = Arc::new(PostgresStore::open_in_schema(&store_url, &schema.name, 4).unwrap());

    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicU64::new(0));
    let killer = {
        let (stop, killed, url, application) = (
            stop.clone(),
            killed.clone(),
            url.clone(),
            application.clone(),
        );
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                killed.fetch_add(terminate(&mut c, &application), Ordering::Relaxed);
            }
        })
    };

    // Four writers, each record retried as a client would until acknowledged (at most 10
    // tries); every acknowledged one must be there, once.
    const PER_WRITER: u32 = 60;
    let (mut acknowledged, mut failures) = (HashSet::new(), 0u32);
    let writers: Vec<_> = (0..4u32)
        .map(|w| {
            let store = store.clone();
            std::thread::spawn(move || {
                let (mut acked, mut failed) = (Vec::new(), 0u32);
                for i in 0..PER_WRITER {
                    let r = record(w * 1000 + i);
                    for _ in 0..10 {
                        match store.write(Day(9), vec![Write::Insert(r.clone())]) {
                            Ok(()) => {
                                acked.push(r.id);
                                break;
                            }
                            Err(_) => {
                                failed += 1;
                                std::thread::sleep(Duration::from_millis(20));
                            }
                        }
                    }
                }
                (acked, failed)
            })
        })
        .collect();
    for w in writers {
        let (acked, failed) = w.join().unwrap();
        acknowledged.extend(acked);
        failures += failed;
    }
    stop.store(true, Ordering::Relaxed);
    killer.join().unwrap();

    let killed = killed.load(Ordering::Relaxed);
    eprintln!(
        "{} writes acknowledged, {failures} failed attempts, {killed} backends terminated",
        acknowledged.len()
    );
    assert!(killed >= 5, "the test terminated only {killed} connections");
    assert_eq!(acknowledged.len(), 4 * PER_WRITER as usize);

    // After the storm, the pool works again and holds every acknowledged record exactly once.
    terminate(
        &mut postgres::Client::connect(&url, postgres::NoTls).unwrap(),
        &application,
    );
    let rows = store.export(&Position::default(), Day(9), 10_000).unwrap();
    let ids: Vec<[u8; 32]> = rows.iter().map(|r| r.record.id).collect();
    let unique: HashSet<[u8; 32]> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "a record was stored twice");
    assert_eq!(unique, acknowledged);
}

/// The day partitions of the store's table, in order.
fn partitions(s: &PgSchema) -> Vec<u32> {
    let mut days: Vec<u32> = s
        .client()
        .query(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'spur_records'::regclass",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            r.get::<_, String>(0)
                .strip_prefix("spur_records_d")
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    days.sort_unstable();
    days
}

#[test]
fn the_sweep_drops_old_day_partitions_whole_and_makes_the_next_ones_ahead() {
    let Some(url) = postgres_url() else {
        return;
    };
    let s = PgSchema::new(url, "pgpart", "ahead", POSTGRES_VERSION_TABLE);
    let store = PostgresStore::open_in_schema(&s.url, &s.name, 2).unwrap();
    let today = 20_100u32;
    for age in [0u32, 27, 28, 35] {
        store
            .write(Day(today - age), vec![Write::Insert(record(age))])
            .unwrap();
    }
    assert_eq!(
        partitions(&s),
        vec![today - 35, today - 28, today - 27, today]
    );
    let dropped = store
        .sweep(spur_server::post::retention::keep_from(Day(today)))
        .unwrap();
    assert_eq!(dropped, 2, "one partition per day older than the window");
    assert_eq!(
        partitions(&s),
        vec![today - 27, today, today + 1, today + 2],
        "the two old days dropped whole, today and two days made ahead"
    );
    assert_eq!(store.count().unwrap(), 2);
    // A write into a day made ahead lands there.
    store
        .write(Day(today + 1), vec![Write::Insert(record(1))])
        .unwrap();
    assert_eq!(partitions(&s).len(), 4);
    assert_eq!(store.count().unwrap(), 3);
}
