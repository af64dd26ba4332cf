-- A user's memberships indexed by organization, in place of by membership id. Lookups of one
-- membership name both the user and the organization (the session's last active organization,
-- the membership read after an organization's lock). With (user_id, id), PostgreSQL's planner
-- costed that index like the unique (org_id, user_id) one and chose it, then walked every
-- membership of the user to find one: a user in 3,000 organizations paid 3,000 index entries on
-- every request. With (user_id, org_id) either index is one probe. Listing a user's
-- memberships reads all of them either way (service::organizations::mine), now with a sort.
DROP INDEX memberships_user;
CREATE INDEX memberships_user ON memberships(user_id, org_id);
