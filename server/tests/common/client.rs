//! The tests' HTTP client: reqwest (the project's one client) bound to one server, with the
//! small surface the tests use (`post`, `get`, `send` returning status and body).

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::http::{Method, StatusCode};

/// A client for one server on loopback; it keeps its connection alive between requests.
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// A client for the server at `addr` (connects on the first request).
    pub async fn connect(addr: SocketAddr) -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()?,
            base: format!("http://{addr}"),
        })
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<(StatusCode, Bytes), reqwest::Error> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .body(body.into());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await?;
        let status = resp.status();
        Ok((status, resp.bytes().await?))
    }

    /// `POST path` with a body.
    pub async fn post(
        &mut self,
        path: &str,
        body: impl Into<Bytes>,
    ) -> Result<(StatusCode, Bytes), reqwest::Error> {
        self.send(Method::POST, path, &[], body).await
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Result<(StatusCode, Bytes), reqwest::Error> {
        self.send(Method::GET, path, &[], Bytes::new()).await
    }
}

/// The ids (hex) of every record the POST server at `addr` exports, page by page with the
/// export token [`super::TOKEN`]: what a test compares with the uploads it saw acknowledged.
pub async fn exported_ids(addr: SocketAddr) -> Vec<String> {
    let mut c = Client::connect(addr).await.unwrap();
    let auth = format!("Bearer {}", super::TOKEN);
    let (mut out, mut cursor) = (Vec::new(), String::new());
    loop {
        let path = if cursor.is_empty() {
            format!("{}?limit=5000", spur_wire::api::routes::EXPORT)
        } else {
            format!(
                "{}?limit=5000&cursor={cursor}",
                spur_wire::api::routes::EXPORT
            )
        };
        let (st, body) = c
            .send(
                axum::http::Method::GET,
                &path,
                &[("authorization", &auth)],
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(st, StatusCode::OK);
        let file = spur_protocol::export::parse(&body).unwrap();
        out.extend(
            file.rows
                .iter()
                .map(|r| data_encoding::HEXLOWER.encode(&r.id)),
        );
        cursor = file.cursor;
        if !file.more {
            return out;
        }
    }
}
