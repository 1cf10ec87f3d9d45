#!/usr/bin/env bash
# Set up (Debian packages, npm ci), build, and run the demo street on the
# embedded database. Usage: scripts/demo.sh [DATA_DIR] [HOST:PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build wenming
exec ./build/wenming demo --data "${1:-./demo-data}" --listen "${2:-127.0.0.1:8080}"
