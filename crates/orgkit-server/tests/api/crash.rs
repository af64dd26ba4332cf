//! Issue 14's crash test: the real server binary on a SQLite file with `synchronous = FULL`,
//! killed with SIGKILL under concurrent role updates and removals (the writer thread's group
//! commits), then started again. Every acknowledged write is there, no operation is half
//! applied, and the invariants hold.

use crate::harness::{Backend, TestServer, User};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};

const ORGS: usize = 3;
const MEMBERS: usize = 10;

/// A seeded organization: its owner, id, and members with their first role.
type SeededOrg = (User, String, Vec<(User, String)>);

/// The server binary on `database_url` with `synchronous = FULL` and the writer on.
async fn spawn_binary(database_url: &str, dir: &std::path::Path) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orgkit-server"));
    command
        .args(["--database-url", database_url, "--listen", "127.0.0.1:0"])
        .args(["--sqlite-synchronous", "full", "--password-hashing", "fast"])
        .env_remove("ORGKIT_NO_SQLITE_WRITER");
    crate::harness::start_binary(command, dir).await
}

/// What a worker knows of one member: the last acknowledged state and the one in flight
/// (`None` role: removed).
#[derive(Debug, Clone, Default)]
struct Seen {
    acked: Option<Option<String>>,
    in_flight: Option<Option<String>>,
}

pub async fn acknowledged_writes_survive_a_kill_under_full() {
    // Seeded in process (invitations accepted through the dev mailbox), then left alone.
    let seed = TestServer::start_with(Backend::Sqlite, |c| c.no_sqlite_writer = true).await;
    let mut orgs: Vec<SeededOrg> = Vec::new();
    for o in 0..ORGS {
        let owner = seed.sign_up(&format!("owner{o}@example.com")).await;
        let org = seed.create_org(&owner, &format!("Crash {o}")).await;
        let mut members = Vec::new();
        for m in 0..MEMBERS {
            let user = seed.sign_up(&format!("m{o}x{m}@example.com")).await;
            let role = if m % 3 == 0 { "admin" } else { "basic_member" };
            seed.add_member(&owner, &org, &user, role).await;
            members.push((user, role.to_owned()));
        }
        orgs.push((owner, org, members));
    }
    let database_url = seed.state.config.database_url.clone();
    let versions = versions(&seed).await;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = spawn_binary(&database_url, dir.path()).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let seen: Arc<Mutex<HashMap<(String, String), Seen>>> = Arc::default();
    let mut workers = Vec::new();
    // One worker per member: its writes to that member run one after another, so the last
    // acknowledged one is the state the database must hold (or the one in flight at the kill).
    for (owner, org, members) in &orgs {
        for (i, (user, role)) in members.iter().enumerate() {
            let (client, url, seen) = (client.clone(), url.clone(), Arc::clone(&seen));
            let (owner, org, user, mut role) =
                (owner.clone(), org.clone(), user.clone(), role.clone());
            workers.push(tokio::spawn(async move {
                let key = (org.clone(), user.id.clone());
                let path = format!("{url}/v1/organizations/{org}/memberships/{}", user.id);
                for round in 0.. {
                    // Every member but a few flips roles until killed; those are removed
                    // at their fifth round.
                    let remove = i % 4 == 1 && round == 5;
                    let next = if role == "admin" {
                        "basic_member"
                    } else {
                        "admin"
                    };
                    let target = (!remove).then(|| next.to_owned());
                    set(&seen, &key, |s| s.in_flight = Some(target.clone()));
                    let request = if remove {
                        client.delete(&path)
                    } else {
                        client.patch(&path).json(&json!({ "role": next }))
                    };
                    let Ok(answer) = request.bearer_auth(&owner.token).send().await else {
                        return; // killed
                    };
                    let status = answer.status();
                    assert!(
                        status == StatusCode::OK || status == StatusCode::NO_CONTENT,
                        "{status}: {}",
                        answer.text().await.unwrap_or_default()
                    );
                    set(&seen, &key, |s| {
                        s.acked = Some(target.clone());
                        s.in_flight = None;
                    });
                    if remove {
                        return;
                    }
                    next.clone_into(&mut role);
                }
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    // Restarted on the same file: it recovers the WAL and serves.
    let (mut child, url) = spawn_binary(&database_url, dir.path()).await;
    let (owner, org, _) = &orgs[0];
    let page = client
        .get(format!("{url}/v1/organizations/{org}/memberships"))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let restarted = seed.start_sharing(|c| c.no_sqlite_writer = true).await;
    let seen = seen.lock().unwrap().clone();
    let acked = seen.values().filter(|s| s.acked.is_some()).count();
    assert!(acked > 0, "no write was acknowledged before the kill");
    for ((org, user), s) in &seen {
        let now = role_of(&restarted, org, user).await;
        let Some(acked) = &s.acked else { continue };
        let allowed = [Some(acked.clone()), s.in_flight.clone()];
        assert!(
            allowed.contains(&Some(now.clone())),
            "{user} in {org}: {now:?}, acknowledged {acked:?}, in flight {:?}",
            s.in_flight
        );
    }
    check_invariants(&restarted, &orgs, &versions).await;
}

fn set(
    seen: &Mutex<HashMap<(String, String), Seen>>,
    key: &(String, String),
    f: impl FnOnce(&mut Seen),
) {
    f(seen.lock().unwrap().entry(key.clone()).or_default());
}

async fn role_of(server: &TestServer, org: &str, user: &str) -> Option<String> {
    sqlx::query_as::<_, (String,)>(
        "SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_optional(&server.state.db.pool)
    .await
    .unwrap()
    .map(|(r,)| r)
}

/// Each membership's version, keyed by (org, user).
async fn versions(server: &TestServer) -> HashMap<(String, String), i64> {
    sqlx::query_as::<_, (String, String, i64)>("SELECT org_id, user_id, version FROM memberships")
        .fetch_all(&server.state.db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(o, u, v)| ((o, u), v))
        .collect()
}

/// No half-applied operation: every role change bumped the version once and wrote one audit
/// row, every removal deleted the row and wrote its audit row; one admin at least per
/// organization, one membership per (user, organization).
async fn check_invariants(
    server: &TestServer,
    orgs: &[SeededOrg],
    before: &HashMap<(String, String), i64>,
) {
    let after = versions(server).await;
    for (_, org, members) in orgs {
        for (user, _) in members {
            let key = (org.clone(), user.id.clone());
            let audit = |action: &'static str| {
                sqlx::query_as::<_, (i64,)>(
                    "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 AND subject = $2 AND action = $3",
                )
                .bind(org.clone())
                .bind(user.id.clone())
                .bind(action)
                .fetch_one(&server.state.db.pool)
            };
            let (changes,) = audit("membership.role_changed").await.unwrap();
            let (removals,) = audit("membership.removed").await.unwrap();
            match after.get(&key) {
                Some(v) => {
                    assert_eq!(v - before[&key], changes, "{key:?}: version against audit");
                    assert_eq!(removals, 0, "{key:?}: removed but present");
                }
                None => assert_eq!(removals, 1, "{key:?}: gone without its audit row"),
            }
        }
        let (admins,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'")
                .bind(org.clone())
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        assert!(admins >= 1, "{org} has no admin");
    }
    let (doubles,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT org_id, user_id FROM memberships \
         GROUP BY org_id, user_id HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&server.state.db.pool)
    .await
    .unwrap();
    assert_eq!(doubles, 0);
}
