#!/usr/bin/env bash
# The fault tests (npm run test:faults): the Kafka broker restarted
# mid-stream (SIGTERM once, SIGKILL once), the same with the Pub/Sub
# emulator, and a consumer killed with SIGKILL. Against
# PRIVATE Kafka / Pub/Sub emulator
# processes on their own ports and temp folders (the shared backends of
# `npm run backends:up` serve PostgreSQL, in a schema per run, and the
# consumer-kill test's Kafka topic). Each test is bounded in time and stops
# what it started, also on failure. About 4 minutes on 2 cores.
# Results (counts, checksums, durations): stdout lines "FAULTS ..." and .local/faults/results.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
export METADATA_SERVER_DETECTION=none
# Backends that were all up before this run (a developer's) are left running afterwards.
started_here=1
if bash scripts/backends.sh status >/dev/null 2>&1; then started_here=0; fi
if ! bash scripts/backends.sh up; then echo "faults: backends failed to start; see the line above" >&2; exit 1; fi
cleanup() { if [ "$started_here" = 1 ] && [ "${HEXPROPERTY_KEEP_BACKENDS:-0}" != 1 ]; then bash scripts/backends.sh down || true; fi; }
trap cleanup EXIT
npx jest --ci -c runtime/test/faults/jest.config.js --runInBand "$@"
