#!/usr/bin/env bash
# Grammar, snapshot and client tests of the VS Code extension, as CI runs them.
set -euo pipefail
cd "$(dirname "$0")" && npm ci --no-audit --no-fund && npm test
