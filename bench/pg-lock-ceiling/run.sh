#!/usr/bin/env bash
# The ceiling of one organization's writes on PostgreSQL, by lock mode, with pgbench (a C
# client, prepared statements, 1 and 16 clients on one organization row). Each script updates
# one of 1,000 member rows after locking the organization's row; 6 and 7 have the shape of an
# orgkit role change (the organization, the member, a count, the update, an audit row). See
# BENCHMARKS.md, "Shared organization locks on PostgreSQL".
#   bench/pg-lock-ceiling/run.sh [postgres://postgres@127.0.0.1:5432] [seconds]
set -euo pipefail
cd "$(dirname "$0")"
server=${1:-postgres://postgres@127.0.0.1:5432}
seconds=${2:-6}
pgbench=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)
db=orgkit_lock_ceiling
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db"' EXIT
psql "$server/$db" -q <<'SQL'
CREATE TABLE org (id int PRIMARY KEY, name text);
CREATE TABLE member (org int, uid int, role text, PRIMARY KEY (org, uid));
CREATE TABLE audit (id bigserial PRIMARY KEY, org int, uid int, detail text);
INSERT INTO org VALUES (1, 'one');
INSERT INTO member SELECT 1, g, 'member' FROM generate_series(1, 1000) g;
SQL
for script in *.sql; do
  for clients in 1 16; do
    tps=$("$pgbench" -n -M prepared -c "$clients" -j 1 -T "$seconds" -f "$script" "$server/$db" |
      sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
    printf '%-34s c%-3s %10.0f tps\n' "$script" "$clients" "$tps"
  done
done
