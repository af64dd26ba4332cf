//! The measured phases: one function per operation, each a bounded load loop (see `load.rs`)
//! against the running server.

use crate::api::{str_field, Api};
use crate::load::{run_phase, PhaseResult};
use crate::plan::{ACCEPTS, INVITEES};
use crate::seed::SeededOrg;
use crate::Args;
use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;

pub(crate) async fn admins_org(admin: &Api, name: &str) -> Result<SeededOrg> {
    Ok(SeededOrg {
        id: admin.create_organization(name).await?,
    })
}

/// Worker-local error text for the load loop.
pub(crate) fn text(e: anyhow::Error) -> String {
    e.to_string()
}

pub(crate) async fn create_organizations(args: &Args, admins: &Arc<Vec<Api>>) -> PhaseResult {
    let admins = Arc::clone(admins);
    run_phase("create organization", args.bounds(16), move |i| {
        let admin = admins[i as usize % admins.len()].clone();
        async move {
            admin
                .create_organization(&format!("Org {i}"))
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

pub(crate) async fn invite_members(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, path) = (
        admin.clone(),
        format!("/v1/organizations/{}/invitations", org.id),
    );
    run_phase("invite member", args.bounds(16), move |i| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let body =
                json!({"emailAddress": format!("invitee{i}@bench.test"), "role": "basic_member"});
            admin
                .call(Method::POST, &path, Some(body), 201)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

/// Prepares `ACCEPTS` invitations (invitee `i % 16` into organization `i / 16`), reads their
/// tokens from the dev mailbox, then measures accepting them.
pub(crate) async fn accept_invitations(
    args: &Args,
    base: &str,
    client: &reqwest::Client,
    admins: &Arc<Vec<Api>>,
    invitees: &Arc<Vec<Api>>,
) -> Result<PhaseResult> {
    let accepts = ACCEPTS.min(args.requests);
    let orgs = accepts.div_ceil(INVITEES as u64);
    let mut emails = Vec::new();
    for invitee in invitees.iter() {
        let me = invitee.call(Method::GET, "/v1/me", None, 200).await?;
        emails.push(str_field(&me, "emailAddress")?.to_owned());
    }
    for j in 0..orgs {
        let admin = &admins[j as usize % admins.len()];
        let org = admin.create_organization(&format!("Accept {j}")).await?;
        let body = json!({"emailAddresses": emails, "role": "basic_member"});
        admin
            .call(
                Method::POST,
                &format!("/v1/organizations/{org}/invitations"),
                Some(body),
                200,
            )
            .await?;
    }
    // Tokens, per invitee, from the dev mailbox (oldest first).
    let mut tokens: Vec<Vec<String>> = Vec::new();
    for email in &emails {
        let mailbox: serde_json::Value = client
            .get(format!("{base}/v1/dev/mailbox?limit=1000&to={email}"))
            .send()
            .await?
            .json()
            .await?;
        let mut mine: Vec<String> = mailbox["data"]
            .as_array()
            .context("mailbox data")?
            .iter()
            .filter_map(|m| m["link"].as_str())
            .filter_map(|link| link.split("/accept?token=").nth(1))
            .map(str::to_owned)
            .collect();
        mine.reverse();
        tokens.push(mine);
    }
    let tokens = Arc::new(tokens);
    let invitees = Arc::clone(invitees);
    let bounds = crate::load::Bounds {
        max_requests: accepts,
        ..args.bounds(16)
    };
    Ok(run_phase("accept invitation", bounds, move |i| {
        let who = i as usize % INVITEES;
        let invitee = invitees[who].clone();
        let token = tokens[who].get(i as usize / INVITEES).cloned();
        async move {
            let token = token.ok_or("no token left in the mailbox")?;
            invitee
                .call(
                    Method::POST,
                    "/v1/invitations/accept",
                    Some(json!({"token": token})),
                    200,
                )
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await)
}

pub(crate) async fn list_page(
    args: &Args,
    name: &str,
    concurrency: usize,
    admin: &Api,
    org: &SeededOrg,
    after: Option<String>,
) -> PhaseResult {
    let mut path = format!("/v1/organizations/{}/memberships?limit=100", org.id);
    if let Some(after) = after {
        path.push_str("&after=");
        path.push_str(&after);
    }
    let admin = admin.clone();
    run_phase(name, args.bounds(concurrency), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let page = admin
                .call(Method::GET, &path, None, 200)
                .await
                .map_err(text)?;
            match page["data"].as_array().map(Vec::len) {
                Some(100) => Ok(()),
                other => Err(format!("expected 100 members, got {other:?}")),
            }
        }
    })
    .await
}

pub(crate) async fn update_roles(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    let name = phase_name("update member role", args.write_concurrency);
    run_phase(&name, args.bounds(args.write_concurrency), move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let member = crate::seed::member_user_id(i % 999);
            let role = if (i / 999) % 2 == 0 {
                "admin"
            } else {
                "basic_member"
            };
            let path = format!("/v1/organizations/{}/memberships/{member}", org.id);
            admin
                .call(Method::PATCH, &path, Some(json!({"role": role})), 200)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

pub(crate) async fn remove_members(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let (admin, org) = (admin.clone(), org.clone());
    let bounds = crate::load::Bounds {
        max_requests: args.requests.min(9_999),
        ..args.bounds(args.write_concurrency)
    };
    let name = phase_name("remove member", args.write_concurrency);
    run_phase(&name, bounds, move |i| {
        let (admin, org) = (admin.clone(), org.clone());
        async move {
            let member = crate::seed::member_user_id(i);
            let path = format!("/v1/organizations/{}/memberships/{member}", org.id);
            admin
                .call(Method::DELETE, &path, None, 204)
                .await
                .map(drop)
                .map_err(text)
        }
    })
    .await
}

pub(crate) async fn permission_checks(args: &Args, admin: &Api, org: &SeededOrg) -> PhaseResult {
    let path = format!(
        "/v1/organizations/{}/permissions/check?permission=org:memberships:manage",
        org.id
    );
    let admin = admin.clone();
    run_phase("permission check", args.bounds(16), move |_| {
        let (admin, path) = (admin.clone(), path.clone());
        async move {
            let answer = admin
                .call(Method::GET, &path, None, 200)
                .await
                .map_err(text)?;
            match answer["allowed"].as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("expected allowed: true, got {other:?}")),
            }
        }
    })
    .await
}

/// A write phase's name, with its concurrency when it is not the plan's 16.
fn phase_name(name: &str, concurrency: usize) -> String {
    if concurrency == 16 {
        name.to_owned()
    } else {
        format!("{name}, c{concurrency}")
    }
}
