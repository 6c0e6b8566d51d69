#!/usr/bin/env bash
# The one test command (README: `npm test`; `.ci/run` calls it too).
# Type-checks, builds the test tools (scripts/tools.sh), starts the real local backends, runs the whole jest suite,
# and stops the backends again, also when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
# Google clients must never probe the GCE metadata server from tests (see test/setup.ts).
export METADATA_SERVER_DETECTION=none

echo "==> type check (tsc --noEmit, strict)"
npx tsc -p tsconfig.json --noEmit

echo "==> tools (scripts/tools.sh: actionlint, built once into ~/.cache/hexproperty/bin)"
bash scripts/tools.sh

echo "==> starting local backends (scripts/backends.sh up)"
# Backends that were all up before this run (a developer's) are left running afterwards.
started_here=1
if bash scripts/backends.sh status >/dev/null 2>&1; then started_here=0; fi
if ! bash scripts/backends.sh up; then echo "backends failed to start; see the line above" >&2; exit 1; fi
cleanup() { if [ "$started_here" = 1 ] && [ "${HEXPROPERTY_KEEP_BACKENDS:-0}" != 1 ]; then bash scripts/backends.sh down || true; fi; }
trap cleanup EXIT

echo "==> jest"
npx jest --ci "$@"
