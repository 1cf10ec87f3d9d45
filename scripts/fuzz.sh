#!/usr/bin/env bash
# Fuzzing with libFuzzer (docs/FUZZING.md). Builds the harnesses of fuzz/
# with clang (ASan + UBSan + libFuzzer) in build-fuzz/, then:
#   scripts/fuzz.sh --smoke          every harness for FUZZ_SMOKE_SECONDS (10) each; CI
#   scripts/fuzz.sh TARGET [SECONDS] one harness (default 300 s), then merges the inputs
#                                    that add coverage into fuzz/corpus/TARGET
#   scripts/fuzz.sh --list           the harness names
# A crash or a broken property stops the run with the input saved under
# build-fuzz/artifacts/; the smoke exits non-zero on any finding and never
# changes the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=()
for f in fuzz/fuzz_*.c; do t=${f#fuzz/fuzz_}; targets+=("${t%.c}"); done

if [ "${1:-}" = --list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [ $# -lt 1 ]; then
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi

command -v clang >/dev/null || { echo "fuzz: clang is missing (scripts/setup.sh installs it)" >&2; exit 1; }
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g" \
		LDFLAGS="-fsanitize=address,undefined" \
		meson setup build-fuzz -Dfuzzing=true -Dwerror=false -Db_lundef=false --buildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz -j"${FUZZ_JOBS:-2}" $(printf 'fuzz/fuzz_%s ' "${targets[@]}") >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
mkdir -p build-fuzz/artifacts

# run TARGET SECONDS WORKDIR: fuzzes from the committed corpus and the
# regressions into WORKDIR (new inputs land there, not in the tree).
run() {
	local t=$1 secs=$2 work=$3 dict=() extra=()
	mkdir -p "$work"
	[ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
	# fuzz_api keeps caches (SQLite, MHD) that make libFuzzer's leak check run
	# after nearly every input, scanning ~800 MB: 10x slower. Its leaks are
	# caught at exit when the ASan tier replays the corpus; FUZZ_LEAKS=1 forces it.
	[ "$t" = api ] && [ "${FUZZ_LEAKS:-0}" != 1 ] && extra=(-detect_leaks=0)
	# Request bodies matter from the start: no slow growth of the input size.
	[ "$t" = api ] && extra+=(-len_control=0 -max_len=8192)
	local dirs=("$work" "fuzz/corpus/$t")
	[ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
	"build-fuzz/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" "${extra[@]}" "${dict[@]}" "${dirs[@]}"
}

if [ "$1" = --smoke ]; then
	secs=${FUZZ_SMOKE_SECONDS:-10}
	for t in "${targets[@]}"; do
		echo "== fuzz smoke: $t (${secs} s)"
		rm -rf "build-fuzz/smoke/$t"
		log=build-fuzz/smoke/$t.log
		mkdir -p build-fuzz/smoke
		rc=0
		run "$t" "$secs" "build-fuzz/smoke/$t" >"$log" 2>&1 || rc=$?
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr -s ' ' | tr '\n' ' '
		echo
		if [ "$rc" -ne 0 ]; then
			grep -E 'property failed|ERROR|SUMMARY|Test unit written' "$log" >&2 || tail -20 "$log" >&2
			echo "fuzz: $t found a failing input (log: $log)" >&2
			exit 1
		fi
	done
	echo "fuzz smoke: ${#targets[@]} harnesses passed"
	exit 0
fi

t=$1 secs=${2:-300}
[ -f "fuzz/fuzz_$t.c" ] || { echo "fuzz: no harness '$t' (try --list)" >&2; exit 2; }
run "$t" "$secs" "build-fuzz/work/$t"
# Keep only the inputs that add coverage, in the committed corpus.
"build-fuzz/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "build-fuzz/work/$t" 2>&1 | tail -1
echo "fuzz: corpus fuzz/corpus/$t now holds $(ls "fuzz/corpus/$t" | wc -l) inputs; review and commit them"
