//! Setting or resetting a password through a mailed, single-use link: for people who forgot
//! theirs and for accounts that never had one (made through `/clerk/v1/users` or by SSO).

use crate::auth::{create_session, UserRow, USER_COLUMNS};
use crate::error::{ApiError, ApiResult};
use crate::mail::password_reset_email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::state::AppState;
use crate::token::{hash, new_secret, now};
use orgkit_core::password_reset::{check_password_reset, PASSWORD_RESET_TTL_MS};
use orgkit_core::validate;
use orgkit_core::verification::VerificationFacts;
use orgkit_core::wire::{PasswordForgotRequest, PasswordResetRequest, Session, User};
use orgkit_core::{ErrorCode, Timestamp, UserId};

/// Queues a password-reset email when an account has this address. The caller answers the
/// same either way, so the answer does not tell whether an account exists. Rate-limited per
/// address and per client address, like sign-in.
pub async fn forgot(
    state: &AppState,
    req: PasswordForgotRequest,
    client_ip: &str,
) -> ApiResult<()> {
    let email = validate::email(&req.email_address)?;
    let limit = Limit {
        keys: vec![
            format!("password-forgot:acct:{email}"),
            format!("password-forgot:ip:{client_ip}"),
        ],
        cost: 1,
        limit: state.config.sign_in_limit_per_minute,
    };
    let to_address = Limit::mail_to(&email, state.config.mail_to_address_limit_per_minute);
    state
        .limiter
        .check_all(&[limit, to_address], now().millis())
        .await?;
    // An address whose domain requires SSO signs in there only: no link to mail.
    match super::sso::sign_in::check_password_allowed(state, &email).await {
        Err(ApiError::SsoRequired(_)) => return Ok(()),
        other => other?,
    }
    let mut tx = state.db.begin_write().await?;
    let user: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((user_id,)) = user else {
        return Ok(());
    };
    let token = new_secret();
    let at = now().millis();
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(&user_id)
    .bind(&email)
    .bind(at)
    .bind(at + PASSWORD_RESET_TTL_MS)
    .execute(&mut *tx)
    .await?;
    enqueue_mail(
        &mut tx,
        &password_reset_email(&state.public_url, &email, &token),
        None,
    )
    .await?;
    tx.commit().await?;
    state.queue.wake();
    tracing::info!(user_id = %user_id, "password reset requested");
    Ok(())
}

/// Sets the password with a mailed token, in one transaction: marks the token used and the
/// address verified (the mailbox was proven), ends the user's other sessions, starts one.
pub async fn reset(state: &AppState, req: PasswordResetRequest) -> ApiResult<Session> {
    validate::password(&req.password)?;
    orgkit_core::secret::TokenKind::PasswordReset.check(&req.token)?;
    #[derive(sqlx::FromRow)]
    struct Reset {
        #[sqlx(try_from = "String")]
        user_id: UserId,
        email: String,
        #[sqlx(try_from = "i64")]
        expires_at: Timestamp,
        used_at: Option<i64>,
    }
    const SELECT: &str =
        "SELECT user_id, email, expires_at, used_at FROM password_resets WHERE token_hash = $1";
    let token_hash = hash(&req.token);
    let not_found = || {
        ApiError::new(
            ErrorCode::NotFound,
            "This password-reset link is not valid.",
        )
    };
    // Checked before hashing the password (slow), and again inside the transaction.
    let peek: Option<Reset> = sqlx::query_as(SELECT)
        .bind(&token_hash)
        .fetch_optional(&state.db.pool)
        .await?;
    let peek = peek.ok_or_else(not_found)?;
    let facts = |r: &Reset| VerificationFacts {
        used_at: r.used_at.map(Timestamp),
        expires_at: r.expires_at,
    };
    check_password_reset(facts(&peek), now())?;
    super::sso::sign_in::check_password_allowed(state, &peek.email).await?;
    let password_hash = state.passwords.hash_async(req.password).await?;
    let mut tx = state.db.begin_write().await?;
    let row: Option<Reset> = sqlx::query_as(SELECT)
        .bind(&token_hash)
        .fetch_optional(&mut *tx)
        .await?;
    let row = row.ok_or_else(not_found)?;
    let at = now();
    check_password_reset(facts(&row), at)?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2")
        .bind(at.millis())
        .bind(&token_hash)
        .execute(&mut *tx)
        .await?;
    let domain_org = super::domains::lock_for_verification(state, &mut tx, &row.email).await?;
    let updated = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND email = $3")
        .bind(&password_hash)
        .bind(row.user_id.as_str())
        .bind(&row.email)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() == 0 {
        // The account's address changed since the link was mailed.
        return Err(not_found());
    }
    let newly_verified =
        sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1 AND email_verified = 0")
            .bind(row.user_id.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(row.user_id.as_str())
        .execute(&mut *tx)
        .await?;
    let token = create_session(&mut *tx, &row.user_id).await?;
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let user: UserRow = sqlx::query_as(&sql)
        .bind(row.user_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let user: User = user.into();
    if newly_verified {
        super::domains::invite_on_verification(state, &mut tx, domain_org, &user).await?;
    }
    tx.commit().await?;
    state.queue.wake();
    // User events carry no organization, so they are not in the audit table (like sign-up
    // and verification): the reset is logged.
    tracing::info!(user_id = %user.id.as_str(), "password reset: password set, other sessions ended");
    Ok(Session { user, token })
}
