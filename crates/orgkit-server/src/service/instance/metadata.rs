//! Metadata writes: an organization's and a membership's public and private metadata, merged
//! (`PATCH`: a deep merge where `null` removes a key) or replaced (`PUT`: each given field
//! replaced whole). Each write locks the organization, asks the rule book, and is audited.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::{OrganizationId, UserId};
use serde_json::{Map, Value};

/// New values for the two metadata fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MetadataChange {
    pub public: Option<Value>,
    pub private: Option<Value>,
    /// Merge into the stored values (`PATCH`) rather than replace them (`PUT`).
    pub merge: bool,
}

/// The two metadata fields as stored after a write (JSON text).
#[derive(Debug, Clone)]
pub struct Stored {
    pub public: String,
    pub private: String,
}

/// `patch` deep-merged into `base`: objects merge key by key, `null` removes a key, anything
/// else replaces.
#[must_use]
pub fn merge(base: Value, patch: Value) -> Value {
    match (base, patch) {
        (Value::Object(mut base), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    base.remove(&key);
                } else {
                    let old = base.remove(&key).unwrap_or(Value::Null);
                    base.insert(key, merge(old, value));
                }
            }
            Value::Object(base)
        }
        (_, patch) => strip_nulls(patch),
    }
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// The stored text of one field after `change`, held to the rule book's shape and size
/// (`orgkit_core::metadata::check`): a merge is judged by its result.
fn apply(stored: &str, change: Option<&Value>, merging: bool) -> ApiResult<String> {
    let Some(change) = change else {
        return Ok(stored.to_owned());
    };
    let value = if merging {
        let base = serde_json::from_str(stored).unwrap_or_else(|_| Value::Object(Map::new()));
        merge(base, change.clone())
    } else {
        change.clone()
    };
    let text = serde_json::to_string(&value).map_err(|e| ApiError::Internal(e.into()))?;
    orgkit_core::metadata::check(&text)?;
    Ok(text)
}

/// Changes an organization's metadata (as changing its profile: `org:profile:manage`).
pub async fn organization(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    change: &MetadataChange,
) -> ApiResult<Stored> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::UpdateOrganization)?;
    let (public, private): (String, String) =
        sqlx::query_as("SELECT public_metadata, private_metadata FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&mut *tx)
            .await?;
    let stored = Stored {
        public: apply(&public, change.public.as_ref(), change.merge)?,
        private: apply(&private, change.private.as_ref(), change.merge)?,
    };
    sqlx::query(
        "UPDATE organizations SET public_metadata = $1, private_metadata = $2, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(&stored.public)
    .bind(&stored.private)
    .bind(now().millis())
    .bind(org_id.as_str())
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.metadata_updated",
        subject: org_id.as_str(),
        detail: if change.merge { "merged" } else { "replaced" },
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Changes a membership's metadata. Metadata is part of the membership, so this needs what
/// changing its role needs (`org:memberships:manage`); the role itself stays.
pub async fn membership(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    change: &MetadataChange,
) -> ApiResult<Stored> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT role, public_metadata, private_metadata FROM memberships \
         WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (role, public, private) = row.ok_or_else(|| ApiError::not_found("Membership"))?;
    let action = Action::ChangeRole {
        target: TargetMember {
            user_id,
            roles: &[role.as_str()],
        },
        new_roles: &[role.as_str()],
        admin_count: None,
    };
    locked.access.check(me, action)?;
    let stored = Stored {
        public: apply(&public, change.public.as_ref(), change.merge)?,
        private: apply(&private, change.private.as_ref(), change.merge)?,
    };
    sqlx::query(
        "UPDATE memberships SET public_metadata = $1, private_metadata = $2 \
         WHERE org_id = $3 AND user_id = $4",
    )
    .bind(&stored.public)
    .bind(&stored.private)
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "membership.metadata_updated",
        subject: user_id.as_str(),
        detail: if change.merge { "merged" } else { "replaced" },
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Sets a just-created invitation's metadata (the Clerk-compatible API creates it, then sets
/// what the request carried).
pub async fn invitation(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    invitation_id: &str,
    change: &MetadataChange,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ListInvitations)?;
    let public = apply("{}", change.public.as_ref(), false)?;
    let private = apply("{}", change.private.as_ref(), false)?;
    sqlx::query(
        "UPDATE invitations SET public_metadata = $1, private_metadata = $2 \
         WHERE org_id = $3 AND id = $4",
    )
    .bind(public)
    .bind(private)
    .bind(org_id.as_str())
    .bind(invitation_id)
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invitation.metadata_updated",
        subject: invitation_id,
        detail: "replaced",
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::merge;
    use serde_json::json;

    #[test]
    fn merging_is_deep_and_null_removes() {
        let base = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]});
        let patch = json!({"a": null, "b": {"c": 20, "x": {"y": null, "z": 1}}, "e": [2]});
        assert_eq!(
            merge(base, patch),
            json!({"b": {"c": 20, "d": 3, "x": {"z": 1}}, "e": [2]})
        );
        assert_eq!(merge(json!("text"), json!({"k": 1})), json!({"k": 1}));
    }
}
