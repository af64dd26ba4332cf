use super::*;

#[test]
fn passwords_verify_and_unknown_accounts_never_do() {
    let hasher = PasswordHasher::new("fast").expect("hasher");
    let stored = hasher.hash("correct horse").expect("hash");
    assert!(
        stored.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"),
        "{stored}"
    );
    // A standard argon2 implementation accepts our PHC strings.
    let standard = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(1024, 1, 1, Some(32)).expect("params"),
    );
    let parsed = PasswordHash::new(&stored).expect("phc");
    assert!(standard.verify_password(b"correct horse", &parsed).is_ok());
    assert!(hasher.verify("correct horse", Some(&stored)));
    assert!(!hasher.verify("wrong horse", Some(&stored)));
    assert!(!hasher.verify("not a real password", None));
}

#[test]
fn cookies_are_http_only_and_lax() {
    let cookie = session_cookie("abc", false).to_string();
    assert!(cookie.starts_with("orgkit_session=abc;"), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(session_cookie("abc", true).to_string().contains("Secure"));
    let cleared = clear_cookie(false).to_string();
    assert!(cleared.starts_with("orgkit_session=;"), "{cleared}");
    assert!(
        cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"),
        "{cleared}"
    );
}

/// PostgreSQL finds a session's user by one probe of `users_pkey`, even where the planner may
/// not loop over an index or hash (the join form then walked the whole users index in a merge
/// join), and the user's last active organization by one probe, though the user belongs to
/// 3,000 (with `memberships_user` on `(user_id, id)` the planner walked all of them). A session
/// past its expiry finds no one.
#[tokio::test]
async fn postgres_session_lookup_probes_the_user_by_key_whatever_the_plan() {
    use sqlx::Connection;
    let Some((db, server, name)) = crate::db::scratch::postgres("session_plan").await else {
        return;
    };
    let (live, expired) = ("live-token", "expired-token");
    let seed = [
        "INSERT INTO users (id, email, name, password_hash, created_at) \
         SELECT 'usr_' || lpad(i::text, 6, '0'), 'u' || i || '@x.io', 'U', '', 0 \
         FROM generate_series(1, 10000) i"
            .to_owned(),
        format!(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES \
             ('{}', 'usr_009000', 0, 9000000000000), ('{}', 'usr_000002', 0, 1)",
            hash(live),
            hash(expired)
        ),
        "INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at) \
         SELECT 'org_' || lpad(i::text, 6, '0'), 'O', 's' || i, 'x', 0, 0 \
         FROM generate_series(1, 3000) i"
            .to_owned(),
        "INSERT INTO memberships (id, org_id, user_id, role, created_at) \
         SELECT 'mem_' || lpad(i::text, 6, '0'), 'org_' || lpad(i::text, 6, '0'), 'usr_009000', \
         'admin', 0 FROM generate_series(1, 3000) i"
            .to_owned(),
        "UPDATE users SET last_active_org_id = 'org_002999' WHERE id = 'usr_009000'".to_owned(),
        "ANALYZE".to_owned(),
    ];
    for sql in &seed {
        sqlx::query(sql).execute(&db.pool).await.expect(sql);
    }
    let found = user_for_session(&db, live)
        .await
        .expect("lookup")
        .expect("user");
    assert_eq!(found.id.as_str(), "usr_009000");
    let active = found.last_active_organization_id.as_ref();
    assert_eq!(active.map(|o| o.as_str()), Some("org_002999"));
    assert!(user_for_session(&db, expired)
        .await
        .expect("lookup")
        .is_none());
    assert!(user_for_session(&db, "unknown")
        .await
        .expect("lookup")
        .is_none());

    let url = format!("{}/{name}", server.rsplit_once('/').map_or("", |(b, _)| b));
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
    for sql in [
        format!("PREPARE lookup(text, bigint) AS {SESSION_USER_SQL}"),
        "SET plan_cache_mode = force_generic_plan".to_owned(),
        "SET enable_nestloop = off".to_owned(),
        "SET enable_hashjoin = off".to_owned(),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.expect("set up");
    }
    let plan: Vec<(String,)> = sqlx::query_as(&format!(
        "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE lookup('{}', 1)",
        hash(live)
    ))
    .fetch_all(&mut conn)
    .await
    .expect("explain");
    let plan: Vec<String> = plan.into_iter().map(|(line,)| line).collect();
    let plan = plan.join("\n");
    assert!(!plan.contains("Join"), "{plan}");
    let users = plan
        .lines()
        .position(|l| l.contains("Scan using users_pkey on users u"))
        .unwrap_or_else(|| panic!("no probe of users_pkey:\n{plan}"));
    assert!(
        plan.lines()
            .nth(users)
            .is_some_and(|l| l.contains("rows=1 ")),
        "{plan}"
    );
    // The membership is found by both keys, not by the user's and then filtered.
    let lines: Vec<&str> = plan.lines().collect();
    let membership = lines
        .iter()
        .position(|l| l.contains("Scan using memberships_"))
        .unwrap_or_else(|| panic!("no membership index:\n{plan}"));
    let condition = lines.get(membership + 1).copied().unwrap_or_default();
    assert!(
        condition.contains("Index Cond")
            && condition.contains("org_id")
            && condition.contains("user_id"),
        "{plan}"
    );
    conn.close().await.expect("close");
    crate::db::scratch::drop(db, &server, &name).await;
}
