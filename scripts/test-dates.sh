#!/usr/bin/env bash
# The date-sensitive tests at awkward instants (docs/TESTING.md, "Awkward dates").
# Each instant starts the server's test clock there (WENMING_TEST_CLOCK=1 +
# WENMING_CLOCK_START, before the demo builds its history relative to "now")
# and the browser pages' clocks at the same instant; the tests read "now" from
# tests/clock.mjs, so their expectations follow that clock.
#
#   scripts/test-dates.sh                 # the plan below (the test.sh tier)
#   scripts/test-dates.sh --full          # the plan, with the whole API suite at every instant
#   scripts/test-dates.sh 2030-06-30T23:59:00+08:00 [...]   # whole API suite + date browser tests there
#
# WENMING_BIN picks the binary (default build/wenming). Runs sequentially, niced.
set -euo pipefail
cd "$(dirname "$0")/.."
export WENMING_BIN=${WENMING_BIN:-build/wenming}

# The API files whose figures depend on today (ages, year codes, deadlines
# across weekends and holidays, this week's tasks and shifts, monthly limits,
# calendar feeds, audit windows). kpi.test reads a fixed 2031 story and
# shifts.test fixed 2025 weeks: they run at New Year's Eve with the rest and
# shifts.test again on the Friday.
# The party features' periods (compliance months and quarters, 双报到 quarters, home-visit
# intervals, nomination periods, the year of a target letter) follow today too.
DATE_API="problems revisits resources volunteers volunteer-files bank sites party-meetings party-dual party-buildings party-targets party-awards"
# The browser tests whose pages show or use today.
DATE_WEB="calendar volunteer"

# instant | API files ("all" = the whole suite) | browser files | holiday file the office imports first
PLAN=(
	# New Year's Eve, late: the run crosses midnight and the year (HM-YYYY- codes, week 53/1).
	"2026-12-31T23:50:00+08:00|all|calendar"
	# A 31-day month, on its last day (the phone calendar shows 31 cells).
	"2027-01-31T10:00:00+08:00|$DATE_API|calendar"
	# 29 February of a leap year (366 days on the desktop calendar; ages of people born on a 29th).
	"2028-02-29T10:00:00+08:00|$DATE_API|calendar"
	# A Friday one minute before the 12:00 sign-up opening of next week's shifts.
	"2027-01-29T11:59:00+08:00|$DATE_API shifts|volunteer"
	# The Spring Festival week (春节 2027 is 6 February; the 8th is a Monday off work).
	"2027-02-08T10:00:00+08:00|$DATE_API||tests/dates/spring-festival-2027.txt"
)

full=0
if [ "${1:-}" = --full ]; then full=1; shift; fi
if [ $# -gt 0 ]; then
	PLAN=()
	for at in "$@"; do PLAN+=("$at|all|$DATE_WEB"); done
fi

failed=()
t_all=$(date +%s)
for entry in "${PLAN[@]}"; do
	IFS='|' read -r at apis webs holidays <<<"$entry"
	[ "$full" = 1 ] && apis=all
	export WENMING_CLOCK_START=$at WENMING_TEST_HOLIDAYS=$holidays
	[ -n "$holidays" ] || unset WENMING_TEST_HOLIDAYS
	t0=$(date +%s)
	echo "== dates: $at (API: $apis; browser: ${webs:-none}${holidays:+; holidays: $holidays})"
	files=()
	if [ "$apis" != all ]; then
		for f in $apis; do files+=("tests/api/$f.test.mjs"); done
	fi
	nice node tests/api/run.mjs "${files[@]}" || failed+=("$at API")
	if [ -n "$webs" ]; then
		web=()
		for f in $webs; do web+=("tests/web/$f.test.mjs"); done
		nice node --test --test-concurrency=1 "${web[@]}" || failed+=("$at browser")
	fi
	echo "== dates: $at took $(($(date +%s) - t0)) s"
done
unset WENMING_CLOCK_START WENMING_TEST_HOLIDAYS
echo "== dates: ${#PLAN[@]} instants in $(($(date +%s) - t_all)) s"
if [ ${#failed[@]} -gt 0 ]; then
	printf '== dates: FAILED at %s\n' "${failed[@]}"
	exit 1
fi
echo "== dates: all passed"
