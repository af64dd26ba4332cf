//! Invariants under concurrency, many rounds each.

use crate::harness::{Backend, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

const ROUNDS: usize = 50;

pub async fn admins_demoting_each_other_keep_an_admin(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let mut outcomes = std::collections::BTreeMap::new();
    for round in 0..ROUNDS {
        let org = s.create_org(&ada, &format!("Race {round}")).await;
        s.add_member(&ada, &org, &bob, "admin").await;
        // Both own it, so either may change the other's role (an owner's is an owner's).
        let owner = format!("/v1/organizations/{org}/memberships/{}/owner", bob.id);
        assert_eq!(
            ada.call(&s, Method::PUT, &owner, None).await.0,
            StatusCode::OK
        );
        let demote = |actor: &crate::harness::User, target: &str| {
            let path = format!("/v1/organizations/{org}/memberships/{target}");
            let actor = actor.clone();
            let s = &s;
            async move {
                actor
                    .call(
                        s,
                        Method::PATCH,
                        &path,
                        Some(json!({"role": "basic_member"})),
                    )
                    .await
            }
        };
        let (a, b) = tokio::join!(demote(&ada, &bob.id), demote(&bob, &ada.id));
        let statuses = [a.0.as_u16(), b.0.as_u16()];
        *outcomes.entry(statuses).or_insert(0) += 1;
        let admins = s
            .count(
                "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'",
                &org,
            )
            .await;
        assert_eq!(admins, 1, "round {round}: {statuses:?} {} {}", a.1, b.1);
        // Exactly one demotion won; the other was refused as last_admin (or, if it ran after
        // losing its own admin role, as forbidden).
        let wins = statuses.iter().filter(|&&st| st == 200).count();
        assert_eq!(wins, 1, "round {round}: {statuses:?}");
        for (status, body) in [&a, &b] {
            if *status != StatusCode::OK {
                let code = body["error"]["code"].as_str().unwrap();
                assert!(
                    code == "last_admin" || code == "forbidden",
                    "round {round}: {body}"
                );
            }
        }
    }
    eprintln!("demotion race outcomes over {ROUNDS} rounds: {outcomes:?}");
}

/// The server counts admins only up to two (enough to know that another remains). Five admins
/// demote each other in a ring, all at once: at least one admin is left every round, and every
/// refusal says why. Then the survivors are demoted one by one until the last one is refused.
pub async fn many_admins_demoting_each_other_keep_an_admin(backend: Backend) {
    let s = TestServer::start(backend).await;
    let mut people = vec![s.sign_up("admin0@example.com").await];
    for i in 1..5 {
        people.push(s.sign_up(&format!("admin{i}@example.com")).await);
    }
    let admins_of = |org: String| {
        let s = &s;
        async move {
            s.count(
                "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'",
                &org,
            )
            .await
        }
    };
    for round in 0..10 {
        let org = s.create_org(&people[0], &format!("Ring {round}")).await;
        for person in &people[1..] {
            s.add_member(&people[0], &org, person, "admin").await;
        }
        let demotions = (0..people.len()).map(|i| {
            let (actor, target) = (&people[i], &people[(i + 1) % people.len()]);
            let path = format!("/v1/organizations/{org}/memberships/{}", target.id);
            let s = &s;
            async move {
                let body = json!({"role": "basic_member"});
                actor.call(s, Method::PATCH, &path, Some(body)).await
            }
        });
        let answers = futures::future::join_all(demotions).await;
        for (status, body) in &answers {
            if *status != StatusCode::OK {
                let code = body["error"]["code"].as_str().unwrap();
                assert!(
                    ["last_admin", "forbidden", "owner_required"].contains(&code),
                    "round {round}: {body}"
                );
            }
        }
        let left = admins_of(org.clone()).await;
        assert!(left >= 1, "round {round}: no admin left");
        // The creator owns it, so no other admin could demote them. One by one, they demote
        // the others, then themselves: refused, as the last admin.
        for person in &people[1..] {
            let path = format!("/v1/organizations/{org}/memberships/{}", person.id);
            let body = json!({"role": "basic_member"});
            let (status, answer) = people[0].call(&s, Method::PATCH, &path, Some(body)).await;
            assert!(status == StatusCode::OK, "round {round}: {answer}");
        }
        let own = format!("/v1/organizations/{org}/memberships/{}", people[0].id);
        let body = json!({"role": "basic_member"});
        let (status, answer) = people[0].call(&s, Method::PATCH, &own, Some(body)).await;
        assert_eq!(status, StatusCode::CONFLICT, "round {round}: {answer}");
        assert_eq!(answer["error"]["code"], "last_admin", "round {round}");
        assert_eq!(admins_of(org.clone()).await, 1, "round {round}");
    }
}

pub async fn an_invitation_accepted_twice_at_once_gives_one_membership(backend: Backend) {
    let s = TestServer::start(backend).await;
    let admin = s.sign_up("admin@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    // A second session of the same person, as from a second tab or device.
    let (status, second) = s
        .raw(
            Method::POST,
            "/v1/auth/sign-in",
            None,
            Some(json!({"emailAddress": "bob@example.com", "password": "correct horse"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let bob_again = crate::harness::User {
        token: second["token"].as_str().unwrap().to_owned(),
        ..bob.clone()
    };
    for round in 0..ROUNDS {
        let org = s.create_org(&admin, &format!("Twice {round}")).await;
        let token = s
            .invite(&admin, &org, "bob@example.com", "basic_member")
            .await;
        let accept = |user: crate::harness::User| {
            let (s, token) = (&s, &token);
            async move { s.accept_invitation(&user, token).await }
        };
        let (a, b) = tokio::join!(accept(bob.clone()), accept(bob_again.clone()));
        let ok = [&a, &b].iter().filter(|r| r.0 == StatusCode::OK).count();
        assert_eq!(ok, 1, "round {round}: {} / {}", a.1, b.1);
        let loser = if a.0 == StatusCode::OK { &b } else { &a };
        assert_eq!(loser.0, StatusCode::CONFLICT, "{}", loser.1);
        let code = loser.1["error"]["code"].as_str().unwrap();
        assert!(
            code == "invitation_not_pending" || code == "already_member",
            "{code}"
        );
        let members = s
            .count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
            .await;
        assert_eq!(members, 2, "round {round}: admin and one Bob");
    }
}

/// A role update and a removal run in the locked transaction even with PostgreSQL's replays
/// on (concurrent role changes in one organization change what every replay reads); a
/// refusal (the last admin) writes nothing.
pub async fn role_updates_and_removals_keep_the_locked_transaction(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let org = s.create_org(&ada, "Replayed").await;
    s.add_member(&ada, &org, &bob, "basic_member").await;
    let before = replays(&s);
    let bob_path = format!("/v1/organizations/{org}/memberships/{}", bob.id);
    let (status, body) = ada
        .call(&s, Method::PATCH, &bob_path, Some(json!({"role": "admin"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "admin");
    let (status, _) = ada.call(&s, Method::DELETE, &bob_path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let ada_path = format!("/v1/organizations/{org}/memberships/{}", ada.id);
    let (status, body) = ada
        .call(
            &s,
            Method::PATCH,
            &ada_path,
            Some(json!({"role": "basic_member"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "last_admin");
    let audited = s
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 \
             AND action IN ('membership.role_changed', 'membership.removed')",
            &org,
        )
        .await;
    assert_eq!(audited, 2, "one audit row per change, none for the refusal");
    let members = s
        .count("SELECT COUNT(*) FROM memberships WHERE org_id = $1", &org)
        .await;
    assert_eq!(members, 1);
    assert_replays(
        &s,
        before,
        (0, 0),
        "no replay for role changes and removals",
    );
}

/// On PostgreSQL creating an organization and inviting one address commit in one call each;
/// a taken slug (refused by the database inside the call) and an invitation of several
/// addresses (which reads back what it wrote) are answered by the classic transaction. The
/// per-recipient mail limit counts an address once even when its body runs twice.
pub async fn creations_and_invitations_commit_in_one_call(backend: Backend) {
    let s = TestServer::start(backend).await;
    let ada = s.sign_up("ada@example.com").await;
    let before = replays(&s);
    let org = s.create_org(&ada, "Replayed").await;
    let invitations = format!("/v1/organizations/{org}/invitations");
    let (status, body) = s
        .send_invitation(&ada, &org, "bob@example.com", "basic_member")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["emailAddress"], "bob@example.com");
    assert!(s
        .last_link("bob@example.com")
        .await
        .contains("/accept?token="));
    assert_replays(&s, before, (2, 0), "the creation and the invitation");

    let before = replays(&s);
    let (status, body) = ada
        .call(
            &s,
            Method::POST,
            "/v1/organizations",
            Some(json!({"name": "Taken", "slug": s.slug(&org).await})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "slug_taken");
    let (status, body) = ada
        .call(
            &s,
            Method::POST,
            &invitations,
            Some(json!({"emailAddresses": ["cy@example.com", "di@example.com"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"][1]["invitation"]["emailAddress"],
        "di@example.com"
    );
    assert_replays(
        &s,
        before,
        (0, 1),
        "the taken slug; the bulk invitation skips it",
    );
    let pending = s
        .count(
            "SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND status = 'pending'",
            &org,
        )
        .await;
    assert_eq!(pending, 3);
    let audited = s
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE org_id = $1 \
             AND action IN ('organization.created', 'invitation.created')",
            &org,
        )
        .await;
    assert_eq!(audited, 4, "one audit row per change");
}

/// How many writes committed through a replay and fell back (`None` on SQLite).
fn replays(s: &TestServer) -> Option<(u64, u64)> {
    use std::sync::atomic::Ordering;
    s.state.db.replay.as_ref().map(|r| {
        (
            r.committed.load(Ordering::Relaxed),
            r.fell_back.load(Ordering::Relaxed),
        )
    })
}

/// On PostgreSQL, `expected` (committed, fell back) replays since `before`; on SQLite none.
fn assert_replays(s: &TestServer, before: Option<(u64, u64)>, expected: (u64, u64), what: &str) {
    match (before, replays(s)) {
        (Some((committed, fell_back)), Some((committed_now, fell_back_now))) => {
            let got = (committed_now - committed, fell_back_now - fell_back);
            assert_eq!(got, expected, "{what}");
        }
        (None, None) => assert!(!s.url.is_empty(), "SQLite: no replays"),
        other => panic!("replays appeared or vanished: {other:?}"),
    }
}
