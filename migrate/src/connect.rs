//! Connecting to PostgreSQL with or without TLS, one way for every spur store (POST server and
//! vault): `disable`, `require` (encrypted, certificate not checked) or `verify-full` (the
//! certificate chain checked against the operator's CA file and the host name), with rustls.
//!
//! It lives beside the migration runner because both stores already depend on this crate's
//! `postgres` feature, and a second small crate for one function would cost more than it keeps
//! apart.

use std::path::Path;
use std::sync::Arc;

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// How the connection to the database is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain TCP (or a Unix socket): only for a database on the same host or a private link.
    #[default]
    Disable,
    /// TLS, refusing a server without it, but accepting any certificate: protects against a
    /// passive listener only.
    Require,
    /// TLS with the server's certificate chain checked against the CA file and its name
    /// against the host in the URL.
    VerifyFull,
}

/// Why no connector could be made. Messages name the problem, not the file's content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsSetupError {
    /// `verify-full` without a CA file.
    #[error(
        "--db-tls verify-full needs --db-ca-file (the CA that signed the database's certificate)"
    )]
    NoCaFile,
    /// The CA file could not be read.
    #[error("cannot read the database CA file: {0}")]
    Read(std::io::Error),
    /// The CA file holds no usable PEM certificate.
    #[error("the database CA file holds no usable PEM certificate")]
    NoCertificate,
    /// rustls refused the configuration.
    #[error("TLS setup: {0}")]
    Rustls(#[from] rustls::Error),
}

/// Makes connections with one TLS setting; cheap to clone, made once per store so that the CA
/// file is read once.
#[derive(Clone)]
pub struct Connector {
    tls: Option<MakeRustlsConnect>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

fn provider() -> Arc<CryptoProvider> {
    // Named explicitly: the process may hold no default provider, or another one.
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Connector {
    /// Plain connections (`disable`).
    pub fn plain() -> Self {
        Self { tls: None }
    }

    /// A connector for `mode`; `ca_file` (PEM, one or more certificates) is required for
    /// `verify-full` and ignored otherwise.
    pub fn new(mode: TlsMode, ca_file: Option<&Path>) -> Result<Self, TlsSetupError> {
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?;
        let config = match mode {
            TlsMode::Disable => return Ok(Self::plain()),
            TlsMode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider())))
                .with_no_client_auth(),
            TlsMode::VerifyFull => {
                let path = ca_file.ok_or(TlsSetupError::NoCaFile)?;
                let pem = std::fs::read(path).map_err(TlsSetupError::Read)?;
                let mut roots = RootCertStore::empty();
                for cert in CertificateDer::pem_slice_iter(&pem) {
                    let cert = cert.map_err(|_| TlsSetupError::NoCertificate)?;
                    roots.add(cert)?;
                }
                if roots.is_empty() {
                    return Err(TlsSetupError::NoCertificate);
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
        };
        Ok(Self {
            tls: Some(MakeRustlsConnect::new(config)),
        })
    }

    /// Whether connections use TLS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Connects to `url` (a `postgres://` URL or a `key=value` string). The TLS mode set here
    /// wins over any `sslmode` in the URL: with TLS the server must offer it, without TLS none
    /// is attempted. Must not be called on an async worker thread (the blocking client runs a
    /// small runtime of its own).
    pub fn connect(&self, url: &str) -> Result<Client, postgres::Error> {
        let mut config: Config = url.parse()?;
        match &self.tls {
            None => {
                config.ssl_mode(SslMode::Disable);
                config.connect(NoTls)
            }
            Some(tls) => {
                config.ssl_mode(SslMode::Require);
                config.connect(tls.clone())
            }
        }
    }
}

/// A PostgreSQL error as one line for the operator: the error and its causes (a TLS refusal
/// names the certificate problem; the server's message names the `pg_hba` refusal), but of
/// a server error only its severity, code and message, never its detail, which may quote row
/// values.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return format!("{}: {} ({})", d.severity(), d.message(), d.code().code());
    }
    let mut out = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// `require`: any certificate is taken (libpq's `sslmode=require` does the same), but the
/// handshake signatures are still checked, so the session key belongs to whoever holds the
/// certificate's key.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn verify_full_needs_a_ca_with_a_certificate() {
        assert!(matches!(
            Connector::new(TlsMode::VerifyFull, None),
            Err(TlsSetupError::NoCaFile)
        ));
        let dir = std::env::temp_dir().join(format!("spur-ca-{}", std::process::id()));
        std::fs::write(&dir, b"not a certificate").unwrap();
        let e = Connector::new(TlsMode::VerifyFull, Some(&dir));
        std::fs::remove_file(&dir).unwrap();
        assert!(matches!(e, Err(TlsSetupError::NoCertificate)));
        assert!(matches!(
            Connector::new(TlsMode::VerifyFull, Some(Path::new("/nonexistent/ca.pem"))),
            Err(TlsSetupError::Read(_))
        ));
        assert!(!Connector::new(TlsMode::Disable, None).unwrap().is_tls());
        assert!(Connector::new(TlsMode::Require, None).unwrap().is_tls());
    }
}
