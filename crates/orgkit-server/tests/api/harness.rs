//! Starts the real server in-process on 127.0.0.1:0 with its own database, and talks to it.

use orgkit_server::{build, AppState, Config};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The PostgreSQL server URL; each test creates its own database in it.
    Postgres(String),
}

impl Backend {
    pub fn postgres() -> Option<Backend> {
        std::env::var("ORGKIT_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Backend::Postgres)
    }
}

/// A running server with a private database, removed when dropped.
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub client: Client,
    _dir: tempfile::TempDir,
    pg_cleanup: Option<(String, String)>,
}

/// A random `--secret-key`: 32 bytes in base64.
pub fn test_secret_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    base64::engine::general_purpose::STANDARD.encode(key)
}

/// A new, empty database for `backend` (a SQLite file in `dir`), and what dropping a
/// PostgreSQL one takes.
pub async fn create_database(
    backend: &Backend,
    dir: &std::path::Path,
) -> (String, Option<(String, String)>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.join("test.db").display()), None),
        Backend::Postgres(base) => {
            let name = unique_name();
            let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let mut url = url::Url::parse(base).unwrap();
            url.set_path(&format!("/{name}"));
            (url.to_string(), Some((base.clone(), name)))
        }
    }
}

/// Drops a database made by [`create_database`] (nothing for SQLite: its directory goes).
pub async fn drop_database(pg_cleanup: Option<(String, String)>) {
    if let Some((base, name)) = pg_cleanup {
        let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}

fn unique_name() -> String {
    use rand::Rng;
    format!("orgkit_t_{:016x}", rand::thread_rng().gen::<u64>())
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        TestServer::start_with(backend, |_| {}).await
    }

    /// Starts a server whose configuration `tweak` may change.
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg_cleanup) = create_database(&backend, dir.path()).await;
        TestServer::start_on(database_url, pg_cleanup, dir, tweak).await
    }

    /// Starts a second server on this one's database, as another instance behind a load
    /// balancer would be.
    pub async fn start_sharing(&self, tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let url = self.state.config.database_url.clone();
        TestServer::start_on(url, None, dir, tweak).await
    }

    async fn start_on(
        database_url: String,
        pg_cleanup: Option<(String, String)>,
        dir: tempfile::TempDir,
        tweak: impl FnOnce(&mut Config),
    ) -> TestServer {
        let mut config = Config::for_database(&database_url);
        config.dev = true;
        config.password_hashing = "fast".to_owned();
        config.max_connections = 8;
        config.sign_in_limit_per_minute = 1000;
        config.sign_up_limit_per_minute = 10_000;
        config.mail_to_address_limit_per_minute = 10_000;
        config.invite_limit_per_minute = 10_000;
        config.delivery_poll_ms = 50;
        config.allowed_origins = vec!["http://app.test".to_owned()];
        config.www_dir = dir.path().join("www");
        // Webhooks on, to receivers the tests run on loopback.
        config.secret_key = Some(orgkit_server::config::SecretKey(test_secret_key()));
        config.webhook_allow_private = true;
        // SSO providers too: the test provider listens on loopback.
        config.sso_allow_private = true;
        config.pkg_dir = dir.path().join("pkg");
        // PostgreSQL's replays on, so every test on PostgreSQL goes through them.
        config.pg_replay = true;
        let before = tight_limits(&config);
        tweak(&mut config);
        if tight_limits(&config) != before {
            wait_for_a_fresh_minute().await;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let url = format!("http://{addr}");
        let (app, state) = build(config, url.clone()).await.unwrap();
        orgkit_server::start_background_work(&state);
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        TestServer {
            url,
            state,
            client: Client::builder().no_proxy().build().unwrap(),
            _dir: dir,
            pg_cleanup,
        }
    }

    /// Signs up a new user (name from the address) and returns them.
    pub async fn sign_up(&self, email: &str) -> User {
        let (status, body) = self
            .raw(Method::POST, "/v1/auth/sign-up", None, Some(json!({"emailAddress": email, "password": "correct horse", "name": email.split('@').next().unwrap()})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        User {
            id: body["user"]["id"].as_str().unwrap().to_owned(),
            email: body["user"]["emailAddress"].as_str().unwrap().to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    /// Signs up `email` and verifies the address through the mailed link.
    pub async fn verified_user(&self, email: &str) -> User {
        let user = self.sign_up(email).await;
        let (status, body) = self.verify_email(email).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        user
    }

    /// Verifies `email` with the token of the newest link mailed to it; returns the answer.
    pub async fn verify_email(&self, email: &str) -> (StatusCode, Value) {
        let token = self.last_token(email).await;
        self.verify_email_token(&token).await
    }

    /// Posts `token` to `/v1/auth/verify-email` (no session); returns the answer.
    pub async fn verify_email_token(&self, token: &str) -> (StatusCode, Value) {
        self.raw(
            Method::POST,
            "/v1/auth/verify-email",
            None,
            Some(json!({ "token": token })),
        )
        .await
    }

    /// Sends a request with an optional Bearer token and JSON body; returns status and JSON.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, json)
    }

    /// Creates an organization as `user` and returns its id.
    pub async fn create_org(&self, user: &User, name: &str) -> String {
        let (status, body) = user
            .call(
                self,
                Method::POST,
                "/v1/organizations",
                Some(json!({"name": name})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// Changes `org` with `body` as `user` (PATCH); returns the answer.
    pub async fn update_org(&self, user: &User, org: &str, body: Value) -> (StatusCode, Value) {
        user.call(
            self,
            Method::PATCH,
            &format!("/v1/organizations/{org}"),
            Some(body),
        )
        .await
    }

    /// The slug of `org`, read from the database (`""` when there is no such organization).
    pub async fn slug(&self, org: &str) -> String {
        let slug: Option<(String,)> =
            sqlx::query_as("SELECT slug FROM organizations WHERE id = $1")
                .bind(org)
                .fetch_optional(&self.state.db.pool)
                .await
                .unwrap();
        slug.map(|s| s.0).unwrap_or_default()
    }

    /// Deletes `org` as `user`, confirmed with its slug (read from the database); returns the
    /// answer.
    pub async fn delete_org(&self, user: &User, org: &str) -> (StatusCode, Value) {
        let slug = self.slug(org).await;
        user.call(
            self,
            Method::DELETE,
            &format!("/v1/organizations/{org}?confirm={slug}"),
            None,
        )
        .await
    }

    /// The mail to `to` in the dev mailbox, newest first.
    pub async fn mailbox(&self, to: &str) -> Vec<Value> {
        let (status, body) = self
            .raw(Method::GET, &format!("/v1/dev/mailbox?to={to}"), None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"].as_array().unwrap().clone()
    }

    /// The newest link emailed to `to` (from the dev mailbox).
    pub async fn last_link(&self, to: &str) -> String {
        let (status, body) = self
            .raw(Method::GET, &format!("/v1/dev/mailbox?to={to}"), None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"][0]["link"]
            .as_str()
            .unwrap_or_else(|| panic!("no mail to {to}: {body}"))
            .to_owned()
    }

    /// The token of the newest link emailed to `to`.
    pub async fn last_token(&self, to: &str) -> String {
        self.last_link(to)
            .await
            .split("token=")
            .nth(1)
            .unwrap()
            .to_owned()
    }

    /// Invites `email` into `org` as `role`, and returns the emailed token.
    pub async fn invite(&self, admin: &User, org: &str, email: &str, role: &str) -> String {
        let (status, body) = self.send_invitation(admin, org, email, role).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        self.last_token(email).await
    }

    /// Invites `email` into `org` as `role`, as `admin`; returns the answer.
    pub async fn send_invitation(
        &self,
        admin: &User,
        org: &str,
        email: &str,
        role: &str,
    ) -> (StatusCode, Value) {
        admin
            .call(
                self,
                Method::POST,
                &format!("/v1/organizations/{org}/invitations"),
                Some(json!({"emailAddress": email, "role": role})),
            )
            .await
    }

    /// Makes `user` a member of `org` with `role`, through an invitation they accept.
    pub async fn add_member(&self, admin: &User, org: &str, user: &User, role: &str) {
        let token = self.invite(admin, org, &user.email, role).await;
        let (status, body) = self.accept_invitation(user, &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Accepts the invitation with the emailed `token` as `user`; returns the answer.
    pub async fn accept_invitation(&self, user: &User, token: &str) -> (StatusCode, Value) {
        user.call(
            self,
            Method::POST,
            "/v1/invitations/accept",
            Some(json!({"token": token})),
        )
        .await
    }

    /// Makes the database unreachable for the server. PostgreSQL: it refuses new connections
    /// and its open ones are terminated, as in a restart. SQLite (a file in the process): the
    /// server's pool is closed. Returns whether [`TestServer::end_outage`] can bring it back.
    pub async fn start_outage(&self) -> bool {
        match &self.pg_cleanup {
            Some((base, name)) => {
                let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
                for sql in [
                    format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
                    format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
                ] {
                    sqlx::query(&sql).execute(&mut admin).await.unwrap();
                }
                true
            }
            None => {
                self.state.db.close().await;
                false
            }
        }
    }

    /// Ends a PostgreSQL outage begun by [`TestServer::start_outage`].
    pub async fn end_outage(&self) {
        if let Some((base, name)) = &self.pg_cleanup {
            let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
            sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    }

    /// How many audit events with `action` the database holds.
    pub async fn audit_count(&self, action: &str) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = $1",
            action,
        )
        .await
    }

    /// A text value from the database, by a query with two arguments.
    pub async fn text_value(&self, sql: &str, a: &str, b: &str) -> String {
        let (value,): (String,) = sqlx::query_as(sql)
            .bind(a)
            .bind(b)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap();
        value
    }

    /// A count from the database.
    pub async fn count(&self, sql: &str, arg: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(arg)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap();
        n
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg_cleanup.take() {
            // The server's pool lives in the test's runtime; FORCE closes its connections.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// Waits, when fewer than 20 seconds are left in the current clock minute, for the next one
/// to begin: the rate limits count per clock minute, and a scenario that crosses into the next
/// one would see its counters start again.
pub async fn clear_of_a_minute_boundary() {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let into_minute = std::time::Duration::from_millis((since_epoch.as_millis() % 60_000) as u64);
    let left = std::time::Duration::from_secs(60) - into_minute;
    if left < std::time::Duration::from_secs(20) {
        tokio::time::sleep(left + std::time::Duration::from_millis(100)).await;
    }
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
}

impl User {
    pub async fn call(
        &self,
        server: &TestServer,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        server.raw(method, path, Some(&self.token), body).await
    }
}

/// Asserts an error answer: status and code.
#[track_caller]
pub fn assert_error(answer: &(StatusCode, Value), status: u16, code: &str) {
    assert_eq!(answer.0.as_u16(), status, "{}", answer.1);
    assert_eq!(answer.1["error"]["code"], code, "{}", answer.1);
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        answer.1
    );
}

/// The hex SHA-256 of `token`: how the server stores tokens.
pub fn sha256_hex(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// The current time in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Starts the real `orgkit-server` binary from `command` (its own flags already given), serving
/// an empty `dir` as the demo and the SDK, and answers it with the URL its first stdout line
/// names. The child is killed when dropped.
pub async fn start_binary(
    mut command: tokio::process::Command,
    dir: &std::path::Path,
) -> (tokio::process::Child, String) {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = command
        .arg("--www-dir")
        .arg(dir)
        .arg("--pkg-dir")
        .arg(dir)
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the server starts")
        .unwrap()
        .expect("a listening line");
    let url = line
        .strip_prefix("orgkit-server listening on ")
        .expect("listening line")
        .to_owned();
    (child, url)
}

/// The rate limits a test may set low enough to reach.
fn tight_limits(c: &Config) -> [u32; 5] {
    [
        c.sign_in_limit_per_minute,
        c.sign_up_limit_per_minute,
        c.mail_to_address_limit_per_minute,
        c.invite_limit_per_minute,
        c.clerk_key_limit_per_minute,
    ]
}

/// Rate limits count per clock minute, so a test that sets one starts with at least 30 s of
/// its minute ahead: on a loaded machine its attempts would otherwise straddle two windows and
/// the count would start over.
async fn wait_for_a_fresh_minute() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let into_minute = (now % 60_000) as u64;
    if into_minute > 30_000 {
        tokio::time::sleep(std::time::Duration::from_millis(60_050 - into_minute)).await;
    }
}
