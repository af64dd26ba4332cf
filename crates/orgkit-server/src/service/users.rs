//! Sign-up, sign-in, sign-out and email verification.

use crate::auth::{create_session, UserRow, USER_COLUMNS};
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::mail::verification_email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::state::AppState;
use crate::token::{hash, new_id, new_secret, now};
use orgkit_core::validate;
use orgkit_core::verification::{check_verification, VerificationFacts, VERIFICATION_TTL_MS};
use orgkit_core::wire::{Session, SignInRequest, SignUpRequest, User};
use orgkit_core::{ErrorCode, Timestamp, UserId};

/// Creates an account, signs it in and sends the verification email. Rate-limited per client
/// address, and per target address like every path that sends mail.
pub async fn sign_up(state: &AppState, req: SignUpRequest, client_ip: &str) -> ApiResult<Session> {
    let email = validate::email(&req.email_address)?;
    let name = validate::person_name(&req.name)?;
    validate::password(&req.password)?;
    let from_ip = Limit {
        keys: vec![format!("sign-up:ip:{client_ip}")],
        cost: 1,
        limit: state.config.sign_up_limit_per_minute,
    };
    let to_address = Limit::mail_to(&email, state.config.mail_to_address_limit_per_minute);
    state
        .limiter
        .check_all(&[from_ip, to_address], now().millis())
        .await?;
    let password_hash = state.passwords.hash_async(req.password).await?;
    let id = UserId(new_id(UserId::PREFIX));
    let created_at = now();
    let mut tx = state.db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified, created_at) VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(id.as_str())
    .bind(&email)
    .bind(&name)
    .bind(&password_hash)
    .bind(created_at.millis())
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => {
            return Err(ApiError::new(
                ErrorCode::EmailTaken,
                "An account with this email address already exists.",
            ))
        }
        other => other?,
    };
    let token = create_session(&mut *tx, &id).await?;
    start_verification(state, &mut tx, &id, &email).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(Session {
        user: User {
            id,
            email_address: email,
            name,
            email_verified: false,
            created_at,
            last_active_organization_id: None,
        },
        token,
    })
}

async fn start_verification(
    state: &AppState,
    tx: &mut crate::db::Tx,
    user_id: &UserId,
    email: &str,
) -> ApiResult<()> {
    let token = new_secret();
    let at = now().millis();
    sqlx::query(
        "INSERT INTO email_verifications (token_hash, user_id, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(user_id.as_str())
    .bind(email)
    .bind(at)
    .bind(at + VERIFICATION_TTL_MS)
    .execute(&mut **tx)
    .await?;
    let message = verification_email(&state.public_url, email, &token);
    enqueue_mail(tx, &message, None).await?;
    Ok(())
}

/// Checks the password and starts a session. Rate-limited per account and per client address.
pub async fn sign_in(state: &AppState, req: SignInRequest, client_ip: &str) -> ApiResult<Session> {
    let email = validate::email(&req.email_address).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidCredentials,
            "Wrong email address or password.",
        )
    })?;
    state
        .limiter
        .check(
            &[
                format!("sign-in:acct:{email}"),
                format!("sign-in:ip:{client_ip}"),
            ],
            1,
            state.config.sign_in_limit_per_minute,
            now().millis(),
        )
        .await?;
    super::sso::sign_in::check_password_allowed(state, &email).await?;
    #[derive(sqlx::FromRow)]
    struct Credentials {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
    let row: Option<Credentials> = sqlx::query_as(&sql)
        .bind(&email)
        .fetch_optional(&state.db.pool)
        .await?;
    let stored = row.as_ref().map(|r| r.password_hash.clone());
    let ok = state.passwords.verify_async(req.password, stored).await?;
    let Some(Credentials { user, .. }) = row.filter(|_| ok) else {
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "Wrong email address or password.",
        ));
    };
    let token = create_session(&state.db.pool, &user.id).await?;
    Ok(Session {
        user: user.into(),
        token,
    })
}

/// Marks an address verified with the emailed token; single-use.
pub async fn verify_email(state: &AppState, token: &str) -> ApiResult<User> {
    let mut tx = state.db.begin_write().await?;
    #[derive(sqlx::FromRow)]
    struct Verification {
        #[sqlx(try_from = "String")]
        user_id: UserId,
        email: String,
        #[sqlx(try_from = "i64")]
        expires_at: Timestamp,
        used_at: Option<i64>,
    }
    let row: Option<Verification> = sqlx::query_as(
        "SELECT user_id, email, expires_at, used_at FROM email_verifications WHERE token_hash = $1",
    )
    .bind(hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(verification) = row else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "This verification link is not valid.",
        ));
    };
    let at = now();
    check_verification(
        VerificationFacts {
            used_at: verification.used_at.map(Timestamp),
            expires_at: verification.expires_at,
        },
        at,
    )?;
    sqlx::query("UPDATE email_verifications SET used_at = $1 WHERE token_hash = $2")
        .bind(at.millis())
        .bind(hash(token))
        .execute(&mut *tx)
        .await?;
    // Lock first the organization that has verified this address's domain, then the user (the
    // order of a domain's automatic-invitation backfill).
    let domain_org =
        super::domains::lock_for_verification(state, &mut tx, &verification.email).await?;
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1 AND email = $2")
        .bind(verification.user_id.as_str())
        .bind(&verification.email)
        .execute(&mut *tx)
        .await?;
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let user: UserRow = sqlx::query_as(&sql)
        .bind(verification.user_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let user: User = user.into();
    if user.email_verified {
        super::domains::invite_on_verification(state, &mut tx, domain_org, &user).await?;
    }
    tx.commit().await?;
    state.queue.wake();
    Ok(user)
}
