//! The database connection options every PostgreSQL user in spur shares (POST server, vault):
//! TLS mode and CA file, and for a server the pool size. Flattened into each command's clap
//! arguments, so their long names are also the configuration file's keys.

use std::path::PathBuf;

use spur_migrate::connect::{Connector, TlsMode, TlsSetupError};

/// How the connection to PostgreSQL is protected (`--db-tls`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DbTls {
    /// No TLS: only for a database on the same host or a private link.
    #[default]
    Disable,
    /// TLS required, certificate not checked (protects against listening only).
    Require,
    /// TLS with the certificate chain checked against --db-ca-file and the host name.
    VerifyFull,
}

impl From<DbTls> for TlsMode {
    fn from(t: DbTls) -> Self {
        match t {
            DbTls::Disable => TlsMode::Disable,
            DbTls::Require => TlsMode::Require,
            DbTls::VerifyFull => TlsMode::VerifyFull,
        }
    }
}

/// TLS to PostgreSQL.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct PgTlsArgs {
    /// TLS to PostgreSQL: disable, require (encrypted, certificate not checked) or
    /// verify-full (certificate checked against --db-ca-file and the host name). Overrides any
    /// sslmode in the URL.
    #[arg(long, value_enum, default_value_t = DbTls::Disable)]
    pub db_tls: DbTls,
    /// PEM file with the CA certificate(s) that signed the database server's certificate
    /// (needed for --db-tls verify-full).
    #[arg(long)]
    pub db_ca_file: Option<PathBuf>,
}

impl PgTlsArgs {
    /// The connector these options describe (reads the CA file).
    pub fn connector(&self) -> Result<Connector, TlsSetupError> {
        Connector::new(self.db_tls.into(), self.db_ca_file.as_deref())
    }
}

/// Options of a server's PostgreSQL store: TLS and the pool size.
#[derive(clap::Args, Clone, Debug)]
pub struct PgArgs {
    /// TLS.
    #[command(flatten)]
    pub tls: PgTlsArgs,
    /// Connections the server keeps to PostgreSQL at most (its pool; each replica has its own).
    #[arg(long, default_value_t = super::postgres::DEFAULT_CONNECTIONS)]
    pub db_pool: usize,
}

impl Default for PgArgs {
    fn default() -> Self {
        Self {
            tls: PgTlsArgs::default(),
            db_pool: super::postgres::DEFAULT_CONNECTIONS,
        }
    }
}
