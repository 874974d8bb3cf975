#!/usr/bin/env bash
# One-time (idempotent) set-up of a Debian machine for gmmhmm: system packages, then npm ci.
# Fast when everything is already there (checks before it installs). Without root it prints
# the exact command to run and stops.
#
#   bash scripts/setup.sh [--no-browser]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# package -> a file that proves it is installed
declare -A PROBES=(
  [emscripten]=/usr/bin/emcc
  [libeigen3-dev]=/usr/include/eigen3/Eigen/Core
  [nlohmann-json3-dev]=/usr/include/nlohmann/json.hpp
  [cmake]=/usr/bin/cmake
  [g++]=/usr/bin/g++
  [make]=/usr/bin/make
  [libgtest-dev]=/usr/include/gtest/gtest.h
  [espeak-ng]=/usr/bin/espeak-ng
  [sox]=/usr/bin/sox
  [chromium]=/usr/bin/chromium
  # the second browser engine of tests/browser (driven by puppeteer-core over WebDriver BiDi)
  [firefox-esr]=/usr/bin/firefox-esr
  # a sound server with null sinks: Firefox's AudioContext and a file-fed microphone (tests/browser/pulse-microphone.js)
  [pulseaudio]=/usr/bin/pulseaudio
  [pulseaudio-utils]=/usr/bin/paplay
  [clang]=/usr/bin/clang++
  [libclang-rt-14-dev]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
)
missing=()
for pkg in "${!PROBES[@]}"; do
  [[ -e "${PROBES[$pkg]}" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: run as root:  apt-get update && $cmd" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # emscripten's Debian package needs its recommends (binaryen, llvm, lld, nodejs modules).
  apt-get install -y -qq ${missing[*]} >/dev/null
fi

# npm ci only when package-lock.json changed since the last install.
stamp="node_modules/.gmmhmm-lock-stamp"
lock_sum="$(sha1sum package-lock.json | cut -c1-40)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi
