#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests (docs/TESTING.md, "Two backends").
#
#   eval "$(scripts/pg-cluster.sh start)"   # initdb + start; prints the two exports below
#   scripts/pg-cluster.sh env               # prints them again for the running cluster
#   scripts/pg-cluster.sh restart-immediate # pg_ctl restart -m immediate (the crash test)
#   scripts/pg-cluster.sh stop              # stop and remove the whole directory
#
# start prints `export WENMING_TEST_PG=postgresql://postgres@127.0.0.1:PORT/postgres` and
# `export WENMING_PG_DIR=DIR`; the other commands find the cluster through WENMING_PG_DIR.
# The cluster lives in one temporary directory (data, log, unix socket), listens on a free
# loopback port, trusts every local connection and keeps fsync on (the crash test checks
# durability); only its memory is small. Run as root (CI), initdb refuses root, so the
# cluster runs as the `postgres` user and owns its directory; run as anyone else, it runs as
# that user. WENMING_PG_BIN overrides the Debian binaries' directory.
set -euo pipefail

PG_BIN=${WENMING_PG_BIN:-/usr/lib/postgresql/15/bin}

die() { echo "pg-cluster: $*" >&2; exit 1; }

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nobody listens on now (the kernel's choice for port 0); start retries if it is
# taken between this and the server's bind.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() {
	local dir=$1
	[ -f "$dir/url" ] || die "no cluster in $dir (no url file)"
	printf 'export WENMING_TEST_PG=%q\nexport WENMING_PG_DIR=%q\n' "$(cat "$dir/url")" "$dir"
}

cluster_dir() {
	local dir=${WENMING_PG_DIR:-}
	[ -n "$dir" ] || die "WENMING_PG_DIR is not set (eval the output of \`$0 start\` first)"
	[ -d "$dir/data" ] || die "$dir holds no cluster"
	printf '%s\n' "$dir"
}

start() {
	[ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb not found: install postgresql (scripts/setup.sh)"
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		die "running as root needs the postgres user (Debian's postgresql package creates it)"
	fi
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/wenming-pg.XXXXXX")
	# The postgres user must reach the directory: its parent is the world-searchable tmp.
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
	as_owner "$PG_BIN/initdb" -D "$dir/data" --locale=C.UTF-8 -E UTF8 --auth=trust -U postgres \
		--no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
	# fsync, full_page_writes and synchronous_commit stay on (their defaults): the crash test
	# restarts this cluster with -m immediate and expects every acknowledged write back.
	cat >>"$dir/data/postgresql.conf" <<-EOF
		# scripts/pg-cluster.sh
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$dir'
		max_connections = 400
		shared_buffers = 64MB
		wal_level = minimal
		max_wal_senders = 0
		log_min_messages = warning
		log_line_prefix = '%m [%p] %d '
	EOF
	local port tries=0
	while :; do
		port=$(free_port)
		if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -w -t 60 start >/dev/null; then break; fi
		tries=$((tries + 1))
		if [ "$tries" -ge 5 ]; then tail -n 30 "$dir/log" >&2 || true; rm -rf "$dir"; die "cannot start PostgreSQL"; fi
	done
	echo "$port" >"$dir/port"
	echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
	print_env "$dir"
}

stop() {
	local dir
	dir=${WENMING_PG_DIR:-}
	[ -n "$dir" ] || die "WENMING_PG_DIR is not set"
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
			as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
	fi
	case "$dir" in
	*/wenming-pg.*) rm -rf "$dir" ;;
	*) die "refusing to remove $dir (not made by $0 start)" ;;
	esac
}

# The crash test: PostgreSQL itself dies (no checkpoint, no clean shutdown) and comes back.
restart_immediate() {
	local dir port
	dir=$(cluster_dir)
	port=$(cat "$dir/port")
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -m immediate -w -t 120 restart >/dev/null
}

case "${1:-}" in
start) start ;;
stop) stop ;;
env) print_env "$(cluster_dir)" ;;
restart-immediate) restart_immediate ;;
*) echo "usage: $0 start|stop|env|restart-immediate" >&2; exit 2 ;;
esac
