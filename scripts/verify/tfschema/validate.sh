#!/usr/bin/env bash
# Offline `terraform validate` of synthesized stacks against schema-stub
# providers. See README.md. Usage:
#   scripts/verify/tfschema/validate.sh cdktf.out/stacks/<stack>...
#   scripts/verify/tfschema/validate.sh --setup
set -euo pipefail
exec node "$(dirname "${BASH_SOURCE[0]}")/validate.js" "$@"
