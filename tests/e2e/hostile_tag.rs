//! An equivocating TAG server (issue 17): a TAG-server-shaped HTTP service on 127.0.0.1 that
//! serves the real signed directory but answers each client's TMP request with another key for
//! the same code and slot (two foreign POPRF secrets, and the real key for the wrong slot). Every
//! client, the real `spur` binary, refuses with its typed error and keeps no check-in; the same
//! check-ins succeed against the real TAG server, so the refusal is the proof check's doing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{dump, Args, World};
use spur_protocol::tag::{Blinded, TagServerSecret, TmpDeriver};
use spur_protocol::time::Slot;
use spur_wire::api::routes;
use spur_wire::api::tag::{TmpEvaluation, TmpKeysRequest, TmpKeysResponse};

/// What the lying server hands out, per request in turn.
struct Liar {
    directory: Vec<u8>,
    honest: TmpDeriver,
    others: [TmpDeriver; 2],
    requests: AtomicUsize,
    /// Every evaluated element it sent, to show the clients got different answers.
    sent: Mutex<Vec<[u8; 32]>>,
}

impl Liar {
    /// Request `n`: evaluated with foreign secret 1, with foreign secret 2, or with the real
    /// key for the next slot, each with a proof valid for what was actually done.
    fn answer(&self, req: &TmpKeysRequest) -> TmpKeysResponse {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        let b: [u8; 32] = data_encoding::HEXLOWER
            .decode(req.blinded.as_bytes())
            .unwrap()
            .try_into()
            .unwrap();
        let evaluations = req
            .slots
            .iter()
            .map(|&s| {
                let (d, slot) = match n % 3 {
                    0 => (&self.others[0], s),
                    1 => (&self.others[1], s),
                    _ => (&self.honest, s + 1),
                };
                let (e, proof) = d
                    .evaluate(&mut rand_core::OsRng, &[Blinded(b)], Slot(slot))
                    .unwrap();
                self.sent.lock().unwrap().push(e[0]);
                TmpEvaluation {
                    evaluated: data_encoding::HEXLOWER.encode(&e[0]),
                    proof: data_encoding::HEXLOWER.encode(&proof),
                    slot: s,
                }
            })
            .collect();
        TmpKeysResponse { evaluations }
    }
}

/// Serves one HTTP/1.1 request per connection (`Connection: close`) until `stop` is set; the
/// port is free again when it returns.
fn serve(listener: TcpListener, liar: Arc<Liar>, stop: Arc<AtomicBool>) {
    listener.set_nonblocking(true).unwrap();
    while !stop.load(Ordering::SeqCst) {
        let mut stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
        };
        stream.set_nonblocking(false).unwrap();
        let mut r = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if r.read_line(&mut line).is_err() {
            continue;
        }
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).is_err() || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        let _ = r.read_exact(&mut body);
        let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        let (status, kind, out) = if path == routes::DIRECTORY {
            ("200 OK", "application/octet-stream", liar.directory.clone())
        } else if path == routes::TMP_KEYS {
            let req: TmpKeysRequest = serde_json::from_slice(&body).unwrap();
            let a = liar.answer(&req);
            (
                "200 OK",
                "application/json",
                serde_json::to_vec(&a).unwrap(),
            )
        } else {
            (
                "404 Not Found",
                "application/json",
                br#"{"error":"unknown_route","message":"no"}"#.to_vec(),
            )
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            out.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&out);
    }
}

fn visits(c: &common::Citizen) -> Vec<String> {
    dump::db_rows(&c.dir.join("spur.db"))
        .remove("visits")
        .unwrap_or_default()
}

#[test]
fn every_client_refuses_an_equivocating_tag_server_and_keeps_nothing() {
    let mut w = World::new();
    let owner = w.citizen("owner", "+4915100000070", "80331", None);
    let poster = owner.place_code("Cafe Hostile", "80331", "+4915100000070");
    let clients: Vec<_> = (0..3)
        .map(|i| {
            w.citizen(
                &format!("guest{i}"),
                &format!("+49151000000{}", 71 + i),
                "80331",
                None,
            )
        })
        .collect();

    // The real TAG server goes; the liar takes its port, with the real directory.
    let port = w.tag_port();
    w.tag = None;
    let secret: [u8; 32] = std::fs::read(&w.tag_secret).unwrap().try_into().unwrap();
    let liar = Arc::new(Liar {
        directory: std::fs::read(w.vault.join("directory.bin")).unwrap(),
        honest: TagServerSecret::from_bytes(secret).tmp_deriver().unwrap(),
        others: [
            TagServerSecret::from_bytes([0xA1; 32])
                .tmp_deriver()
                .unwrap(),
            TagServerSecret::from_bytes([0xB2; 32])
                .tmp_deriver()
                .unwrap(),
        ],
        requests: AtomicUsize::new(0),
        sent: Mutex::new(Vec::new()),
    });
    let listener = (0..50)
        .find_map(|_| {
            TcpListener::bind(("127.0.0.1", port)).ok().or_else(|| {
                std::thread::sleep(std::time::Duration::from_millis(100));
                None
            })
        })
        .expect("the TAG port is free again");
    let (l, stop) = (liar.clone(), Arc::new(AtomicBool::new(false)));
    let s = stop.clone();
    let server = std::thread::spawn(move || serve(listener, l, s));

    for c in &clients {
        let err = c
            .app()
            .args(["check-in", "--stay", "60", "--image"])
            .arg(&poster)
            .fails();
        assert!(err.contains("does not match its published key"), "{err}");
        assert!(visits(c).is_empty(), "no check-in kept: {:?}", visits(c));
        let h = c.app().arg("history").ok();
        assert!(!h.contains("Cafe Hostile"), "{h}");
    }
    assert_eq!(
        liar.requests.load(Ordering::SeqCst),
        3,
        "one request per client"
    );
    let sent = liar.sent.lock().unwrap().clone();
    let distinct: std::collections::HashSet<_> = sent.iter().collect();
    assert_eq!(
        distinct.len(),
        sent.len(),
        "every client got another answer"
    );

    // Control: the real TAG server back on its port; the same check-in is made and kept.
    stop.store(true, Ordering::SeqCst);
    server.join().unwrap();
    w.tag = Some(w.start_tag(port, 0));
    let guest = &clients[0];
    let out = guest.check_in(&poster, "60", 0);
    assert!(!visits(guest).is_empty(), "{out}");
}
