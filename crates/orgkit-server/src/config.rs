//! Command-line flags, each with an `ORGKIT_*` environment fallback.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(name = "orgkit-server", about = "orgkit's reference backend", version)]
pub struct Config {
    /// `sqlite://FILE` (created if missing, WAL mode) or `postgres://…`.
    #[arg(
        long,
        env = "ORGKIT_DATABASE_URL",
        default_value = "sqlite://orgkit.db"
    )]
    pub database_url: String,
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, env = "ORGKIT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The base of links in emails, for example `https://orgs.example.com`. Defaults to
    /// `http://` and the bound address.
    #[arg(long, env = "ORGKIT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Turns on the dev mailbox at `GET /v1/dev/mailbox`.
    #[arg(long, env = "ORGKIT_DEV")]
    pub dev: bool,
    /// Origins allowed to call the API from a browser (CORS, and the CSRF check of cookie
    /// requests). Repeat the flag or separate with commas. The public URL's origin is always
    /// allowed.
    #[arg(
        long = "allowed-origin",
        env = "ORGKIT_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Delivers email over SMTP: `smtp://host[:port]` (port 25, STARTTLS when offered),
    /// `smtp://host[:port]?tls=required` (port 587, STARTTLS or nothing), `smtps://host[:port]`
    /// (port 465, TLS from the start) or `smtp://host[:port]?tls=none` (plain, for a relay on
    /// the same machine); `user:password@` before the host logs in. Without it, email is only
    /// queued: shown by the dev mailbox with `--dev`, marked dead otherwise.
    #[arg(long, env = "ORGKIT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The SMTP user name, when `--smtp-url` has none (with `--smtp-password`).
    #[arg(long, env = "ORGKIT_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// The SMTP password, with `--smtp-username`.
    #[arg(long, env = "ORGKIT_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// A PEM file of root certificates to trust for SMTP over TLS besides the public ones: a
    /// relay's private CA or self-signed certificate.
    #[arg(long, env = "ORGKIT_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// The From address of emails.
    #[arg(
        long,
        env = "ORGKIT_MAIL_FROM",
        default_value = "orgkit <no-reply@orgkit.invalid>"
    )]
    pub mail_from: String,
    /// The demo app, served at `/`.
    #[arg(long, env = "ORGKIT_WWW_DIR", default_value = "www")]
    pub www_dir: PathBuf,
    /// The built SDK package, served at `/pkg/`.
    #[arg(long, env = "ORGKIT_PKG_DIR", default_value = "pkg")]
    pub pkg_dir: PathBuf,
    /// How long an invitation stays valid, in seconds (default 7 days, the rule book's
    /// `DEFAULT_INVITATION_TTL_MS`).
    #[arg(long, env = "ORGKIT_INVITATION_TTL_SECONDS",
        default_value_t = orgkit_core::DEFAULT_INVITATION_TTL_MS / 1000)]
    pub invitation_ttl_seconds: i64,
    /// Reverse proxies whose `X-Forwarded-For` header names the client, for the rate limits:
    /// IP addresses, CIDR ranges (`10.0.0.0/8`), `loopback` or `private`. Repeat the flag or
    /// separate with commas. Off by default: the socket peer is the client and the header is
    /// ignored. Behind a trusted proxy the client is the rightmost address in the header that
    /// is not itself a trusted proxy.
    #[arg(
        long = "trusted-proxy",
        env = "ORGKIT_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Sign-in attempts allowed per minute, per account and per client address.
    #[arg(long, env = "ORGKIT_SIGN_IN_LIMIT_PER_MINUTE", default_value_t = 10)]
    pub sign_in_limit_per_minute: u32,
    /// Invitations sent per minute, per account and per client address.
    #[arg(long, env = "ORGKIT_INVITE_LIMIT_PER_MINUTE", default_value_t = 60)]
    pub invite_limit_per_minute: u32,
    /// How long audit events are kept, in days; older ones are deleted every hour.
    #[arg(long, env = "ORGKIT_AUDIT_RETENTION_DAYS", default_value_t = 365)]
    pub audit_retention_days: u32,
    /// Sign-ups allowed per minute, per client address (each one emails a verification link).
    #[arg(long, env = "ORGKIT_SIGN_UP_LIMIT_PER_MINUTE", default_value_t = 20)]
    pub sign_up_limit_per_minute: u32,
    /// Emails sent per minute to any one address, whatever sends them (sign-up, invitation,
    /// resend), so nobody can make the server mail one address over and over.
    #[arg(
        long,
        env = "ORGKIT_MAIL_TO_ADDRESS_LIMIT_PER_MINUTE",
        default_value_t = 5
    )]
    pub mail_to_address_limit_per_minute: u32,
    /// Password hashing cost: `default` (argon2id, OWASP parameters) or `fast` (for tests
    /// only: a tiny memory cost).
    #[arg(
        long,
        env = "ORGKIT_PASSWORD_HASHING",
        default_value = "default",
        hide = true
    )]
    pub password_hashing: String,
    /// Database connections in the pool (on PostgreSQL, the rate-limit counters open up to 4
    /// more of their own).
    #[arg(long, env = "ORGKIT_MAX_CONNECTIONS", default_value_t = 8)]
    pub max_connections: u32,
    /// SQLite's `synchronous` in WAL mode: `normal` (a power loss may drop the last commits,
    /// a crash of the process never does) or `full` (every commit is synced: no acknowledged
    /// write is lost).
    #[arg(
        long,
        env = "ORGKIT_SQLITE_SYNCHRONOUS",
        value_enum,
        default_value = "normal"
    )]
    pub sqlite_synchronous: crate::db::writer::Synchronous,
    /// Runs SQLite writes on sqlx's pool instead of the writer thread, and the hot reads there
    /// instead of inline (for before/after benchmarks).
    #[arg(long, env = "ORGKIT_NO_SQLITE_WRITER", hide = true)]
    pub no_sqlite_writer: bool,
    /// On PostgreSQL, creates organizations and sends single invitations as one
    /// `orgkit_replay` call each (one round trip) instead of a transaction with a round trip
    /// per statement. For a database across a network; on the same host it measured no faster
    /// (BENCHMARKS.md), so it is off by default.
    #[arg(long, env = "ORGKIT_PG_REPLAY")]
    pub pg_replay: bool,
    /// The key that seals the secrets the server must read back (webhook signing secrets):
    /// 32 random bytes in base64, for example from `openssl rand -base64 32`. Prefer the
    /// environment variable to the flag, which other local users can see. Without it,
    /// creating a webhook endpoint answers `webhooks_not_configured`.
    #[arg(long, env = "ORGKIT_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<SecretKey>,
    /// Lets webhooks go to private networks: loopback, private, carrier-grade NAT, link-local
    /// and unique-local addresses. Off by default, so that an endpoint URL cannot make the
    /// server call into its own network.
    #[arg(long, env = "ORGKIT_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
    /// Lets SSO connections reach identity providers on private networks (loopback, private,
    /// carrier-grade NAT, link-local, unique-local): for an on-premises identity provider.
    /// Off by default, so that an organization admin's issuer URL cannot make the server
    /// probe its own network (discovery, keys and the code exchange are all filtered).
    #[arg(long, env = "ORGKIT_SSO_ALLOW_PRIVATE")]
    pub sso_allow_private: bool,
    /// One DNS server (`IP:PORT`) to ask for domain-ownership TXT records instead of the
    /// system's (tests run their own).
    #[arg(long, env = "ORGKIT_DNS_SERVER", hide = true)]
    pub dns_server: Option<std::net::SocketAddr>,
    /// How long a webhook delivery waits for the endpoint's answer, in milliseconds.
    #[arg(
        long,
        env = "ORGKIT_WEBHOOK_TIMEOUT_MS",
        default_value_t = 15_000,
        hide = true
    )]
    pub webhook_timeout_ms: u64,
    /// How long delivered and dead mail and webhook items stay in the queue table, in days.
    #[arg(long, env = "ORGKIT_DELIVERY_RETENTION_DAYS", default_value_t = 30)]
    pub delivery_retention_days: u32,
    /// How often the delivery worker looks for retries that came due, in milliseconds (new
    /// work wakes it at once).
    #[arg(
        long,
        env = "ORGKIT_DELIVERY_POLL_MS",
        default_value_t = 1000,
        hide = true
    )]
    pub delivery_poll_ms: u64,
    /// How long a worker owns the items it claimed, in seconds; a killed server's items are
    /// claimed again after it. Must exceed the longest attempt (the 15 s webhook timeout).
    #[arg(
        long,
        env = "ORGKIT_DELIVERY_LEASE_SECONDS",
        default_value_t = 60,
        hide = true
    )]
    pub delivery_lease_seconds: u32,
    /// Waits between delivery attempts, in milliseconds, in place of the rule book's schedules
    /// (for tests).
    #[arg(
        long,
        env = "ORGKIT_RETRY_SCHEDULE_MS",
        value_delimiter = ',',
        hide = true
    )]
    pub retry_schedule_ms: Vec<i64>,
    /// Where the Clerk-compatible Backend API is mounted: `@clerk/backend` clients use
    /// `apiUrl = "<public url><prefix>"`. An empty value turns it off.
    #[arg(long, env = "ORGKIT_CLERK_PREFIX", default_value = "/clerk")]
    pub clerk_prefix: String,
    /// Requests per minute each instance secret key may make to the Clerk-compatible API.
    #[arg(
        long,
        env = "ORGKIT_CLERK_KEY_LIMIT_PER_MINUTE",
        default_value_t = 6000
    )]
    pub clerk_key_limit_per_minute: u32,
    /// Moves the clock of session tokens by this many seconds (for tests: a negative offset
    /// issues tokens that have already expired).
    #[arg(
        long,
        env = "ORGKIT_SESSION_TOKEN_CLOCK_OFFSET_SECONDS",
        default_value_t = 0,
        allow_negative_numbers = true,
        hide = true
    )]
    pub session_token_clock_offset_seconds: i64,
    /// The most organizations one person may create (unset: no limit).
    #[arg(long, env = "ORGKIT_MAX_ORGANIZATIONS_PER_USER")]
    pub max_organizations_per_user: Option<u32>,
    /// One organization per account: a person belongs to at most one organization (joining a
    /// second one, asking to, or creating one is refused with `one_organization_per_account`).
    #[arg(long, env = "ORGKIT_ONE_ORGANIZATION_PER_ACCOUNT")]
    pub one_organization_per_account: bool,
    /// A maintenance command instead of serving.
    #[command(subcommand)]
    pub command: Option<crate::cli::Command>,
    /// An app permission roles may hold, `org:<feature>:<action>` (for example
    /// `org:invoices:create`), checked by the permission check route and the SDK's `can()`.
    /// Repeat the flag or separate with commas; at most 64. `admin` holds every one.
    #[arg(
        long = "app-permission",
        env = "ORGKIT_APP_PERMISSIONS",
        value_delimiter = ','
    )]
    pub app_permissions: Vec<String>,
}

/// A secret given on the command line or in the environment; `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(pub String);

impl std::str::FromStr for SecretKey {
    type Err = std::convert::Infallible;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Ok(SecretKey(raw.to_owned()))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl Config {
    /// The limits and policies the rule book applies (`orgkit_core::limits`).
    #[must_use]
    pub fn limits(&self) -> orgkit_core::limits::Policy {
        orgkit_core::limits::Policy {
            max_organizations_per_user: self.max_organizations_per_user,
            one_organization_per_account: self.one_organization_per_account,
        }
    }

    /// A configuration with every default, for `database_url` on a free loopback port.
    #[must_use]
    pub fn for_database(database_url: &str) -> Self {
        let mut config = Config::parse_from(["orgkit-server"]);
        config.database_url = database_url.to_owned();
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_key_never_shows_in_debug_output() {
        let config = Config::parse_from(["orgkit-server", "--secret-key", "hunter2hunter2"]);
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("SecretKey(***)"), "{shown}");
        assert_eq!(config.webhook_timeout_ms, 15_000);
        assert!(!config.webhook_allow_private);
        assert!(!config.sso_allow_private);
        assert!(config.app_permissions.is_empty());
        let config = Config::parse_from([
            "orgkit-server",
            "--app-permission",
            "org:invoices:create",
            "--app-permission",
            "org:invoices:read,org:reports:read",
        ]);
        assert_eq!(
            config.app_permissions,
            [
                "org:invoices:create",
                "org:invoices:read",
                "org:reports:read"
            ]
        );
    }

    #[test]
    fn the_invitation_lifetime_defaults_to_the_rule_books() {
        let config = Config::for_database("sqlite://unused.db");
        assert_eq!(
            config.invitation_ttl_seconds * 1000,
            orgkit_core::DEFAULT_INVITATION_TTL_MS
        );
    }
}
