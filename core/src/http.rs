//! The [`Transport`] over HTTP(S) with reqwest on tokio (rustls, no system TLS library).
//!
//! Plain `http://` is accepted only for loopback addresses (development and tests); anything
//! else must be `https://`. Answers are read with a size limit.
//!
//! In the browser (wasm32) reqwest is the page's `fetch`: TLS, connection reuse and the user
//! agent are the browser's, no cookies are sent (`credentials: omit`), the timeout is per request
//! (an `AbortController`), and the futures, which hold JS objects, are carried as `Send` by
//! [`sendable`] because the core's traits ask for it (the page runs everything on one thread).

use std::time::Duration;

use data_encoding::HEXLOWER;
use spur_protocol::tag::{Blinded, Evaluation, QrCommitment, QrId};
use spur_protocol::time::Slot;
use spur_wire::api::error::ErrorBody;
use spur_wire::api::post::{PinCheckRequest, PinCheckResponse};
use spur_wire::api::routes;
use spur_wire::api::tag::{QrIdsRequest, QrIdsResponse, TmpKeysRequest, TmpKeysResponse};

use crate::error::{Error, Result};
use crate::texts::Msg;
use crate::transport::{NetError, Transport};

/// Largest answer read from a server.
const MAX_ANSWER: usize = 256 * 1024;

/// Longest wait for a whole answer.
const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// HTTP client for one TAG server and one POST server.
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    tag: String,
    post: String,
}

/// Checks a server base URL: `https://…`, or `http://` on loopback only. Trailing `/` removed.
pub fn check_base_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let ok = if let Some(rest) = u.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    } else {
        u.starts_with("https://") && u.len() > 8
    };
    if ok {
        Ok(u.to_owned())
    } else {
        Err(Error::input(Msg::new("error-server-url").text("url", u)))
    }
}

impl HttpTransport {
    /// A client for the two servers' base URLs.
    pub fn new(tag_url: &str, post_url: &str) -> Result<Self> {
        #[cfg(not(target_arch = "wasm32"))]
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(ANSWER_WAIT)
            .user_agent("spur-core")
            .build();
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::Client::builder().build();
        let client = client.map_err(|_| Error::internal("http client"))?;
        Ok(Self {
            client,
            tag: check_base_url(tag_url)?,
            post: check_base_url(post_url)?,
        })
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> std::result::Result<Vec<u8>, NetError> {
        #[cfg(target_arch = "wasm32")]
        let req = req.timeout(ANSWER_WAIT).fetch_credentials_omit();
        let resp = req.send().await.map_err(|_| NetError::Offline)?;
        let status = resp.status().as_u16();
        let body = read_limited(resp).await?;
        match status {
            200..=299 => Ok(body),
            408 | 429 | 500..=599 => Err(NetError::Busy { status }),
            _ => {
                let r: ErrorBody = json(&body)?;
                Err(NetError::Refused {
                    status,
                    code: r.error.as_str().to_owned(),
                    message: r.message,
                })
            }
        }
    }

    /// `POST` of a contract JSON body to `url`.
    fn post_json<T: serde::Serialize>(
        &self,
        url: String,
        body: &T,
    ) -> std::result::Result<reqwest::RequestBuilder, NetError> {
        let body = serde_json::to_vec(body).map_err(|_| NetError::BadAnswer)?;
        Ok(self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(body))
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn read_limited(mut resp: reqwest::Response) -> std::result::Result<Vec<u8>, NetError> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|_| NetError::Offline)? {
        if out.len() + chunk.len() > MAX_ANSWER {
            return Err(NetError::BadAnswer);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The answer's body, refused when it is larger than [`MAX_ANSWER`]. `fetch` gives the body whole
/// (streaming it would need reqwest's `stream` feature for one check), so a declared length is
/// refused before reading and the real length after.
#[cfg(target_arch = "wasm32")]
async fn read_limited(resp: reqwest::Response) -> std::result::Result<Vec<u8>, NetError> {
    if resp.content_length().is_some_and(|n| n > MAX_ANSWER as u64) {
        return Err(NetError::BadAnswer);
    }
    let body = resp.bytes().await.map_err(|_| NetError::Offline)?;
    if body.len() > MAX_ANSWER {
        return Err(NetError::BadAnswer);
    }
    Ok(body.to_vec())
}

/// A request's future as the [`Transport`] trait wants it: `Send`. Natively it is already.
#[cfg(not(target_arch = "wasm32"))]
fn sendable<F: std::future::Future>(f: F) -> F {
    f
}

/// A request's future as the [`Transport`] trait wants it: `Send`. In the browser it holds JS
/// objects, which are not; the wrapper lets it cross as `Send` and checks at run time that it is
/// only ever polled on the thread that made it (the page has one).
#[cfg(target_arch = "wasm32")]
fn sendable<F: std::future::Future>(f: F) -> send_wrapper::SendWrapper<F> {
    send_wrapper::SendWrapper::new(f)
}

/// Exactly `N` bytes from lower-case hex, or a bad answer.
fn fixed<const N: usize>(hex: &str) -> std::result::Result<[u8; N], NetError> {
    HEXLOWER
        .decode(hex.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or(NetError::BadAnswer)
}

fn json<T: serde::de::DeserializeOwned>(b: &[u8]) -> std::result::Result<T, NetError> {
    serde_json::from_slice(b).map_err(|_| NetError::BadAnswer)
}

impl HttpTransport {
    async fn do_directory(&self) -> std::result::Result<Vec<u8>, NetError> {
        self.send(
            self.client
                .get(format!("{}{}", self.tag, routes::DIRECTORY)),
        )
        .await
    }

    async fn do_qr_ids(
        &self,
        commitments: Vec<QrCommitment>,
    ) -> std::result::Result<Vec<QrId>, NetError> {
        let body = QrIdsRequest {
            commitments: commitments.iter().map(QrCommitment::to_hex).collect(),
        };
        let req = self.post_json(format!("{}{}", self.tag, routes::QR_IDS), &body)?;
        let ids: QrIdsResponse = json(&self.send(req).await?)?;
        ids.qr_ids
            .iter()
            .map(|h| QrId::from_hex(h).map_err(|_| NetError::BadAnswer))
            .collect()
    }

    async fn do_tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> std::result::Result<Vec<(Slot, Evaluation)>, NetError> {
        let wanted: Vec<u32> = slots.iter().map(|s| s.0).collect();
        let body = TmpKeysRequest {
            blinded: HEXLOWER.encode(&blinded.0),
            slots: wanted.clone(),
        };
        let req = self.post_json(format!("{}{}", self.tag, routes::TMP_KEYS), &body)?;
        let answer: TmpKeysResponse = json(&self.send(req).await?)?;
        let mut out = Vec::with_capacity(answer.evaluations.len());
        for e in answer.evaluations {
            out.push((
                Slot(e.slot),
                Evaluation {
                    element: fixed(&e.evaluated)?,
                    proof: fixed(&e.proof)?,
                },
            ));
        }
        // Exactly the slots asked for, in order: anything else is not an answer to this request.
        if out.iter().map(|(s, _)| s.0).collect::<Vec<_>>() != wanted {
            return Err(NetError::BadAnswer);
        }
        Ok(out)
    }

    async fn do_pin_check(&self, id: QrId, check: [u8; 32]) -> std::result::Result<bool, NetError> {
        let body = PinCheckRequest {
            check: HEXLOWER.encode(&check),
            qr_id: id.to_hex(),
        };
        let req = self.post_json(format!("{}{}", self.post, routes::PIN_CHECK), &body)?;
        let a: PinCheckResponse = json(&self.send(req).await?)?;
        Ok(a.confirmed)
    }

    async fn do_upload(&self, route: &str, body: Vec<u8>) -> std::result::Result<(), NetError> {
        let req = self
            .client
            .post(format!("{}{route}", self.post))
            .header("content-type", "application/octet-stream")
            .body(body);
        self.send(req).await.map(|_| ())
    }
}

impl Transport for HttpTransport {
    fn directory(
        &self,
    ) -> impl std::future::Future<Output = std::result::Result<Vec<u8>, NetError>> + Send {
        sendable(self.do_directory())
    }

    fn qr_ids(
        &self,
        commitments: Vec<QrCommitment>,
    ) -> impl std::future::Future<Output = std::result::Result<Vec<QrId>, NetError>> + Send {
        sendable(self.do_qr_ids(commitments))
    }

    fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> impl std::future::Future<Output = std::result::Result<Vec<(Slot, Evaluation)>, NetError>> + Send
    {
        sendable(self.do_tmp_keys(blinded, slots))
    }

    fn pin_check(
        &self,
        id: QrId,
        check: [u8; 32],
    ) -> impl std::future::Future<Output = std::result::Result<bool, NetError>> + Send {
        sendable(self.do_pin_check(id, check))
    }

    fn upload(
        &self,
        route: &str,
        body: Vec<u8>,
    ) -> impl std::future::Future<Output = std::result::Result<(), NetError>> + Send {
        sendable(self.do_upload(route, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback() {
        assert_eq!(
            check_base_url("https://tag.spur.example/").unwrap(),
            "https://tag.spur.example"
        );
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost").is_ok());
        assert!(check_base_url("http://tag.spur.example").is_err());
        assert!(check_base_url("http://127.0.0.1.evil.example").is_err());
        assert!(check_base_url("ftp://x").is_err());
    }
}
