-- The organization each user last made active (PUT /v1/me/active-organization), so that a new
-- tab starts there (issue 12). No foreign key: every read joins it with an active membership
-- (auth::USER_COLUMNS), so a removal by any path, a suspension or the organization's deletion
-- hides it at once, and organization ids are never reused. NULL: none chosen.
ALTER TABLE users ADD COLUMN last_active_org_id TEXT;
