#!/usr/bin/env bash
# Every test, in tiers: source rules, C unit tests, API tests against the real
# binary, the browser test (headless Chromium), both again on PostgreSQL 15 in a
# throw-away cluster (scripts/pg-cluster.sh), the date-sensitive tests at
# awkward dates (scripts/test-dates.sh), then the unit and API tests
# again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Set WENMING_SKIP_ASAN=1 to skip the sanitizer tier locally, WENMING_SKIP_FUZZ=1
# to skip the fuzz smoke, WENMING_SKIP_DATES=1 to skip the awkward-dates tier,
# WENMING_SKIP_PG=1 to skip the PostgreSQL tier.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== tier 0: source rules"
scripts/check-source.sh

echo "== tier 1: build and C unit tests"
[ -f build/build.ninja ] || meson setup build
ninja -C build
meson test -C build --suite unit --print-errorlogs

echo "== tier 2: API tests against the real binary"
WENMING_BIN=build/wenming node tests/api/run.mjs

echo "== tier 2b: soak test (memory and descriptor leaks under a minute of mixed load)"
WENMING_BIN=build/wenming node --test tests/api/soak.test.mjs

echo "== tier 3: browser test (Playwright + Debian chromium)"
WENMING_BIN=build/wenming node --test --test-concurrency=1 tests/web/

pg_tier=0
if [ "${WENMING_SKIP_PG:-0}" != 1 ]; then
	pg_tier=1
	echo "== tier 2-pg: API and browser tests on PostgreSQL 15 (a throw-away cluster; docs/TESTING.md, \"Two backends\")"
	pg_started=$SECONDS
	eval "$(scripts/pg-cluster.sh start)"
	trap 'scripts/pg-cluster.sh stop' EXIT
	echo "PostgreSQL cluster in $WENMING_PG_DIR: $WENMING_TEST_PG"
	# The PostgreSQL driver's unit test and the rules-in-C store test have live
	# parts that need the cluster.
	meson test -C build --print-errorlogs driver_pg rules_in_c
	# schema/sqlite and schema/pg build the same tables, keys and indexes (~10 s).
	scripts/schema-compare.sh
	WENMING_BIN=build/wenming node tests/api/run.mjs
	WENMING_BIN=build/wenming node --test --test-concurrency=1 tests/web/
	scripts/pg-cluster.sh stop
	trap - EXIT
	unset WENMING_TEST_PG WENMING_PG_DIR
	echo "tier 2-pg took $((SECONDS - pg_started)) s"
fi

if [ "${WENMING_SKIP_DATES:-0}" != 1 ]; then
	echo "== tier 3c: awkward dates (the date-sensitive API and browser tests at five chosen instants; docs/TESTING.md)"
	WENMING_BIN=build/wenming scripts/test-dates.sh
fi

echo "== tier 3b: benchmark smoke (tiny scale: the scenarios and their checks run; figures are not asserted)"
node --test tests/bench/
WENMING_BIN=build/wenming node bench/run.mjs --scale tiny

tiers=$((4 + pg_tier))
if [ "${WENMING_SKIP_ASAN:-0}" != 1 ]; then
	tiers=$((tiers + 1))
	echo "== tier 4: AddressSanitizer + UndefinedBehaviorSanitizer"
	[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
	ninja -C build-asan
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
	meson test -C build-asan --suite unit --print-errorlogs
	WENMING_BIN=build-asan/wenming node tests/api/run.mjs
fi
if [ "${WENMING_SKIP_FUZZ:-0}" != 1 ]; then
	tiers=$((tiers + 1))
	echo "== tier $((tiers - 1)): fuzz smoke (libFuzzer + ASan + UBSan, 10 s per harness; docs/FUZZING.md)"
	# Its own sanitizer options (fuzz/lsan.supp), not the API tier's exported ones.
	env -u ASAN_OPTIONS -u UBSAN_OPTIONS -u LSAN_OPTIONS TMPDIR=/dev/shm scripts/fuzz.sh --smoke
fi
echo "== all tiers passed"
# set -e stops at the first failing tier, so reaching this line means all passed.
echo "tiers: $tiers passed, 0 failed"
