-- Owners, suspended members and the creator protection (issue 15, owners).
-- The owner flag is independent of roles; a suspended membership keeps its roles and flag and
-- gives no access. Counts of members for seats, admins and owners take suspended_at IS NULL.

ALTER TABLE memberships ADD COLUMN is_owner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN suspended_at INTEGER;
ALTER TABLE organizations ADD COLUMN creator_protection INTEGER NOT NULL DEFAULT 0;

-- Existing organizations: the creator owns it when still a member...
UPDATE memberships SET is_owner = 1
WHERE user_id = (SELECT o.created_by FROM organizations o WHERE o.id = memberships.org_id);
-- ...else its oldest admin (ids are time-ordered)...
UPDATE memberships SET is_owner = 1
WHERE id IN (
    SELECT MIN(m.id) FROM memberships m
    WHERE m.role = 'admin'
      AND NOT EXISTS (SELECT 1 FROM memberships c WHERE c.org_id = m.org_id AND c.is_owner = 1)
    GROUP BY m.org_id
);
-- ...else, in an organization that somehow has no admin, its oldest member.
UPDATE memberships SET is_owner = 1
WHERE id IN (
    SELECT MIN(m.id) FROM memberships m
    WHERE NOT EXISTS (SELECT 1 FROM memberships c WHERE c.org_id = m.org_id AND c.is_owner = 1)
    GROUP BY m.org_id
);

-- Counting an organization's owners for the last-owner invariant.
CREATE INDEX memberships_org_owner ON memberships(org_id) WHERE is_owner = 1;
