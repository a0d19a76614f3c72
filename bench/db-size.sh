#!/usr/bin/env bash
# db-size.sh - where the bytes of Urb's catalog database go, per table and index.
#
# Prints, for the urb database of a running stack (URB_HOME, default .urb/ of this tree):
#   - pg_database_size, and the part of it that no Urb schema holds (PostgreSQL's own catalogs,
#     the "empty database floor");
#   - per table of the services' schemas: rows, dead rows, heap (pg_relation_size), TOAST,
#     indexes (pg_indexes_size), total (pg_total_relation_size);
#   - per index: its size.
# Sizes are what the files hold on disk, so bloat and free space count. --compact rewrites Urb's
# tables first (VACUUM FULL, which locks them: only on a quiet stack) to show what the live rows
# need. Read-only without it.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
URB_HOME=${URB_HOME:-$HERE/../.urb}
COMPACT=0
case ${1:-} in
  --compact) COMPACT=1 ;;
  -h | --help) echo "usage: [URB_HOME=DIR] bench/db-size.sh [--compact]"; exit 0 ;;
  "") ;;
  *) echo "db-size.sh: unknown argument '$1'" >&2; exit 2 ;;
esac

port=$(sed -n 's/^URB_POSTGRES_PORT=\([0-9]*\)$/\1/p' "$URB_HOME/stack.env")
[[ -n $port ]] || { echo "db-size.sh: no URB_POSTGRES_PORT in $URB_HOME/stack.env" >&2; exit 1; }
export PGPASSWORD
PGPASSWORD=$(tr -d '\n' <"$URB_HOME/secrets/postgres-password")
q() { psql -X -q -h 127.0.0.1 -p "$port" -U urb -d urb "$@"; }

if ((COMPACT)); then
  q -v ON_ERROR_STOP=1 <<'SQL'
SELECT format('VACUUM FULL %I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
\gexec
SQL
fi

# The services' schemas: every schema but PostgreSQL's own.
q -P footer=off <<'SQL'
\pset format aligned
WITH urb AS (
  SELECT c.oid, n.nspname, c.relname, c.reltuples
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
)
SELECT pg_database_size(current_database()) AS database_bytes,
       sum(pg_total_relation_size(oid))::bigint AS urb_tables_bytes,
       pg_database_size(current_database()) - sum(pg_total_relation_size(oid))::bigint AS postgres_floor_bytes
FROM urb;

WITH urb AS (
  SELECT c.oid, n.nspname, c.relname, c.reltoastrelid
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
)
SELECT u.nspname || '.' || u.relname AS "table",
       s.n_live_tup AS live_rows,
       s.n_dead_tup AS dead_rows,
       pg_relation_size(u.oid) AS heap,
       CASE WHEN u.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(u.reltoastrelid) END AS toast,
       pg_indexes_size(u.oid) AS indexes,
       pg_total_relation_size(u.oid) AS total,
       CASE WHEN s.n_live_tup > 0 THEN pg_total_relation_size(u.oid) / s.n_live_tup END AS bytes_per_row
FROM urb u LEFT JOIN pg_stat_user_tables s ON s.relid = u.oid
ORDER BY pg_total_relation_size(u.oid) DESC, 1;

SELECT n.nspname || '.' || i.relname AS "index", t.relname AS "table", pg_relation_size(i.oid) AS bytes,
       s.idx_scan AS scans
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.oid
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY pg_relation_size(i.oid) DESC, 1;
SQL
