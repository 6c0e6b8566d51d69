#!/usr/bin/env bash
# Developer tools the test suite uses, built from the Go module proxy into
# ~/.cache/hexproperty/bin (outside the clone) when missing; a second run is a
# no-op. Called by scripts/test.sh (npm test), so a fresh machine gets them by
# itself. Today: actionlint (checks .github/workflows; test/delivery/workflows.test.ts).
# A tool that cannot be had prints one WARNING line and its test is skipped (jest
# reports it), rather than failing the whole run for a linter.
set -euo pipefail
ACTIONLINT_VERSION="v1.7.12"   # github.com/rhysd/actionlint, served by the Go module proxy
BIN="${HEXPROPERTY_CACHE:-$HOME/.cache/hexproperty}/bin"   # the cache every script uses (HEXPROPERTY_CACHE)
export PATH="$PATH:/usr/local/go/bin"

have_version() { [[ -x "$BIN/actionlint" ]] && [[ "$("$BIN/actionlint" -version 2>/dev/null | head -1)" == "$ACTIONLINT_VERSION" ]]; }

if have_version; then
  echo "tools: actionlint $ACTIONLINT_VERSION cached in $BIN"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "tools: WARNING: no Go toolchain (looked on PATH and in /usr/local/go/bin); actionlint not built, its test is skipped" >&2
  exit 0
fi
mkdir -p "$BIN"
log="$BIN/actionlint-build.log"
echo "tools: building actionlint $ACTIONLINT_VERSION from the Go module proxy into $BIN (about a minute the first time)"
if GOTOOLCHAIN=local GOFLAGS= GOBIN="$BIN" CGO_ENABLED=0 go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >"$log" 2>&1 && have_version; then
  echo "tools: actionlint $ACTIONLINT_VERSION ready"
else
  echo "tools: WARNING: could not build actionlint $ACTIONLINT_VERSION ($(tail -1 "$log" 2>/dev/null | cut -c1-200)); its test is skipped; log: $log" >&2
fi
