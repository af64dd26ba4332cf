//! Writes that share their organization's lock on PostgreSQL (`service::shared_write`):
//! promotions, invitations and removals of plain members pass a shared lock, a demotion of an
//! admin waits for it, and two members who may manage members but are not admins, changing
//! each other at once, still run one after the other.

use crate::harness::{Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

async fn set_role(
    s: &TestServer,
    actor: &User,
    org: &str,
    target: &User,
    role: &str,
) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/memberships/{}", target.id);
    actor
        .call(s, Method::PATCH, &path, Some(json!({ "role": role })))
        .await
}

async fn remove(s: &TestServer, actor: &User, org: &str, target: &User) -> (StatusCode, Value) {
    let path = format!("/v1/organizations/{org}/memberships/{}", target.id);
    actor.call(s, Method::DELETE, &path, None).await
}

/// Creates the custom role `key` in `org` holding `permissions` (as Ada, its owner).
async fn create_role(s: &TestServer, ada: &User, org: &str, key: &str, permissions: &[&str]) {
    let role = json!({"key": key, "name": key, "permissions": permissions});
    let path = format!("/v1/organizations/{org}/roles");
    let created = ada.call(s, Method::POST, &path, Some(role)).await;
    assert_eq!(created.0, StatusCode::CREATED, "{}", created.1);
}

/// Two new members of `org` holding `org:manager`, which manages members but is not admin.
async fn two_managers(s: &TestServer, ada: &User, org: &str, tag: &str) -> (User, User) {
    let manages = ["org:memberships:manage", "org:memberships:read"];
    create_role(s, ada, org, "org:manager", &manages).await;
    let mo = s.sign_up(&format!("mo{tag}@example.com")).await;
    let max = s.sign_up(&format!("max{tag}@example.com")).await;
    s.add_member(ada, org, &mo, "org:manager").await;
    s.add_member(ada, org, &max, "org:manager").await;
    (mo, max)
}

/// PostgreSQL only: while another transaction holds the organization's row `FOR KEY SHARE`
/// (as every shared write does), a promotion and the removal of a plain member commit, and
/// the demotion of an admin waits until that transaction ends.
pub async fn shared_writes_pass_a_shared_lock_and_demotions_wait(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let cy = s.sign_up("cy@example.com").await;
    let di = s.sign_up("di@example.com").await;
    let org = s.create_org(&ada, "Shared").await;
    s.add_member(&ada, &org, &bob, "basic_member").await;
    s.add_member(&ada, &org, &cy, "basic_member").await;
    s.add_member(&ada, &org, &di, "admin").await;

    let mut holder = s.state.db.pool.begin().await.unwrap();
    sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR KEY SHARE")
        .bind(&org)
        .execute(&mut *holder)
        .await
        .unwrap();
    let patience = Duration::from_secs(20);
    let promoted = tokio::time::timeout(patience, set_role(&s, &ada, &org, &bob, "admin"))
        .await
        .expect("a promotion passes a shared lock");
    assert_eq!(promoted.0, StatusCode::OK, "{}", promoted.1);
    let cy_path = format!("/v1/organizations/{org}/memberships/{}", cy.id);
    let removed = tokio::time::timeout(patience, ada.call(&s, Method::DELETE, &cy_path, None))
        .await
        .expect("removing a plain member passes a shared lock");
    assert_eq!(removed.0, StatusCode::NO_CONTENT, "{}", removed.1);
    // Two addresses: the tests turn PostgreSQL's replays on, and one address would go
    // through a replay, which locks the organization alone.
    let invitations = format!("/v1/organizations/{org}/invitations");
    let addresses = json!({"emailAddresses": ["ed@example.com", "flo@example.com"]});
    let invited = ada.call(&s, Method::POST, &invitations, Some(addresses));
    let invited = tokio::time::timeout(patience, invited)
        .await
        .expect("an invitation passes a shared lock");
    assert_eq!(invited.0, StatusCode::OK, "{}", invited.1);
    assert_eq!(
        invited.1["data"][1]["invitation"]["emailAddress"],
        "flo@example.com"
    );

    let demotion = set_role(&s, &ada, &org, &di, "basic_member");
    tokio::pin!(demotion);
    let waited = tokio::time::timeout(Duration::from_millis(500), &mut demotion).await;
    assert!(
        waited.is_err(),
        "an admin's demotion waits for the shared lock: {waited:?}"
    );
    holder.commit().await.unwrap();
    let demoted = tokio::time::timeout(patience, demotion)
        .await
        .expect("the demotion goes on once the lock is released");
    assert_eq!(demoted.0, StatusCode::OK, "{}", demoted.1);
    assert_eq!(demoted.1["role"], "basic_member");
    let admins = s
        .count(
            "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'",
            &org,
        )
        .await;
    assert_eq!(admins, 2, "Ada and Bob");
}

/// Two managers (a custom role that manages members, not an admin's) demote or remove each
/// other at the same moment, many rounds: one wins, and the other is refused as no longer
/// allowed (a demoted manager: 403; a removed one is no longer a member: 404), as if they had
/// run one after the other. On PostgreSQL a demotion to a role that is not admin's holds the
/// organization alone from the start; removals are shared writes, each locking its own
/// membership `FOR SHARE` and the other's `FOR UPDATE`, and the loser runs again alone.
pub async fn managers_demoting_each_other_run_one_after_the_other(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let mut outcomes = std::collections::BTreeMap::new();
    for round in 0..16 {
        let org = s.create_org(&ada, &format!("Managers {round}")).await;
        let (mo, max) = two_managers(&s, &ada, &org, &round.to_string()).await;
        let removing = round % 2 == 1;
        let (a, b) = if removing {
            tokio::join!(remove(&s, &mo, &org, &max), remove(&s, &max, &org, &mo))
        } else {
            tokio::join!(
                set_role(&s, &mo, &org, &max, "basic_member"),
                set_role(&s, &max, &org, &mo, "basic_member"),
            )
        };
        let statuses = [a.0.as_u16(), b.0.as_u16()];
        *outcomes.entry((removing, statuses)).or_insert(0) += 1;
        let (won, refused, left) = if removing {
            (StatusCode::NO_CONTENT, StatusCode::NOT_FOUND, 2)
        } else {
            (StatusCode::OK, StatusCode::FORBIDDEN, 3)
        };
        let wins = [a.0, b.0].iter().filter(|&&st| st == won).count();
        assert_eq!(wins, 1, "round {round}: {} / {}", a.1, b.1);
        let loser = if a.0 == won { &b } else { &a };
        assert_eq!(loser.0, refused, "round {round}: {}", loser.1);
        let managers = s
            .count(
                "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'org:manager'",
                &org,
            )
            .await;
        assert_eq!(managers, 1, "round {round}: the winner keeps the role");
        let members = s
            .count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await;
        assert_eq!(members, left, "round {round}: Ada and who is left");
    }
    eprintln!("manager race outcomes (removing, statuses): {outcomes:?}");
}

/// PostgreSQL only: two managers remove each other while a third transaction holds both
/// their memberships `FOR SHARE`. Each request locks its own membership and waits for the
/// other's; once the holder commits they deadlock, PostgreSQL fails one, and that one runs
/// again under the exclusive lock, where it finds itself no longer a member: 404.
pub async fn deadlocked_shared_writes_run_again_alone(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let org = s.create_org(&ada, "Deadlock").await;
    let (mo, max) = two_managers(&s, &ada, &org, "").await;
    let pool = &s.state.db.pool;
    let deadlocks = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        n
    };
    let before = deadlocks().await;

    let mut holder = pool.begin().await.unwrap();
    sqlx::query(
        "SELECT user_id FROM memberships WHERE org_id = $1 AND role = 'org:manager' FOR SHARE",
    )
    .bind(&org)
    .execute(&mut *holder)
    .await
    .unwrap();
    let a = remove(&s, &mo, &org, &max);
    let b = remove(&s, &max, &org, &mo);
    let release = async {
        // Both requests wait on the holder (each has locked its own membership).
        for _ in 0..200 {
            let (waiting,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .fetch_one(pool)
            .await
            .unwrap();
            if waiting >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        holder.commit().await.unwrap();
    };
    let (a, b, ()) = tokio::join!(a, b, release);
    let statuses = [a.0, b.0];
    assert!(
        statuses.contains(&StatusCode::NO_CONTENT) && statuses.contains(&StatusCode::NOT_FOUND),
        "one wins, the other is refused: {} / {}",
        a.1,
        b.1
    );
    // pg_stat_database is updated when a backend reports its statistics.
    let mut seen = deadlocks().await;
    for _ in 0..100 {
        if seen > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        seen = deadlocks().await;
    }
    assert_eq!(seen, before + 1, "the two requests deadlocked once");
}

/// PostgreSQL only: a write that waits for the organization's lock is judged on my
/// membership as the previous holder left it. Mo may manage invitations; while another
/// transaction holds the lock and takes that role away, Mo's revocation waits, then is
/// refused, and the invitation stays pending. (Read in the locking statement's own snapshot,
/// Mo's role was the one from before the wait, and the revocation went through.)
pub async fn a_write_waiting_for_the_lock_sees_my_membership_after_the_wait(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let org = s.create_org(&ada, "Waiting").await;
    let invites = ["org:invitations:manage", "org:memberships:read"];
    create_role(&s, &ada, &org, "org:inviter", &invites).await;
    let mo = s.sign_up("mo@example.com").await;
    s.add_member(&ada, &org, &mo, "org:inviter").await;
    let (status, invitation) = s
        .send_invitation(&mo, &org, "guest@example.com", "basic_member")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    let id = invitation["id"].as_str().unwrap().to_owned();

    let mut holder = s.state.db.pool.begin().await.unwrap();
    sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
        .bind(&org)
        .execute(&mut *holder)
        .await
        .unwrap();
    sqlx::query("UPDATE memberships SET role = 'basic_member' WHERE org_id = $1 AND user_id = $2")
        .bind(&org)
        .bind(&mo.id)
        .execute(&mut *holder)
        .await
        .unwrap();
    let revoke = format!("/v1/organizations/{org}/invitations/{id}/revoke");
    let revocation = mo.call(&s, Method::POST, &revoke, None);
    tokio::pin!(revocation);
    let waited = tokio::time::timeout(Duration::from_millis(500), &mut revocation).await;
    assert!(
        waited.is_err(),
        "the revocation waits for the lock: {waited:?}"
    );
    holder.commit().await.unwrap();
    let (status, body) = tokio::time::timeout(Duration::from_secs(20), revocation)
        .await
        .expect("the revocation goes on once the lock is released");
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let pending = s
        .count(
            "SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND status = 'pending'",
            &org,
        )
        .await;
    assert_eq!(pending, 1, "the invitation stays pending");
}
