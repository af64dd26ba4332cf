-- The roster (issue 7): one list of an organization's people (members, pending invitations,
-- pending requests to join), ordered by lower-cased email address, then id, and keyset-paged.
-- Each source is walked by its own (org_id, email, id) index from the cursor, so a page costs
-- the same at any organization size. Members and requests do not store an address, so each
-- gets a copy of its user's (users.email is lowercased and never changes). A trigger fills it
-- on every insert, whichever code path writes the row (accepting an invitation, an invite
-- link, a domain, an accepted request, creating an organization): the invariant cannot
-- depend on every writer remembering it. The addresses compare bytewise (COLLATE "C"), as the
-- server merges the three walks, whatever the database's default collation.

CREATE FUNCTION orgkit_roster_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.email = '' THEN
        SELECT u.email INTO NEW.email FROM users u WHERE u.id = NEW.user_id;
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE memberships ADD COLUMN email TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE memberships m SET email = u.email FROM users u WHERE u.id = m.user_id;
CREATE TRIGGER memberships_roster_email BEFORE INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION orgkit_roster_email();
CREATE INDEX memberships_roster ON memberships(org_id, email, id);

ALTER TABLE join_requests ADD COLUMN email TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE join_requests r SET email = u.email FROM users u WHERE u.id = r.user_id;
CREATE TRIGGER join_requests_roster_email BEFORE INSERT ON join_requests
    FOR EACH ROW EXECUTE FUNCTION orgkit_roster_email();
CREATE INDEX join_requests_roster ON join_requests(org_id, email, id) WHERE status = 'pending';

ALTER TABLE invitations ALTER COLUMN email TYPE TEXT COLLATE "C";
CREATE INDEX invitations_roster ON invitations(org_id, email, id) WHERE status = 'pending';

-- An invitee may dismiss an expired invitation addressed to them: it leaves their list.
ALTER TABLE invitations ADD COLUMN dismissed_at BIGINT;
