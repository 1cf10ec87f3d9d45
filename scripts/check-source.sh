#!/usr/bin/env bash
# Source rules that the compiler cannot check (docs/ARCHITECTURE.md):
#  1. SQL text lives only in src/store/ (handlers speak store.h);
#  2. no unbounded string functions (strcpy, strcat, sprintf, gets, vsprintf);
#  3. nothing above the store includes sqlite3.h;
#  4. each engine's API only in its own files: sqlite3_* and <sqlite3.h> in
#     src/store/*sqlite*.c (and .h), PQ* and <libpq-fe.h> in src/store/*_pg.c
#     and driver_pg.c;
#  5. the store's shared SQL (src/store/*_sql.c) is the dialect both engines
#     run: no FTS5 MATCH, INDEXED BY, R*Tree or FTS tables (those go in the
#     *_sqlite.c / *_pg.c files);
#  6. no function over 100 lines in src/api/ (STYLE.md): counted from the "{"
#     in column 0 that opens a body to the "}" in column 0 that closes it.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
if grep -rnE '"[^"]*\b(SELECT|INSERT INTO|DELETE FROM|UPDATE [a-z_]+ SET|CREATE TABLE)\b' src --include='*.c' --include='*.h' \
	| grep -v '^src/store/'; then
	echo "check-source: SQL outside src/store/ (above)"; fail=1
fi
if grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets)\s*\(' src --include='*.c' --include='*.h'; then
	echo "check-source: unbounded string function (above); use snprintf or buf_t"; fail=1
fi
if grep -rn 'sqlite3\.h' src --include='*.c' --include='*.h' | grep -v '^src/store/'; then
	echo "check-source: sqlite3.h included above the store (above)"; fail=1
fi
if grep -rnE '\bsqlite3_[a-z_0-9]+|<sqlite3\.h>|\bsqlite3 \*' src --include='*.c' --include='*.h' \
	| grep -vE '^src/store/[a-z_]*sqlite[a-z_]*\.(c|h):' | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)'; then
	echo "check-source: SQLite's API outside src/store/*sqlite*.c (above)"; fail=1
fi
if grep -rnE '\bPQ[a-z][A-Za-z]*\s*\(|\bPG(conn|result)\b|libpq-fe\.h' src --include='*.c' --include='*.h' \
	| grep -vE '^src/store/([a-z_]+_pg|driver_pg)\.c:' | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)'; then
	echo "check-source: libpq outside src/store/*_pg.c and driver_pg.c (above)"; fail=1
fi
if grep -nE '\bMATCH\b|INDEXED BY|problems_fts|problems_geo' src/store/*_sql.c \
	| grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)' | grep -E '"'; then
	echo "check-source: engine-specific SQL in a shared src/store/*_sql.c (above); it goes in the *_sqlite.c/*_pg.c files (docs/ARCHITECTURE.md)"; fail=1
fi
# No function over 100 lines in src/api/ (STYLE.md; docs/ARCHITECTURE.md
# "Small functions"). K&R layout: a body opens and closes in column 0.
long=$(awk '
	FNR == 1 { start = 0 }
	/^[A-Za-z_].*\(/ && !/;[ \t]*$/ { sig = $0 }
	/^\{/ { start = FNR; name = sig; sub(/\(.*/, "", name); n = split(name, w, /[ \t*]+/); name = w[n] }
	/^\}/ && start { if (FNR - start + 1 > 100) printf "%s:%d: %s() is %d lines\n", FILENAME, start, name, FNR - start + 1; start = 0 }
' src/api/*.c)
if [ -n "$long" ]; then
	echo "$long"
	echo "check-source: function over 100 lines in src/api/ (above); split it into small functions"; fail=1
fi
[ "$fail" = 0 ] && echo "check-source: ok"
exit "$fail"
