#!/usr/bin/env bash
# `npm start`: set-up, build, synthesise the demo's sample set, then serve the demo on
# 127.0.0.1 (a free port unless PORT is set) and print its address.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh wasm   # the demo needs only the WebAssembly builds
bash scripts/make-samples.sh
exec node scripts/serve.js --no-build "$@"
