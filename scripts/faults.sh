#!/usr/bin/env bash
# The fault tests (npm run test:faults): brokers restarted mid-stream and a
# consumer killed with SIGKILL, against PRIVATE Kafka / Pub/Sub emulator
# processes on their own ports and temp folders (the shared backends of
# `npm run backends:up` are only used for PostgreSQL, in a schema per run).
# Each test is bounded in time and stops what it started, also on failure.
# Results (counts, checksums, durations): stdout lines "FAULTS ..." and .local/faults/results.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
export METADATA_SERVER_DETECTION=none
if ! bash scripts/backends.sh up; then echo "faults: backends failed to start; see the line above" >&2; exit 1; fi
exec npx jest --ci -c runtime/test/faults/jest.config.js --runInBand "$@"
