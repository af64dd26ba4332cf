use super::*;
use crate::permission::PermissionSet;

const NOW: Timestamp = Timestamp(1_700_000_000_250);

fn grant<'a>(role: &'a str, permissions: &'a [&'a str]) -> OrgGrant<'a> {
    OrgGrant {
        id: "org_01HZX3Q5N7M2K8P4R6T9V0W1YA",
        slug: "acme",
        role,
        permissions,
        version: 3,
    }
}

/// The length of `n` bytes in unpadded base64url.
fn b64_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

#[test]
fn times_come_from_now() {
    let c = claims("https://id.example", "user_1", "sess_1", None, NOW);
    assert_eq!(c.v, 2);
    assert_eq!(c.iat, 1_700_000_000);
    assert_eq!(c.nbf, 1_700_000_000 - CLOCK_SKEW_SECONDS);
    assert_eq!(c.exp, 1_700_000_060);
    assert_eq!((c.sub.as_str(), c.sid.as_str()), ("user_1", "sess_1"));
    assert_eq!(c.iss, "https://id.example");
    assert_eq!(RETIRED_KEY_GRACE_SECONDS, 65);
}

#[test]
fn without_organization_no_org_claims() -> anyhow::Result<()> {
    let c = claims("i", "user_1", "sess_1", None, NOW);
    let json = serde_json::to_value(&c)?;
    assert!(json.get("o").is_none());
    assert!(json.get("fea").is_none());
    Ok(())
}

#[test]
fn role_keys_follow_clerk() {
    let table = [
        ("admin", "admin"),
        ("basic_member", "member"),
        ("billing", "billing"),
    ];
    for (orgkit, clerk) in table {
        assert_eq!(clerk_role_key(orgkit), clerk, "{orgkit}");
    }
}

#[test]
fn built_in_admin_packs_and_unpacks() -> anyhow::Result<()> {
    let names = PermissionSet::all().names();
    let keys: Vec<&str> = names.iter().map(String::as_str).collect();
    let c = claims("i", "u", "s", Some(grant("admin", &keys)), NOW);
    let o = c.o.as_ref().ok_or_else(|| anyhow::anyhow!("org claims"))?;
    assert_eq!(o.rol, "admin");
    assert_eq!(o.ver, 3);
    assert_eq!(o.slg, "acme");
    let fea = c.fea.as_deref().unwrap_or_default();
    let mut back = unpack_permissions(fea, &o.per, &o.fpm);
    let mut expected = names.clone();
    back.sort();
    expected.sort();
    assert_eq!(back, expected);
    Ok(())
}

#[test]
fn packing_table() {
    // (keys, fea, per, fpm)
    let table: [(&[&str], &str, &str, &str); 5] = [
        (&[], "", "", ""),
        (&["org:memberships:read"], "o:memberships", "read", "1"),
        (
            &[
                "org:memberships:read",
                "org:memberships:manage",
                "org:audit:read",
            ],
            "o:memberships,o:audit",
            "read,manage",
            "3,1",
        ),
        (&["org:a:x", "org:b:y"], "o:a,o:b", "x,y", "1,2"),
        // Keys of another shape cannot be named in the layout: skipped.
        (
            &["admin", "org:nofeature", "org::x", "org:a:x"],
            "o:a",
            "x",
            "1",
        ),
    ];
    for (keys, fea, per, fpm) in table {
        let packed = pack_permissions(keys);
        assert_eq!(
            (
                packed.features.as_str(),
                packed.actions.as_str(),
                packed.masks.as_str()
            ),
            (fea, per, fpm),
            "{keys:?}"
        );
    }
}

#[test]
fn masks_beyond_64_actions_stay_exact() {
    let names: Vec<String> = (0..100).map(|i| format!("org:f:a{i}")).collect();
    let keys: Vec<&str> = names.iter().map(String::as_str).collect();
    let packed = pack_permissions(&keys);
    // 2^100 - 1
    assert_eq!(packed.masks, "1267650600228229401496703205375");
    assert_eq!(
        unpack_permissions(&packed.features, &packed.actions, &packed.masks),
        names
    );
    assert!(unpack_permissions("o:f", "a", "x1").is_empty());
}

/// 20 custom roles over 50 app permissions (10 features of 5 actions); the widest role
/// (every permission) still makes a token under 1 KB once signed with ES256.
#[test]
fn twenty_roles_fifty_permissions_under_one_kilobyte() -> anyhow::Result<()> {
    let actions = ["read", "create", "update", "delete", "manage"];
    let permissions: Vec<String> = (0..10)
        .flat_map(|f| {
            actions
                .iter()
                .map(move |a| format!("org:feature_{f:02}:{a}"))
        })
        .collect();
    assert_eq!(permissions.len(), 50);
    let roles: Vec<(String, Vec<&str>)> = (0..20)
        .map(|r| {
            let held = permissions
                .iter()
                .enumerate()
                .filter(|(i, _)| r == 0 || i % 20 <= r)
                .map(|(_, p)| p.as_str())
                .collect();
            (format!("custom_role_{r:02}"), held)
        })
        .collect();
    let header = r#"{"alg":"ES256","kid":"key_01HZX3Q5N7M2K8P4R6T9V0W1YA","typ":"JWT"}"#;
    let mut widest = 0;
    for (role, held) in &roles {
        let c = claims(
            "https://orgkit.example.com",
            "user_01HZX3Q5N7M2K8P4R6T9V0W1YA",
            "sess_0123456789abcdef0123456789abcdef",
            Some(grant(role, held)),
            NOW,
        );
        let payload = serde_json::to_string(&c)?;
        let o = c.o.as_ref().ok_or_else(|| anyhow::anyhow!("org claims"))?;
        let back = unpack_permissions(c.fea.as_deref().unwrap_or_default(), &o.per, &o.fpm);
        assert_eq!(back.len(), held.len(), "{role}");
        // header.payload.signature, the signature 64 bytes (ES256).
        let size = b64_len(header.len()) + 1 + b64_len(payload.len()) + 1 + b64_len(64);
        widest = widest.max(size);
    }
    assert!(widest < 1024, "widest token {widest} bytes");
    Ok(())
}
