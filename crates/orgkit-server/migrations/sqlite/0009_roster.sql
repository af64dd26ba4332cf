-- The roster (issue 7): one list of an organization's people (members, pending invitations,
-- pending requests to join), ordered by lower-cased email address, then id, and keyset-paged.
-- Each source is walked by its own (org_id, email, id) index from the cursor, so a page costs
-- the same at any organization size. Members and requests do not store an address, so each
-- gets a copy of its user's (users.email is lowercased and never changes). A trigger fills it
-- on every insert, whichever code path writes the row (accepting an invitation, an invite
-- link, a domain, an accepted request, creating an organization): the invariant cannot
-- depend on every writer remembering it.

ALTER TABLE memberships ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE memberships SET email = (SELECT u.email FROM users u WHERE u.id = memberships.user_id);
CREATE TRIGGER memberships_roster_email AFTER INSERT ON memberships WHEN NEW.email = ''
BEGIN
    UPDATE memberships SET email = (SELECT u.email FROM users u WHERE u.id = NEW.user_id)
    WHERE id = NEW.id;
END;
CREATE INDEX memberships_roster ON memberships(org_id, email, id);

ALTER TABLE join_requests ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE join_requests SET email = (SELECT u.email FROM users u WHERE u.id = join_requests.user_id);
CREATE TRIGGER join_requests_roster_email AFTER INSERT ON join_requests WHEN NEW.email = ''
BEGIN
    UPDATE join_requests SET email = (SELECT u.email FROM users u WHERE u.id = NEW.user_id)
    WHERE id = NEW.id;
END;
CREATE INDEX join_requests_roster ON join_requests(org_id, email, id) WHERE status = 'pending';

CREATE INDEX invitations_roster ON invitations(org_id, email, id) WHERE status = 'pending';

-- An invitee may dismiss an expired invitation addressed to them: it leaves their list.
ALTER TABLE invitations ADD COLUMN dismissed_at INTEGER;
