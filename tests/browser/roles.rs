//! Custom roles and multi-role members through the SDK, against the live server: an admin
//! makes a custom role and gives it to a member; then, for every action of the catalog, the
//! member's local verdict is the server's (a local refusal sends nothing, and the server
//! refuses the same request with the same code; what the SDK lets through, the server does).

use super::*;
use js_sys::Function;

#[wasm_bindgen(inline_js = r#"
export async function rawRequest(server, token, method, path, body) {
  const send = globalThis.__orgkitFetch || globalThis.fetch;
  const headers = { Authorization: "Bearer " + token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await send(server + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  return { status: response.status, code: json.error ? json.error.code : null, body: json };
}
export async function signInToken(server, emailAddress, password) {
  const send = globalThis.__orgkitFetch || globalThis.fetch;
  const response = await send(server + "/v1/auth/sign-in", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ emailAddress, password }),
  });
  return (await response.json()).token;
}
"#)]
extern "C" {
    /// One request straight to the server with a Bearer token, not counted: `{ status, code, body }`.
    #[wasm_bindgen(js_name = rawRequest)]
    fn raw_request(
        server: &str,
        token: &str,
        method: &str,
        path: &str,
        body: JsValue,
    ) -> js_sys::Promise;
    /// A fresh session token for a person, for `rawRequest`.
    #[wasm_bindgen(js_name = signInToken)]
    fn sign_in_token(server: &str, email: &str, password: &str) -> js_sys::Promise;
}

/// Calls `method` of a JS object with `arg` (`undefined` for none) and settles its Promise.
async fn invoke(target: &JsValue, method: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into().unwrap();
    let promise: js_sys::Promise = f.call1(target, arg).unwrap().dyn_into().unwrap();
    settle(promise).await
}

/// Runs `method` on `target` and asserts a local refusal with `code`: no request at all.
async fn refused_locally(target: &JsValue, method: &str, arg: &JsValue, code: &str) -> JsValue {
    install_fetch_counter();
    let error = invoke(target, method, arg)
        .await
        .err()
        .unwrap_or_else(|| panic!("{method} should be refused"));
    assert_error(&error, code, 0);
    assert_eq!(fetch_count(), 0, "{method} refused locally sends nothing");
    error
}

fn strings(list: &[&str]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from(*s))
        .collect::<Array>()
        .into()
}

fn string_list(value: &JsValue) -> Vec<String> {
    Array::from(value)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

/// One action of the catalog: the permission it needs, the SDK method and its argument, and
/// the same request sent straight to the server.
struct Case {
    permission: &'static str,
    method: &'static str,
    arg: JsValue,
    raw: (&'static str, String, JsValue),
}

/// Every action of the catalog, as `who` (whose id is not `admin_id`) in `org`.
fn catalog_actions(org: &Organization, admin_id: &str, round: &str) -> Vec<Case> {
    let base = format!("/v1/organizations/{}", org.id());
    let path = |rest: &str| format!("{base}{rest}");
    let billing = obj(&[("legalName", format!("Acme {round}").into())]);
    let named = |name: &str| obj(&[("name", name.into())]);
    let account = obj(&[("name", "CI".into()), ("role", "basic_member".into())]);
    let invited = |who: &str| format!("{who}-{round}-{}@example.com", unique_suffix());
    let role_key = |who: &str| format!("org:{who}_{round}_{}", unique_suffix());
    let new_role = |key: String| {
        obj(&[
            ("key", key.into()),
            ("name", "Made by a member".into()),
            ("permissions", strings(&[])),
        ])
    };
    vec![
        Case {
            permission: "org:profile:manage",
            method: "update",
            arg: obj(&[("name", format!("Renamed {round}").into())]),
            raw: (
                "PATCH",
                path(""),
                obj(&[("name", format!("Raw {round}").into())]),
            ),
        },
        Case {
            permission: "org:memberships:manage",
            method: "updateMember",
            arg: obj(&[
                ("userId", admin_id.into()),
                ("roles", strings(&["admin", "basic_member"])),
            ]),
            raw: (
                "PATCH",
                path(&format!("/memberships/{admin_id}")),
                obj(&[("roles", strings(&["admin", "basic_member"]))]),
            ),
        },
        Case {
            permission: "org:invitations:manage",
            method: "inviteMember",
            arg: invite_params(&invited("sdk"), "basic_member"),
            raw: (
                "POST",
                path("/invitations"),
                invite_params(&invited("raw"), "basic_member"),
            ),
        },
        Case {
            permission: "org:audit:read",
            method: "getAuditEvents",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/audit-events"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:webhooks:manage",
            method: "getWebhookEndpoints",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/webhooks"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:domains:manage",
            method: "getDomains",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/domains"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:links:manage",
            method: "getInviteLinks",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/invite-links"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:requests:manage",
            method: "getJoinRequests",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/join-requests"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:sso:manage",
            method: "getSsoConnections",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/sso-connections"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:billing:read",
            method: "getBillingProfile",
            arg: JsValue::UNDEFINED,
            raw: ("GET", path("/billing"), JsValue::UNDEFINED),
        },
        Case {
            permission: "org:billing:manage",
            method: "updateBillingProfile",
            arg: billing.clone(),
            raw: ("PUT", path("/billing"), billing),
        },
        Case {
            permission: "org:roles:manage",
            method: "createRole",
            arg: new_role(role_key("sdk")),
            raw: ("POST", path("/roles"), new_role(role_key("raw"))),
        },
        Case {
            permission: "org:workspaces:manage",
            method: "createWorkspace",
            arg: named(&format!("SDK workspace {round}")),
            raw: (
                "POST",
                path("/workspaces"),
                named(&format!("Raw workspace {round}")),
            ),
        },
        Case {
            permission: "org:groups:manage",
            method: "createGroup",
            arg: named(&format!("SDK group {round}")),
            raw: (
                "POST",
                path("/groups"),
                named(&format!("Raw group {round}")),
            ),
        },
        Case {
            permission: "org:service_accounts:manage",
            method: "createServiceAccount",
            arg: account.clone(),
            raw: ("POST", path("/service-accounts"), account),
        },
        Case {
            permission: "org:api_keys:manage",
            method: "setApiKeyPolicy",
            arg: "admins".into(),
            raw: (
                "PUT",
                path("/api-key-policy"),
                obj(&[("policy", "admins".into())]),
            ),
        },
        Case {
            permission: "org:profile:delete",
            method: "destroy",
            arg: obj(&[("confirm", org.slug().into())]),
            raw: (
                "DELETE",
                path(&format!("?confirm={}", org.slug())),
                JsValue::UNDEFINED,
            ),
        },
    ]
}

/// Asserts, for every action of the catalog, that `org`'s local verdict (as `token`'s owner)
/// is the server's, and that both are what `held` (the union of my roles' permissions in the
/// catalog) says.
async fn verdicts_match(
    org: &Organization,
    token: &str,
    admin_id: &str,
    held: &[String],
    catalog: &[String],
    round: &str,
) {
    let target: JsValue = org.clone().into();
    let cases = catalog_actions(org, admin_id, round);
    let covered: Vec<&str> = cases.iter().map(|c| c.permission).collect();
    for permission in catalog {
        let app = !permission_is_system(permission);
        // Listing members is every member's: without `org:memberships:read` the list holds
        // only me (`a_member_without_the_member_list_permission_sees_only_themselves`).
        assert!(
            app || covered.contains(&permission.as_str()) || permission == "org:memberships:read",
            "no action checks {permission}"
        );
    }
    for case in cases {
        let holds = held.iter().any(|p| p == case.permission);
        assert_eq!(org.can(case.permission), holds, "can({})", case.permission);
        install_fetch_counter();
        let local = invoke(&target, case.method, &case.arg).await;
        let sent = fetch_count();
        let (method, path, body) = case.raw;
        let server = settle(raw_request(SERVER, token, method, &path, body))
            .await
            .unwrap();
        let status = get(&server, "status").as_f64().unwrap() as u32;
        let server_code = get(&server, "code").as_string();
        match local {
            Ok(_) => {
                assert!(
                    holds,
                    "{}: the SDK let through what the catalog refuses",
                    case.method
                );
                assert_eq!(sent, 1, "{}: exactly one request", case.method);
                assert!(
                    (200..300).contains(&status),
                    "{}: the server refused what the SDK allowed: {status} {server_code:?}",
                    case.method
                );
            }
            Err(error) => {
                let code = text(&error, "code");
                assert!(!holds, "{}: refused ({code}) though held", case.method);
                assert_eq!(
                    get(&error, "status").as_f64(),
                    Some(0.0),
                    "{}: refused by the server ({code}), not locally",
                    case.method
                );
                assert_eq!(sent, 0, "{}: a local refusal sends nothing", case.method);
                assert_eq!(
                    server_code.as_deref(),
                    Some(code.as_str()),
                    "{}: the server answers {status} with another code",
                    case.method
                );
            }
        }
    }
    // App permissions: `can` over the catalog against the server's permission check.
    for permission in catalog.iter().filter(|p| !permission_is_system(p)) {
        let path = format!(
            "/v1/organizations/{}/permissions/check?permission={permission}",
            org.id()
        );
        let server = settle(raw_request(SERVER, token, "GET", &path, JsValue::UNDEFINED))
            .await
            .unwrap();
        let allowed = get(&get(&server, "body"), "allowed").as_bool();
        assert_eq!(Some(org.can(permission)), allowed, "{permission}");
        assert_eq!(
            org.can(permission),
            held.iter().any(|p| p == permission),
            "{permission}"
        );
    }
}

fn permission_is_system(key: &str) -> bool {
    orgkit_core::Permission::parse(key).is_some()
}

/// The permissions of `roles` in a `getRoles()` answer: their union.
fn union_of(catalog: &JsValue, roles: &[&str]) -> Vec<String> {
    let mut held: Vec<String> = Vec::new();
    for role in Array::from(&get(catalog, "data")).iter() {
        if roles.contains(&text(&role, "key").as_str()) {
            for p in string_list(&get(&role, "permissions")) {
                if !held.contains(&p) {
                    held.push(p);
                }
            }
        }
    }
    held
}

/// An admin's organization and a member in it (basic_member), with the member's client, id,
/// address and view of the organization.
async fn admin_and_member(name: &str) -> (OrgKit, Organization, String, String, Organization) {
    let (admin, _) = person("roles-admin").await;
    let (bob, bob_email) = person("roles-bob").await;
    let org = create_org(&admin, name).await;
    org.invite_member(invite_params(&bob_email, "basic_member"))
        .await
        .unwrap();
    let token = mailed_token(&admin, &bob_email, "/accept").await;
    let membership = bob.accept_invitation(token).await.unwrap();
    let bob_id = text(&membership.public_user_data(), "userId");
    (admin, org, bob_id, bob_email, membership.organization())
}

#[wasm_bindgen_test]
async fn a_custom_roles_local_verdicts_are_the_servers_for_every_action_of_the_catalog() {
    let (admin, org, bob_id, bob_email, _) = admin_and_member("Custom roles").await;
    let admin_id = text(&admin.get_user().await.unwrap(), "id");
    let org_js: JsValue = org.clone().into();

    // The catalog: built-ins first, every permission of the server, the app's included.
    let catalog = settle(org.get_roles()).await.unwrap();
    let keys: Vec<String> = Array::from(&get(&catalog, "data"))
        .iter()
        .map(|r| text(&r, "key"))
        .collect();
    assert_eq!(keys, ["admin", "basic_member"]);
    assert!(get(&Array::from(&get(&catalog, "data")).get(0), "builtIn")
        .as_bool()
        .unwrap());
    let permissions = string_list(&get(&catalog, "permissions"));
    assert!(permissions.contains(&"org:invoices:create".to_owned()));
    assert_eq!(text(&catalog, "creatorRole"), "admin");
    assert_eq!(text(&catalog, "defaultRole"), "basic_member");

    // What the rule book sees is refused with no request.
    let support = |key: &str, perms: &[&str]| {
        obj(&[
            ("key", key.into()),
            ("name", "Support".into()),
            ("description", "Answers customers.".into()),
            ("permissions", strings(perms)),
        ])
    };
    refused_locally(
        &org_js,
        "createRole",
        &support("support", &[]),
        "validation_failed",
    )
    .await;
    refused_locally(
        &org_js,
        "createRole",
        &support("org:admin", &[]),
        "role_key_taken",
    )
    .await;
    refused_locally(
        &org_js,
        "createRole",
        &support("org:support", &["org:nope:nope"]),
        "unknown_permission",
    )
    .await;
    refused_locally(
        &org_js,
        "createRole",
        &support("basic_member", &[]),
        "validation_failed",
    )
    .await;
    let built_in = Array::from(&get(&catalog, "data")).get(1);
    refused_locally(
        &built_in,
        "update",
        &obj(&[("name", "Member".into())]),
        "built_in_role",
    )
    .await;
    refused_locally(&built_in, "destroy", &JsValue::UNDEFINED, "built_in_role").await;

    // The admin makes a custom role (billing read, invitations, members read, the app's
    // permission) and gives it to Bob: one request each.
    let perms = [
        "org:memberships:read",
        "org:invitations:manage",
        "org:billing:read",
        "org:invoices:create",
    ];
    install_fetch_counter();
    let role = invoke(&org_js, "createRole", &support("org:support", &perms))
        .await
        .unwrap();
    assert_eq!(fetch_count(), 1);
    assert_eq!(text(&role, "key"), "org:support");
    assert_eq!(string_list(&get(&role, "permissions")), perms);
    assert_eq!(get(&role, "builtIn").as_bool(), Some(false));
    refused_locally(
        &org_js,
        "createRole",
        &support("org:support", &[]),
        "role_key_taken",
    )
    .await;
    refused_locally(
        &org_js,
        "updateRoleSettings",
        &obj(&[("creatorRole", "org:support".into())]),
        "creator_role_insufficient",
    )
    .await;

    org.get_memberships().await.unwrap();
    let bad_lists = [strings(&[]), strings(&["org:support", "org:support"])];
    for roles in bad_lists {
        let arg = obj(&[("userId", bob_id.clone().into()), ("roles", roles)]);
        refused_locally(&org_js, "updateMember", &arg, "validation_failed").await;
    }
    install_fetch_counter();
    let given = invoke(
        &org_js,
        "updateMember",
        &obj(&[
            ("userId", bob_id.clone().into()),
            ("roles", strings(&["org:support"])),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(fetch_count(), 1);
    assert_eq!(string_list(&get(&given, "roles")), ["org:support"]);
    assert_eq!(text(&given, "role"), "org:support");
    // Held by Bob: deleting it is refused from the member pages, with no request.
    refused_locally(&role, "destroy", &JsValue::UNDEFINED, "role_in_use").await;

    // Bob's view: his roles, and for every action the same verdict on both sides.
    let bob_kit = kit();
    bob_kit
        .sign_in(obj(&[
            ("emailAddress", bob_email.clone().into()),
            ("password", "correct horse".into()),
        ]))
        .await
        .unwrap();
    let bobs = bob_kit.get_organization(org.id()).await.unwrap();
    assert_eq!(names(bobs.roles()), ["org:support"]);
    assert_eq!(bobs.role(), "org:support");
    let token = settle(sign_in_token(SERVER, &bob_email, "correct horse"))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    install_fetch_counter();
    let seen = settle(bobs.get_roles()).await.unwrap();
    assert_eq!(fetch_count(), 1, "the catalog is one request");
    let held = union_of(&seen, &["org:support"]);
    assert_eq!(held, perms);
    verdicts_match(&bobs, &token, &admin_id, &held, &permissions, "one").await;

    // Two roles: the union. A second role lets Bob manage billing and roles.
    let manager = [
        "org:billing:manage",
        "org:roles:manage",
        "org:memberships:read",
    ];
    let second = obj(&[
        ("key", "org:manager".into()),
        ("name", "Manager".into()),
        ("permissions", strings(&manager)),
    ]);
    invoke(&org_js, "createRole", &second).await.unwrap();
    invoke(
        &org_js,
        "updateMember",
        &obj(&[
            ("userId", bob_id.clone().into()),
            ("roles", strings(&["org:support", "org:manager"])),
        ]),
    )
    .await
    .unwrap();
    let bobs = bob_kit.get_organization(org.id()).await.unwrap();
    assert_eq!(names(bobs.roles()), ["org:support", "org:manager"]);
    let seen = settle(bobs.get_roles()).await.unwrap();
    let held = union_of(&seen, &["org:support", "org:manager"]);
    for p in perms.iter().chain(&manager) {
        assert!(bobs.can(p), "the union holds {p}");
    }
    assert!(!bobs.can("org:profile:manage"));
    // canGrant is the escalation guard over the catalog, with no request: true for a role whose
    // permissions Bob's two roles all hold, false for any other and for a role the catalog lacks.
    install_fetch_counter();
    for role in Array::from(&get(&seen, "data")).iter() {
        let key = text(&role, "key");
        let within = string_list(&get(&role, "permissions"))
            .iter()
            .all(|p| held.contains(p));
        assert_eq!(bobs.can_grant(&key), within, "canGrant({key})");
    }
    assert!(bobs.can_grant("org:support") && bobs.can_grant("org:manager"));
    assert!(!bobs.can_grant("admin"), "admin grants what Bob lacks");
    assert!(!bobs.can_grant("org:no_such_role"));
    assert_eq!(fetch_count(), 0, "canGrant sends no request");
    verdicts_match(&bobs, &token, &admin_id, &held, &permissions, "two").await;

    // Escalation: Bob may manage roles but not grant what he lacks; the refusal names it.
    let bobs_js: JsValue = bobs.clone().into();
    let grab = obj(&[
        ("key", "org:grab".into()),
        ("name", "Grab".into()),
        (
            "permissions",
            strings(&["org:billing:read", "org:audit:read"]),
        ),
    ]);
    let error = refused_locally(&bobs_js, "createRole", &grab, "permission_escalation").await;
    assert_eq!(
        string_list(&get(&error, "missingPermissions")),
        ["org:audit:read"]
    );
    let server = settle(raw_request(
        SERVER,
        &token,
        "POST",
        &format!("/v1/organizations/{}/roles", org.id()),
        grab,
    ))
    .await
    .unwrap();
    assert_eq!(
        get(&server, "code").as_string().as_deref(),
        Some("permission_escalation")
    );

    // Another admin's edit of a role Bob holds: Bob's next read of the organization sends
    // permissions his kept catalog no longer gives, so the SDK fetches the catalog again.
    let catalog = settle(org.get_roles()).await.unwrap();
    let manager_role = Array::from(&get(&catalog, "data"))
        .iter()
        .find(|r| text(r, "key") == "org:manager")
        .unwrap();
    let audited = obj(&[(
        "permissions",
        strings(&[
            "org:billing:manage",
            "org:roles:manage",
            "org:memberships:read",
            "org:audit:read",
        ]),
    )]);
    invoke(&manager_role, "update", &audited).await.unwrap();
    assert!(!bobs.can("org:audit:read"), "the object read before");
    let bobs = bob_kit.get_organization(org.id()).await.unwrap();
    assert!(bobs.can("org:audit:read"));
    install_fetch_counter();
    settle(bobs.get_audit_events(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(fetch_count(), 1, "allowed locally, one request");
}

#[wasm_bindgen_test]
async fn roles_are_edited_and_deleted_within_the_rules() {
    let (_admin, org, bob_id, _bob_email, _) = admin_and_member("Role edits").await;
    let org_js: JsValue = org.clone().into();
    let portal = obj(&[
        ("key", "org:portal".into()),
        ("name", "Customer portal".into()),
        ("permissions", strings(&["org:billing:read"])),
    ]);
    let role = invoke(&org_js, "createRole", &portal).await.unwrap();
    let edited = invoke(
        &role,
        "update",
        &obj(&[
            ("name", "Portal".into()),
            (
                "permissions",
                strings(&["org:billing:read", "org:billing:manage"]),
            ),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(text(&edited, "name"), "Portal");
    assert_eq!(
        string_list(&get(&edited, "permissions")),
        ["org:billing:read", "org:billing:manage"]
    );
    refused_locally(
        &edited,
        "update",
        &obj(&[("name", "  ".into())]),
        "validation_failed",
    )
    .await;
    // The default role may not go while it is the default.
    let settings = invoke(
        &org_js,
        "updateRoleSettings",
        &obj(&[("defaultRole", "org:portal".into())]),
    )
    .await
    .unwrap();
    assert_eq!(text(&settings, "defaultRole"), "org:portal");
    refused_locally(&edited, "destroy", &JsValue::UNDEFINED, "role_in_use").await;
    invoke(
        &org_js,
        "updateRoleSettings",
        &obj(&[("defaultRole", "basic_member".into())]),
    )
    .await
    .unwrap();

    invoke(
        &org_js,
        "updateMember",
        &obj(&[
            ("userId", bob_id.clone().into()),
            ("roles", strings(&["org:portal"])),
        ]),
    )
    .await
    .unwrap();
    // The role is still held: it cannot go; once Bob is back to basic_member, it can.
    org.get_memberships().await.unwrap();
    refused_locally(&edited, "destroy", &JsValue::UNDEFINED, "role_in_use").await;
    invoke(
        &org_js,
        "updateMember",
        &obj(&[("userId", bob_id.into()), ("role", "basic_member".into())]),
    )
    .await
    .unwrap();
    install_fetch_counter();
    invoke(&edited, "destroy", &JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(fetch_count(), 1);
    let catalog = settle(org.get_roles()).await.unwrap();
    assert_eq!(Array::from(&get(&catalog, "data")).length(), 2, "deleted");

    // The role limit, once the catalog is known: 20 custom roles, the 21st refused locally.
    for i in 0..20 {
        let arg = obj(&[
            ("key", format!("org:r{i}").into()),
            ("name", format!("Role {i}").into()),
            ("permissions", strings(&[])),
        ]);
        invoke(&org_js, "createRole", &arg).await.unwrap();
    }
    let arg = obj(&[
        ("key", "org:r20".into()),
        ("name", "One too many".into()),
        ("permissions", strings(&[])),
    ]);
    refused_locally(&org_js, "createRole", &arg, "role_limit_reached").await;
}

#[wasm_bindgen_test]
async fn a_member_without_the_member_list_permission_sees_only_themselves() {
    let (_admin, org, bob_id, bob_email, _) = admin_and_member("Portal").await;
    let org_js: JsValue = org.clone().into();
    let portal = obj(&[
        ("key", "org:portal".into()),
        ("name", "Customer portal".into()),
        ("permissions", strings(&["org:billing:read"])),
    ]);
    invoke(&org_js, "createRole", &portal).await.unwrap();
    invoke(
        &org_js,
        "updateMember",
        &obj(&[
            ("userId", bob_id.clone().into()),
            ("roles", strings(&["org:portal"])),
        ]),
    )
    .await
    .unwrap();
    let bob = kit();
    bob.sign_in(obj(&[
        ("emailAddress", bob_email.into()),
        ("password", "correct horse".into()),
    ]))
    .await
    .unwrap();
    let bobs = bob.get_organization(org.id()).await.unwrap();
    assert!(!bobs.can("org:memberships:read"));
    let members = bobs.get_memberships().await.unwrap();
    assert_eq!(members.len(), 1, "only himself");
    assert_eq!(text(&members[0].public_user_data(), "userId"), bob_id);
}
