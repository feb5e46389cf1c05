//! Raw HTTP/1.1 over a TCP socket, like curl would send it: garbage and oversized bodies reach the
//! servers exactly as written, with no client library in between.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A server's answer: status code and body text.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body (lossy UTF-8).
    pub body: String,
    /// Body bytes.
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The `error` code of a refusal (`{"error": "...", "message": "..."}`), if any.
    pub fn error(&self) -> Option<String> {
        let b: spur_wire::api::error::ErrorBody = serde_json::from_str(&self.body).ok()?;
        Some(b.error.as_str().to_owned())
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before the whole body is written: that is fine.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let mut bytes = raw[end + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        bytes = dechunk(&bytes);
    }
    Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&b[..nl]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + size]);
        b = &b[nl + 2 + size + 2..];
    }
}

/// The POST server's whole export (one page) as raw bytes, with the operator's token.
pub fn export(port: u16, token: &str) -> Vec<u8> {
    let auth = format!("Bearer {token}");
    let path = spur_wire::api::post::ExportQuery {
        cursor: None,
        limit: Some(1_000_000),
    }
    .path();
    let a = request(port, "GET", &path, &[("Authorization", &auth)], b"");
    assert_eq!(a.status, 200, "{}", a.body);
    a.bytes
}
