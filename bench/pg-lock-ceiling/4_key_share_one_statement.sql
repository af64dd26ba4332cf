\set u random(1, 1000)
WITH o AS (SELECT name FROM org WHERE id = 1 FOR KEY SHARE), x AS (UPDATE member SET role = 'admin' WHERE org = 1 AND uid = :u AND EXISTS (SELECT 1 FROM o) RETURNING 1) SELECT count(*) FROM x;
