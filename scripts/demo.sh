#!/usr/bin/env bash
# `make demo`: lint every integration against its fixtures, then run a sample lead through
# each one with --dry-run (the request it would send, secrets masked).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product leadrelay
bin="$(swift build --show-bin-path)/leadrelay"

echo
echo "== leadrelay check: every script against its recorded fixtures"
"$bin" check

for script in integrations/*.lua; do
    name="$(basename "$script" .lua)"
    params="samples/params/$name.json"
    [ -f "$params" ] || { echo "(no $params: skipping $name)"; continue; }
    echo
    echo "== leadrelay run $name --lead samples/lead.json --params $params --dry-run"
    "$bin" run "$name" --lead samples/lead.json --params "$params" --dry-run
done
