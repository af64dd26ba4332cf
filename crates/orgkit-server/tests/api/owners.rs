//! Owners, transfer, the creator protection, confirmed deletion and suspended members: every
//! route and code, and the races that must keep an owner and an admin.

use crate::harness::{assert_error, Backend, TestServer, User};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ROUNDS: usize = 20;

fn member_path(org: &str, user: &User, tail: &str) -> String {
    format!("/v1/organizations/{org}/memberships/{}{tail}", user.id)
}

async fn post(
    s: &TestServer,
    actor: &User,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    actor.call(s, Method::POST, path, body).await
}

async fn org_of(s: &TestServer, user: &User, org: &str) -> (StatusCode, Value) {
    user.call(s, Method::GET, &format!("/v1/organizations/{org}"), None)
        .await
}

/// The member rows' flags, by user id: (role, is owner, suspended).
async fn flags(s: &TestServer, org: &str, user: &User) -> (String, i64, bool) {
    let (role, owner, suspended): (String, i64, Option<i64>) = sqlx::query_as(
        "SELECT role, is_owner, suspended_at FROM memberships WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org)
    .bind(&user.id)
    .fetch_one(&s.state.db.pool)
    .await
    .unwrap();
    (role, owner, suspended.is_some())
}

/// An owner whose role lacks the admin's permissions cannot hand ownership over (it gives
/// `admin`): `permission_escalation`, naming what they lack; nothing changes.
pub async fn a_transfer_beyond_my_permissions_is_an_escalation(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&ada, "Handed Co").await;
    s.add_member(&ada, &org, &bob, "basic_member").await;
    s.add_member(&ada, &org, &carol, "basic_member").await;
    let (status, made) = ada
        .call(&s, Method::PUT, &member_path(&org, &bob, "/owner"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{made}");

    let transfer = format!("/v1/organizations/{org}/transfer-ownership");
    let body = Some(json!({"userId": carol.id, "keepRole": "basic_member"}));
    let refused = post(&s, &bob, &transfer, body).await;
    assert_error(&refused, 403, "permission_escalation");
    let missing = refused.1["error"]["missingPermissions"].clone();
    assert!(
        missing
            .as_array()
            .is_some_and(|m| m.contains(&json!("org:memberships:manage"))),
        "{refused:?}"
    );
    assert_eq!(
        flags(&s, &org, &carol).await,
        ("basic_member".into(), 0, false)
    );
    assert_eq!(
        flags(&s, &org, &bob).await,
        ("basic_member".into(), 1, false)
    );
    assert_eq!(s.audit_count("ownership.transferred").await, 0);
}

pub async fn owners_and_transfer(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&ada, "Owned Co").await;
    s.add_member(&ada, &org, &bob, "admin").await;
    s.add_member(&ada, &org, &carol, "basic_member").await;

    // The creator owns it; the member list and the organization say so.
    let (_, seen) = org_of(&s, &ada, &org).await;
    assert_eq!(seen["isOwner"], true, "{seen}");
    assert_eq!(seen["creatorProtection"], false);
    assert_eq!(org_of(&s, &bob, &org).await.1["isOwner"], false);
    let (_, page) = ada
        .call(
            &s,
            Method::GET,
            &format!("/v1/organizations/{org}/memberships"),
            None,
        )
        .await;
    let owners: Vec<&Value> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["isOwner"] == true)
        .collect();
    assert_eq!(owners.len(), 1, "{page}");
    assert_eq!(owners[0]["publicUserData"]["userId"], ada.id);
    assert!(page["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["suspended"] == false));

    // An admin who is not an owner can neither remove, demote nor unmake the owner.
    let ada_path = member_path(&org, &ada, "");
    assert_error(
        &bob.call(&s, Method::DELETE, &ada_path, None).await,
        403,
        "owner_required",
    );
    let demote = Some(json!({"role": "basic_member"}));
    assert_error(
        &bob.call(&s, Method::PATCH, &ada_path, demote.clone()).await,
        403,
        "owner_required",
    );
    let ada_owner = member_path(&org, &ada, "/owner");
    assert_error(
        &bob.call(&s, Method::DELETE, &ada_owner, None).await,
        403,
        "owner_required",
    );
    assert_error(
        &bob.call(&s, Method::PUT, &member_path(&org, &bob, "/owner"), None)
            .await,
        403,
        "owner_required",
    );
    // The last owner cannot leave, nor give up the flag.
    let leave = format!("/v1/organizations/{org}/memberships/me");
    assert_error(
        &ada.call(&s, Method::DELETE, &leave, None).await,
        409,
        "last_owner",
    );
    assert_error(
        &ada.call(&s, Method::DELETE, &ada_owner, None).await,
        409,
        "last_owner",
    );

    // Deleting takes an owner and the slug.
    let delete = |confirm: &str| format!("/v1/organizations/{org}{confirm}");
    assert_error(
        &bob.call(&s, Method::DELETE, &delete("?confirm=owned-co"), None)
            .await,
        403,
        "owner_required",
    );
    assert_error(
        &carol
            .call(&s, Method::DELETE, &delete("?confirm=owned-co"), None)
            .await,
        403,
        "forbidden",
    );
    for wrong in ["", "?confirm=", "?confirm=Owned-Co", "?confirm=other"] {
        assert_error(
            &ada.call(&s, Method::DELETE, &delete(wrong), None).await,
            409,
            "confirmation_mismatch",
        );
    }

    // Transfer: refusals first.
    let transfer = format!("/v1/organizations/{org}/transfer-ownership");
    let to = |user: &User, keep: &str| Some(json!({"userId": user.id, "keepRole": keep}));
    assert_error(
        &post(&s, &bob, &transfer, to(&carol, "admin")).await,
        403,
        "owner_required",
    );
    assert_error(
        &post(&s, &ada, &transfer, to(&ada, "admin")).await,
        403,
        "forbidden",
    );
    assert_error(
        &post(&s, &ada, &transfer, to(&carol, "owner")).await,
        422,
        "unknown_role",
    );
    let stranger = s.sign_up("stranger@example.com").await;
    assert_error(
        &post(&s, &ada, &transfer, to(&stranger, "admin")).await,
        404,
        "not_found",
    );
    post(&s, &ada, &member_path(&org, &carol, "/suspend"), None).await;
    assert_error(
        &post(&s, &ada, &transfer, to(&carol, "admin")).await,
        403,
        "membership_suspended",
    );
    post(&s, &ada, &member_path(&org, &carol, "/reactivate"), None).await;

    // Carol, a basic member, gets it: she becomes an owner and an admin; Ada keeps her choice.
    let (status, after) = post(&s, &ada, &transfer, to(&carol, "basic_member")).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(
        (after["isOwner"].as_bool(), after["role"].as_str()),
        (Some(false), Some("basic_member"))
    );
    assert_eq!(flags(&s, &org, &carol).await, ("admin".into(), 1, false));
    assert_eq!(
        flags(&s, &org, &ada).await,
        ("basic_member".into(), 0, false)
    );
    assert_eq!(s.audit_count("ownership.transferred").await, 1);
    assert_eq!(s.audit_count("ownership.given_up").await, 1);
    // The membership version went up with each role change.
    let version = |u: &User| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT version FROM memberships WHERE org_id = $1 AND user_id = $2",
        )
        .bind(org.clone())
        .bind(u.id.clone())
        .fetch_one(&s.state.db.pool)
    };
    assert_eq!(
        version(&carol).await.unwrap().0,
        4,
        "suspended, reactivated, promoted"
    );
    assert_eq!(version(&ada).await.unwrap().0, 2, "demoted by the transfer");

    // Now Ada may leave; Carol makes Bob a co-owner, and he may unmake her.
    let (status, made) = carol
        .call(&s, Method::PUT, &member_path(&org, &bob, "/owner"), None)
        .await;
    assert_eq!(
        (status, made["isOwner"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{made}"
    );
    let (status, unmade) = bob
        .call(
            &s,
            Method::DELETE,
            &member_path(&org, &carol, "/owner"),
            None,
        )
        .await;
    assert_eq!(
        (status, unmade["isOwner"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{unmade}"
    );
    assert_eq!(s.audit_count("membership.owner_granted").await, 1);
    assert_eq!(s.audit_count("membership.owner_revoked").await, 1);
    let (status, _) = ada.call(&s, Method::DELETE, &leave, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The owner deletes it, confirmed.
    let (status, _) = bob
        .call(&s, Method::DELETE, &delete("?confirm=owned-co"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_error(&org_of(&s, &bob, &org).await, 404, "not_found");
}

pub async fn creator_protection(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&ada, "Protected Co").await;
    s.add_member(&ada, &org, &bob, "admin").await;
    // Only an owner switches it.
    let on = json!({"creatorProtection": true});
    assert_error(
        &s.update_org(&bob, &org, on.clone()).await,
        403,
        "owner_required",
    );
    let (status, body) = s.update_org(&ada, &org, on).await;
    assert_eq!(
        (status, body["creatorProtection"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{body}"
    );
    assert_eq!(
        s.audit_count("organization.creator_protection_changed")
            .await,
        1
    );
    // Even with a co-owner, the creator can neither leave, be removed, suspended nor unmade.
    let (status, _) = ada
        .call(&s, Method::PUT, &member_path(&org, &bob, "/owner"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let ada_path = member_path(&org, &ada, "");
    assert_error(
        &ada.call(&s, Method::DELETE, &ada_path, None).await,
        409,
        "creator_protected",
    );
    assert_error(
        &bob.call(&s, Method::DELETE, &ada_path, None).await,
        409,
        "creator_protected",
    );
    assert_error(
        &post(&s, &bob, &member_path(&org, &ada, "/suspend"), None).await,
        409,
        "creator_protected",
    );
    assert_error(
        &bob.call(&s, Method::DELETE, &member_path(&org, &ada, "/owner"), None)
            .await,
        409,
        "creator_protected",
    );
    // Once she transfers ownership away, she is a member like any other.
    let transfer = format!("/v1/organizations/{org}/transfer-ownership");
    let (status, body) = post(&s, &ada, &transfer, Some(json!({"userId": bob.id}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        flags(&s, &org, &ada).await,
        ("admin".into(), 0, false),
        "keepRole defaults to admin"
    );
    let (status, _) = bob.call(&s, Method::DELETE, &ada_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

pub async fn suspended_members(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    let org = s.create_org(&ada, "Paused Co").await;
    s.add_member(&ada, &org, &bob, "admin").await;
    s.add_member(&ada, &org, &carol, "basic_member").await;
    // Every suspension and reactivation is organizationMembership.updated.
    let receiver = crate::webhooks::Receiver::start().await;
    let hook = json!({"url": receiver.url, "eventTypes": ["organizationMembership.updated"]});
    let (status, _) = post(
        &s,
        &ada,
        &format!("/v1/organizations/{org}/webhooks"),
        Some(hook),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let suspend = |u: &User| member_path(&org, u, "/suspend");
    let reactivate = |u: &User| member_path(&org, u, "/reactivate");

    // Refusals: a basic member, oneself, an owner by a non-owner.
    assert_error(
        &post(&s, &carol, &suspend(&bob), None).await,
        403,
        "forbidden",
    );
    assert_error(
        &post(&s, &bob, &suspend(&bob), None).await,
        403,
        "forbidden",
    );
    assert_error(
        &post(&s, &bob, &suspend(&ada), None).await,
        403,
        "owner_required",
    );
    assert_error(
        &post(&s, &carol, &reactivate(&bob), None).await,
        403,
        "forbidden",
    );
    let ghost = format!("/v1/organizations/{org}/memberships/user_nobody/suspend");
    assert_error(&post(&s, &ada, &ghost, None).await, 404, "not_found");

    // Bob suspends Carol: she keeps her role and gets no access anywhere in the organization.
    let (status, body) = post(&s, &bob, &suspend(&carol), None).await;
    assert_eq!(
        (status, body["suspended"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{body}"
    );
    assert_eq!(body["role"], "basic_member");
    let again = post(&s, &bob, &suspend(&carol), None).await;
    assert_eq!(again.0, StatusCode::OK, "suspending twice changes nothing");
    assert_eq!(s.audit_count("membership.suspended").await, 1);
    let refused = [
        carol
            .call(&s, Method::GET, &format!("/v1/organizations/{org}"), None)
            .await,
        carol
            .call(
                &s,
                Method::GET,
                &format!("/v1/organizations/{org}/memberships"),
                None,
            )
            .await,
        carol
            .call(
                &s,
                Method::GET,
                &format!("/v1/organizations/{org}/roster"),
                None,
            )
            .await,
        carol
            .call(
                &s,
                Method::DELETE,
                &format!("/v1/organizations/{org}/memberships/me"),
                None,
            )
            .await,
        s.update_org(&carol, &org, json!({"name": "Mine"})).await,
        crate::session_tokens::token(&s, &carol, json!({"organizationId": org})).await,
    ];
    for answer in &refused {
        assert_error(answer, 403, "membership_suspended");
    }
    // Her own list still shows the membership, marked.
    let (_, mine) = carol
        .call(&s, Method::GET, "/v1/me/memberships", None)
        .await;
    assert_eq!(mine["data"][0]["suspended"], true, "{mine}");

    // A suspended admin does not count as one: with Bob suspended, Ada is the last admin.
    let (status, _) = post(&s, &ada, &suspend(&bob), None).await;
    assert_eq!(status, StatusCode::OK);
    let demote_ada = Some(json!({"role": "basic_member"}));
    assert_error(
        &ada.call(&s, Method::PATCH, &member_path(&org, &ada, ""), demote_ada)
            .await,
        409,
        "last_admin",
    );
    // Removing a suspended admin is fine while an active one stays.
    // Reactivation restores exactly what they had, and the access.
    let (status, body) = post(&s, &ada, &reactivate(&carol), None).await;
    assert_eq!(
        (status, body["suspended"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{body}"
    );
    assert_eq!(
        flags(&s, &org, &carol).await,
        ("basic_member".into(), 0, false)
    );
    assert_eq!(org_of(&s, &carol, &org).await.0, StatusCode::OK);
    assert_eq!(s.audit_count("membership.reactivated").await, 1);
    let (status, _) = ada
        .call(&s, Method::DELETE, &member_path(&org, &bob, ""), None)
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "a suspended admin can be removed"
    );
    // Active members are counted with `suspended_at IS NULL`.
    post(&s, &ada, &suspend(&carol), None).await;
    let active = s
        .count(
            "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND suspended_at IS NULL",
            &org,
        )
        .await;
    assert_eq!(active, 1);
    // Carol suspended, Bob suspended, Carol reactivated, Carol suspended again.
    let updated = s
        .count(
            "SELECT COUNT(*) FROM deliveries WHERE org_id = $1 AND kind = 'webhook' \
             AND topic = 'organizationMembership.updated'",
            &org,
        )
        .await;
    assert_eq!(updated, 4);
}

/// Two owners unmaking each other, suspending each other, or one owner transferring to two
/// people at once: every round ends with exactly one active owner and an active admin.
pub async fn owner_races_keep_an_owner(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let carol = s.sign_up("carol@example.com").await;
    for round in 0..ROUNDS {
        let org = s.create_org(&ada, &format!("Race {round}")).await;
        s.add_member(&ada, &org, &bob, "admin").await;
        s.add_member(&ada, &org, &carol, "basic_member").await;
        let (status, _) = ada
            .call(&s, Method::PUT, &member_path(&org, &bob, "/owner"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let unmake = |actor: &User, target: &User| {
            let (s, actor, path) = (&s, actor.clone(), member_path(&org, target, "/owner"));
            async move { actor.call(s, Method::DELETE, &path, None).await }
        };
        let (a, b) = tokio::join!(unmake(&ada, &bob), unmake(&bob, &ada));
        one_won(round, &a, &b, &["last_owner", "owner_required"]);
        assert_eq!(active_owners(&s, &org).await, 1, "round {round}");
        // Whoever is left makes the other an owner again, then they suspend each other.
        let winner = if a.0 == StatusCode::OK { &ada } else { &bob };
        let loser = if a.0 == StatusCode::OK { &bob } else { &ada };
        let (status, _) = winner
            .call(&s, Method::PUT, &member_path(&org, loser, "/owner"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let suspend = |actor: &User, target: &User| {
            let (s, actor, path) = (&s, actor.clone(), member_path(&org, target, "/suspend"));
            async move { actor.call(s, Method::POST, &path, None).await }
        };
        let (a, b) = tokio::join!(suspend(&ada, &bob), suspend(&bob, &ada));
        // The second sees the first's suspension: as its own (SQLite), or, on PostgreSQL, where
        // the lock statement's join may read the actor's row from before the wait, through the
        // counts read after the lock.
        one_won(
            round,
            &a,
            &b,
            &["membership_suspended", "last_admin", "last_owner"],
        );
        assert_eq!(active_owners(&s, &org).await, 1, "round {round}");
        let admins = s
            .count("SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin' AND suspended_at IS NULL", &org)
            .await;
        assert_eq!(admins, 1, "round {round}");
        // The active owner transfers to Carol and to the suspended one at once: one goes.
        let (owner, other) = if a.0 == StatusCode::OK {
            (&ada, &bob)
        } else {
            (&bob, &ada)
        };
        let transfer = |target: &User| {
            let (s, actor) = (&s, owner.clone());
            let (path, body) = (
                format!("/v1/organizations/{org}/transfer-ownership"),
                json!({"userId": target.id}),
            );
            async move { actor.call(s, Method::POST, &path, Some(body)).await }
        };
        let (a, b) = tokio::join!(transfer(&carol), transfer(other));
        assert_eq!(a.0, StatusCode::OK, "round {round}: {}", a.1);
        assert_error(
            &b,
            403,
            if b.1["error"]["code"] == "owner_required" {
                "owner_required"
            } else {
                "membership_suspended"
            },
        );
        assert_eq!(active_owners(&s, &org).await, 1, "round {round}");
    }
}

fn one_won(round: usize, a: &(StatusCode, Value), b: &(StatusCode, Value), codes: &[&str]) {
    let wins = [a, b].iter().filter(|r| r.0 == StatusCode::OK).count();
    assert_eq!(wins, 1, "round {round}: {} / {}", a.1, b.1);
    let loser = if a.0 == StatusCode::OK { b } else { a };
    let code = loser.1["error"]["code"].as_str().unwrap_or("");
    assert!(codes.contains(&code), "round {round}: {}", loser.1);
}

async fn active_owners(s: &TestServer, org: &str) -> i64 {
    s.count(
        "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND is_owner = 1 AND suspended_at IS NULL",
        org,
    )
    .await
}

/// Clerk's API has no owners: when an instance key removes the last owner, the oldest other
/// active admin becomes one, in the same transaction; the organization is deleted without a
/// confirmation.
pub async fn a_clerk_key_removing_the_last_owner_hands_ownership_over(backend: Backend) {
    use crate::clerk::{create_key, user, Clerk};
    let s = TestServer::start(backend).await;
    let clerk = Clerk {
        s: &s,
        key: create_key(&s, "owners"),
    };
    let founder = user(&clerk, "founder@example.com").await;
    let (member, admin) = (
        user(&clerk, "member@example.com").await,
        user(&clerk, "admin@example.com").await,
    );
    let made = clerk
        .call(
            Method::POST,
            "/organizations",
            Some(json!({"name": "Handed Co", "created_by": founder})),
        )
        .await;
    let org = made.ok()["id"].as_str().unwrap().to_owned();
    let memberships = format!("/organizations/{org}/memberships");
    for (who, role) in [(&member, "org:member"), (&admin, "org:admin")] {
        let added = clerk
            .call(
                Method::POST,
                &memberships,
                Some(json!({"user_id": who, "role": role})),
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    }
    let removed = clerk
        .call(Method::DELETE, &format!("{memberships}/{founder}"), None)
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let owner = |id: &str| {
        sqlx::query_as::<_, (i64,)>(
            "SELECT is_owner FROM memberships WHERE org_id = $1 AND user_id = $2",
        )
        .bind(org.clone())
        .bind(id.to_owned())
        .fetch_one(&s.state.db.pool)
    };
    assert_eq!(
        owner(&admin).await.unwrap().0,
        1,
        "the admin, not the older member"
    );
    assert_eq!(owner(&member).await.unwrap().0, 0);
    assert_eq!(s.audit_count("membership.owner_granted").await, 1);
    let deleted = clerk
        .call(Method::DELETE, &format!("/organizations/{org}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
}
