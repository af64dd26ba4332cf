-- A user's membership in an organization as it is now (see Db::lock_organization_as). The
-- statement that locks an organization's row reads the locking user's membership through
-- this function, called after the lock is taken. In READ COMMITTED every statement reads
-- from a snapshot taken when it starts, so a join in the locking statement would show the
-- membership as it was before the lock's wait, missing a change that the previous holder of
-- the lock committed (a demotion or a removal). A VOLATILE function takes a fresh snapshot for
-- each query it runs, and so sees it.
CREATE FUNCTION orgkit_membership_now(p_org text, p_user text)
RETURNS TABLE (role text, is_owner bigint, suspended_at bigint, extra_roles text)
LANGUAGE sql VOLATILE AS $now$
  SELECT m.role, m.is_owner, m.suspended_at,
    CASE WHEN m.extra_roles > 0 THEN
      (SELECT string_agg(r.role, ',' ORDER BY r.position) FROM membership_roles r
       WHERE r.org_id = m.org_id AND r.user_id = m.user_id) END
  FROM memberships m WHERE m.org_id = p_org AND m.user_id = p_user
$now$;
