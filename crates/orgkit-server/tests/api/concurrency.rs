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
