\set u random(1, 1000)
BEGIN;
SELECT name FROM org WHERE id = 1 FOR UPDATE;
SELECT role FROM member WHERE org = 1 AND uid = :u FOR UPDATE;
SELECT count(*) FROM member WHERE org = 1 AND role = 'admin';
UPDATE member SET role = 'admin' WHERE org = 1 AND uid = :u;
INSERT INTO audit (org, uid, detail) VALUES (1, :u, 'member -> admin');
COMMIT;
