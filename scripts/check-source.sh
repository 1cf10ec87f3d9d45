#!/usr/bin/env bash
# Source rules that the compiler cannot check (docs/ARCHITECTURE.md):
#  1. SQL text lives only in src/store/ (handlers speak store.h);
#  2. no unbounded string functions (strcpy, strcat, sprintf, gets, vsprintf);
#  3. nothing above the store includes sqlite3.h;
#  4. libpq (libpq-fe.h, PQ* calls) only in src/store/driver_pg.c and the *_pg.c files.
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
if grep -rnE 'libpq-fe\.h|\bPQ[a-zA-Z]+\s*\(' src --include='*.c' --include='*.h' \
	| grep -vE '^src/store/(driver_pg|[a-z_]+_pg)\.c:'; then
	echo "check-source: libpq outside src/store/driver_pg.c and *_pg.c (above)"; fail=1
fi
[ "$fail" = 0 ] && echo "check-source: ok"
exit "$fail"
