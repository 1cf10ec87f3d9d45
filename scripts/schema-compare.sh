#!/bin/sh
# schema-compare.sh — do schema/sqlite/*.sql and schema/pg/*.sql build the
# same database? Applies each directory in order to a fresh database (SQLite
# with the sqlite3 command-line tool, PostgreSQL with psql, one transaction
# per file as the drivers do), prints what the store depends on — every
# table's and view's columns (type class, NOT NULL, DEFAULT, primary key),
# its unique constraints, foreign keys (with ON DELETE) and indexes — and
# diffs the two listings. Exit 0 when they agree, 1 on a difference, 2 when
# a migration fails or a tool is missing.
#
#   scripts/schema-compare.sh                       a throwaway cluster (initdb)
#   scripts/schema-compare.sh --database URL        a scratch database on that
#                                                   server, created and dropped
#   WENMING_TEST_PG=URL scripts/schema-compare.sh   the same (the test tier's
#                                                   cluster, tests/api/database.mjs)
#
# Type classes: SQLite INTEGER and PostgreSQL bigint/integer are "int", REAL
# and double precision "real", TEXT, text and citext "text". Left out by
# design, being per engine (docs/ARCHITECTURE.md, "Schema on two engines"):
# the search table problems_fts (FTS5 with its shadow tables / a table with a
# GIN trigram index), SQLite's R*Tree problems_geo (an index on problems in
# PostgreSQL), triggers, CHECK expressions (not listed by SQLite) and
# PostgreSQL's functions. Without --database, PostgreSQL 15's binaries are
# taken from PG_BIN (default /usr/lib/postgresql/15/bin); as root the
# cluster runs as the postgres user. The cluster listens on a Unix socket in
# its own directory only, so it needs no free port.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
url=${WENMING_TEST_PG:-}
case "${1:-}" in
--database) url=${2:?--database needs a URL} ;;
--database=*) url=${1#--database=} ;;
'') ;;
*) echo "usage: $0 [--database postgresql://…]" >&2; exit 2 ;;
esac
command -v sqlite3 >/dev/null || { echo "schema-compare: sqlite3 not found" >&2; exit 2; }

work=$(mktemp -d /tmp/wm-schema-compare.XXXXXX)
pgdata=
cleanup() {
	if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
		$as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
as_pg=
trap cleanup EXIT INT TERM

# The per-engine objects named in the header, kept out of both listings.
per_engine="'problems_fts', 'problems_fts_data', 'problems_fts_idx', 'problems_fts_content',
 'problems_fts_docsize', 'problems_fts_config', 'problems_geo', 'problems_geo_node',
 'problems_geo_rowid', 'problems_geo_parent', 'problems_fts_body',
 'problems_search', 'problems_search_body', 'problems_point'"

# SQLite ----------------------------------------------------------------------
# 016 calls wm_token_hash()/wm_seal(), which the server registers on its
# connections; on a new database they touch no row, so hex() stands in for
# them here (same arity, and the statement is only prepared).
{
	echo ".bail on"
	for f in "$root"/schema/sqlite/*.sql; do
		echo "BEGIN;"
		sed -e 's/wm_token_hash(/hex(/g' -e 's/wm_seal(/hex(/g' "$f"
		echo ";"
		echo "COMMIT;"
	done
} >"$work/sqlite.sql"
sqlite3 -batch "$work/wenming.db" <"$work/sqlite.sql" >/dev/null ||
	{ echo "schema-compare: the SQLite migrations failed" >&2; exit 2; }

sqlite3 -batch -noheader -list "$work/wenming.db" >"$work/sqlite.txt" <<EOF
WITH t AS (SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view')
             AND name NOT LIKE 'sqlite_%' AND name NOT IN ($per_engine))
SELECT t.type || ' ' || t.name || '.' || c.name
       || CASE WHEN t.type = 'view' THEN ''
               ELSE ' ' || CASE upper(c.type) WHEN 'INTEGER' THEN 'int' WHEN 'REAL' THEN 'real'
                                              WHEN 'TEXT' THEN 'text' ELSE '?' || c.type END
                    || CASE WHEN c."notnull" OR c.pk THEN ' not null' ELSE '' END
                    || coalesce(' default ' || c.dflt_value, '')
                    || CASE WHEN c.pk THEN ' pk' || c.pk ELSE '' END END
FROM t, pragma_table_info(t.name) c
UNION ALL
SELECT 'unique ' || t.name || '(' || (SELECT group_concat(name, ',') FROM
         (SELECT name FROM pragma_index_info(i.name) ORDER BY seqno)) || ')'
FROM t, pragma_index_list(t.name) i WHERE t.type = 'table' AND i.origin = 'u'
UNION ALL
SELECT 'fk ' || t.name || '(' || f."from" || ') -> ' || f."table" || '(' || f."to" || ') on delete '
       || lower(f.on_delete)
FROM t, pragma_foreign_key_list(t.name) f WHERE t.type = 'table'
UNION ALL
SELECT 'index ' || i.name || ' on ' || t.name || '(' || (SELECT group_concat(coalesce(name, 'expr'), ',') FROM
         (SELECT name FROM pragma_index_info(i.name) ORDER BY seqno)) || ')'
       || CASE WHEN i."unique" THEN ' unique' ELSE '' END || CASE WHEN i.partial THEN ' partial' ELSE '' END
FROM t, pragma_index_list(t.name) i WHERE t.type = 'table' AND i.origin = 'c' AND i.name NOT IN ($per_engine)
ORDER BY 1;
EOF

# PostgreSQL ------------------------------------------------------------------
db=wm_schema_compare_$$
if [ -z "$url" ]; then
	PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
	[ -x "$PG_BIN/initdb" ] || { echo "schema-compare: no initdb in $PG_BIN (set PG_BIN)" >&2; exit 2; }
	pgdata=$work/pg
	mkdir "$pgdata"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$work" "$pgdata"
		as_pg="runuser -u postgres --"
	fi
	$as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --locale=C.UTF-8 -E UTF8 --auth=trust \
		>"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 2; }
	$as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
		-o "-p 5432 -k $work -c listen_addresses= -c fsync=off" start >/dev/null ||
		{ cat "$pgdata/log" >&2; exit 2; }
	url="postgresql:///postgres?host=$work&port=5432&user=postgres"
	psql_bin=$PG_BIN/psql
else
	psql_bin=$(command -v psql || echo "${PG_BIN:-/usr/lib/postgresql/15/bin}/psql")
fi
psql() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
psql -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" >/dev/null ||
	{ echo "schema-compare: cannot create a scratch database" >&2; exit 2; }
drop_db() { psql -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; }
trap 'drop_db; cleanup' EXIT INT TERM

{
	printf '\\connect %s\nSET client_min_messages = warning;\n' "$db"
	for f in "$root"/schema/pg/*.sql; do
		printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$f"
	done
} >"$work/pg.sql"
psql -f "$work/pg.sql" >/dev/null || { echo "schema-compare: the PostgreSQL migrations failed" >&2; exit 2; }

psql -At -c "\\connect $db" -f - >"$work/pg.txt" <<EOF || { echo "schema-compare: listing failed" >&2; exit 2; }
WITH t AS (SELECT c.oid, c.relname AS name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END AS type
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') AND c.relname NOT IN ($per_engine)),
pk AS (SELECT k.conrelid, a.attname, x.n FROM pg_constraint k,
         unnest(k.conkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attnum = x.attnum
        WHERE k.contype = 'p' AND a.attrelid = k.conrelid)
SELECT t.type || ' ' || t.name || '.' || a.attname
       || CASE WHEN t.type = 'view' THEN ''
               ELSE ' ' || CASE WHEN a.atttypid IN ('int8'::regtype, 'int4'::regtype, 'int2'::regtype) THEN 'int'
                                WHEN a.atttypid IN ('float8'::regtype, 'float4'::regtype) THEN 'real'
                                WHEN format_type(a.atttypid, NULL) IN ('text', 'citext') THEN 'text'
                                ELSE '?' || format_type(a.atttypid, NULL) END
                    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                    || coalesce(' default ' || regexp_replace(pg_get_expr(d.adbin, d.adrelid), '::[a-z ]+$', ''), '')
                    || coalesce(' pk' || pk.n, '') END
FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
LEFT JOIN pk ON pk.conrelid = t.oid AND pk.attname = a.attname
UNION ALL
SELECT 'unique ' || t.name || '(' || (SELECT string_agg(a.attname, ',' ORDER BY x.n) FROM
         unnest(k.conkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.attnum) || ')'
FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'u'
UNION ALL
SELECT 'fk ' || t.name || '(' || a.attname || ') -> ' || r.relname || '(' || ra.attname || ') on delete '
       || CASE k.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                             WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END
FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.conkey[1]
JOIN pg_class r ON r.oid = k.confrelid JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.confkey[1]
UNION ALL
SELECT 'index ' || ic.relname || ' on ' || t.name || '(' || (SELECT string_agg(coalesce(a.attname, 'expr'), ',' ORDER BY x.n)
         FROM unnest(i.indkey::int2[]) WITH ORDINALITY x(attnum, n)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.attnum) || ')'
       || CASE WHEN i.indisunique THEN ' unique' ELSE '' END || CASE WHEN i.indpred IS NOT NULL THEN ' partial' ELSE '' END
FROM t JOIN pg_index i ON i.indrelid = t.oid JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u'))
  AND ic.relname NOT IN ($per_engine);
EOF

LC_ALL=C sort -o "$work/sqlite.txt" "$work/sqlite.txt"
LC_ALL=C sort -o "$work/pg.txt" "$work/pg.txt"
status=0
if diff -u --label sqlite --label postgresql "$work/sqlite.txt" "$work/pg.txt"; then
	echo "schema-compare: the same $(grep -c '^table ' "$work/pg.txt") table columns," \
		"$(grep -c '^view ' "$work/pg.txt") view columns, $(grep -c '^unique ' "$work/pg.txt") unique constraints," \
		"$(grep -c '^fk ' "$work/pg.txt") foreign keys and $(grep -c '^index ' "$work/pg.txt") indexes on both engines"
else
	echo "schema-compare: schema/sqlite and schema/pg differ (above)" >&2
	status=1
fi

# The same statements on both databases (tests/schema/dialect.sql), with each
# engine's own 008 backfill section spliced in; their output must agree.
splice() {
	awk -v f="$1" '$0 == "-- backfill" {
		while ((getline l < f) > 0) {
			if (l ~ /^-- backfill:begin/) on = 1
			if (on) print l
			if (l ~ /^-- backfill:end/) on = 0
		}
		next
	} { print }' "$root/tests/schema/dialect.sql"
}
splice "$root/schema/sqlite/008_kpi.sql" >"$work/dialect-sqlite.sql"
splice "$root/schema/pg/008_kpi.sql" >"$work/dialect-pg.sql"
sqlite3 -batch -bail -noheader -list "$work/wenming.db" <"$work/dialect-sqlite.sql" >"$work/dialect-sqlite.txt" ||
	{ echo "schema-compare: tests/schema/dialect.sql failed on SQLite" >&2; exit 2; }
psql -At -c "\\connect $db" -f "$work/dialect-pg.sql" >"$work/dialect-pg.txt" ||
	{ echo "schema-compare: tests/schema/dialect.sql failed on PostgreSQL" >&2; exit 2; }
if diff -u --label sqlite --label postgresql "$work/dialect-sqlite.txt" "$work/dialect-pg.txt"; then
	echo "schema-compare: tests/schema/dialect.sql answers the same $(wc -l <"$work/dialect-pg.txt") lines on both engines"
else
	echo "schema-compare: tests/schema/dialect.sql answers differently (above)" >&2
	status=1
fi

# What only PostgreSQL has to prove (tests/schema/pg_checks.sql): triggers
# refusing with SQLSTATE 23514, parameter resolution, the indexes the
# per-engine search and "nearby" rely on. Each check raises on failure.
psql -At -c "\\connect $db" -f "$root/tests/schema/pg_checks.sql" >"$work/checks.txt" ||
	{ echo "schema-compare: tests/schema/pg_checks.sql failed" >&2; status=1; }
[ $status = 0 ] && echo "schema-compare: tests/schema/pg_checks.sql passed ($(grep -c '^ok ' "$work/checks.txt") checks)"
exit $status
