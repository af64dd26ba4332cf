-- The audit log becomes readable: where each change came from, and indexes for the reader's
-- filters (each walks (org_id, filter, id), so a page costs the same at any log size) and for
-- the retention sweep.
ALTER TABLE audit_events ADD COLUMN ip TEXT;
ALTER TABLE audit_events ADD COLUMN user_agent TEXT;
CREATE INDEX audit_events_org_actor ON audit_events(org_id, actor_id, id);
CREATE INDEX audit_events_org_action ON audit_events(org_id, action, id);
CREATE INDEX audit_events_org_subject ON audit_events(org_id, subject, id);
CREATE INDEX audit_events_created ON audit_events(created_at);
