\set u random(1, 1000)
UPDATE member SET role = 'admin' WHERE org = 1 AND uid = :u;
