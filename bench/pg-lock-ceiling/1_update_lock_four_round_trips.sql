\set u random(1, 1000)
BEGIN;
SELECT name FROM org WHERE id = 1 FOR UPDATE;
UPDATE member SET role = 'admin' WHERE org = 1 AND uid = :u;
COMMIT;
