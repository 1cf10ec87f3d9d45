#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: installs the Debian packages
# the build, the demo and the tests need (only those missing), then the browser
# libraries from package-lock.json with `npm ci`. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(
  build-essential pkg-config meson ninja-build python3
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev zlib1g-dev
  libcmocka-dev sqlite3 libvips-dev libmagic-dev libexif-dev libxml2-dev libxlsxwriter-dev
  libopencc-dev libopencc-data
  libqrencode-dev libical-dev libcairo2-dev libpango1.0-dev libzip-dev
  nodejs npm chromium fonts-noto-cjk
  python3-icalendar
  libcurl4-openssl-dev
  clang libclang-rt-14-dev
  wrk time
  nginx
  postgresql postgresql-contrib libpq-dev
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere on the image; do not fight them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
if [ "${#want[@]}" -gt 0 ]; then
  echo "setup: installing ${want[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # nginx (the benchmark's reference, started by bench/ with its own config on
  # a free port) must not start as a system service on port 80 when installed, nor
  # PostgreSQL's system cluster on 5432 (the tests start their own, scripts/pg-cluster.sh):
  # a policy-rc.d that denies service starts, unless the image already has one.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy"
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  if [ -n "$policy" ]; then $SUDO rm -f "$policy"; fi
fi

# Browser libraries (embedded into the binary at build time) and the test drivers.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
