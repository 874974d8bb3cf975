#!/usr/bin/env bash
# `npm test`: set-up, build, then every suite. A failing suite does not stop the others; the
# summary at the end lists them and the exit status is non-zero if any failed.
#   native    CTest (GoogleTest), Release build
#   asan      the same tests built with AddressSanitizer + UBSan (build/asan)
#   fuzz      each libFuzzer target of fuzz/: seed corpus + 3,000 seeded mutations (scripts/fuzz.sh)
#   node      node --test tests/node/   (the package through its public name)
#   server    node --test tests/server/ (the dev server: each red-team finding, and a seeded fuzz)
#   browser   node --test tests/browser/ (Chromium via playwright-core; the package suite and the
#             demo's non-microphone tests also in Firefox ESR via puppeteer-core, engines.js)
#   consumer  node --test tests/consumer/ (the packed package in fresh folders: Node, CommonJS,
#             TypeScript, and Vite, webpack, esbuild, Rollup and an import map in Chromium;
#             installs those tools itself into build/consumer/)
# The suites `node --test` runs are watched by scripts/watchdog.sh: one whose processes have
# used no CPU and printed nothing for 180 s is stuck; it is ended with every process's stacks
# printed, and run once more (the summary names it either way).
# GMMHMM_SKIP_ASAN=1 skips the sanitizer build (it doubles the native build time);
# GMMHMM_SKIP_FUZZ=1 skips the fuzzers; GMMHMM_FUZZ_RUNS sets their seeded mutations per target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${GMMHMM_BUILD_DIR:-$ROOT/build}"
JOBS="${GMMHMM_JOBS:-2}"
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

failed=()
stuck=()
declare -A took
start=$SECONDS
bash scripts/setup.sh
bash scripts/build.sh all
took[setup+build]=$((SECONDS - start))
run() { # name command...
  local name="$1" start=$SECONDS
  shift
  echo "test: == $name ==" >&2
  if ! "$@"; then failed+=("$name"); fi
  took[$name]=$((SECONDS - start))
}

watched() { # name command...
  local name="$1" status=0
  shift
  bash scripts/watchdog.sh 180 "$@" || status=$?
  if ((status == 124)); then
    stuck+=("$name")
    echo "test: $name was stuck (its processes' stacks are above); running it once more" >&2
    status=0
    bash scripts/watchdog.sh 180 "$@" || status=$?
  fi
  return "$status"
}

asan() {
  if [[ ! -f "$BUILD/asan/CMakeCache.txt" ]]; then
    # Debug: assertions (Eigen's bounds checks included) stay on; CMakeLists.txt sets -O1.
    cmake -S "$ROOT" -B "$BUILD/asan" -DCMAKE_BUILD_TYPE=Debug -DGMMHMM_SANITIZE=ON >/dev/null
  fi
  cmake --build "$BUILD/asan" -j "$JOBS" --target gmmhmm_tests &&
    ctest --test-dir "$BUILD/asan" --output-on-failure -j "$JOBS"
}

run native ctest --test-dir "$BUILD/native" --output-on-failure -j "$JOBS"
if [[ "${GMMHMM_SKIP_ASAN:-}" != 1 ]]; then run asan asan; fi
if [[ "${GMMHMM_SKIP_FUZZ:-}" != 1 ]]; then
  # Deterministic: the seed corpus (reproducers of every fixed finding) plus a fixed number of
  # seeded mutations (scripts/fuzz.sh, GMMHMM_FUZZ_RUNS). Long exploratory runs: scripts/fuzz.sh.
  # (With GMMHMM_FUZZ_RUNS set, fuzz.sh takes no time budget.)
  run fuzz env GMMHMM_FUZZ_DIR="$BUILD/fuzz" GMMHMM_JOBS="$JOBS" GMMHMM_FUZZ_RUNS="${GMMHMM_FUZZ_RUNS:-3000}" \
    bash scripts/fuzz.sh
fi
run node watched node node --test tests/node/
run server watched server node --test tests/server/
run samples bash scripts/make-samples.sh
run browser watched browser node --test tests/browser/
run consumer watched consumer node --test tests/consumer/

echo "test: summary" >&2
for name in "${!took[@]}"; do echo "test:   $name ${took[$name]} s" >&2; done
if ((${#stuck[@]})); then echo "test: STUCK once (see the watchdog's stacks): ${stuck[*]}" >&2; fi
if ((${#failed[@]})); then
  echo "test: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test: all suites passed" >&2
