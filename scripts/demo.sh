#!/usr/bin/env bash
# `make demo`: lint every integration against its fixtures, show the request each one
# would send (--dry-run), then start the network emulators (`leadrelay sandbox`) and send the
# sample lead through every script for real, followed by a status check.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product leadrelay
bin="$(swift build --show-bin-path)/leadrelay"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo
echo "== leadrelay check: every script against its recorded fixtures"
"$bin" check

echo
echo "== leadrelay run <integration> --dry-run: the request each script builds (secrets masked)"
for script in integrations/*.lua; do
    name="$(basename "$script" .lua)"
    [ -f "samples/params/$name.json" ] || continue
    echo "-- $name"
    "$bin" run "$name" --lead samples/lead.json --params "samples/params/$name.json" --dry-run
done

echo
echo "== leadrelay sandbox: emulators of Clixnow, IREV, Trackbox and AlterCPA on loopback"
"$bin" sandbox --port 0 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do
    grep -q "^LeadRelay sandbox on" "$work/sandbox.log" 2>/dev/null && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log"; exit 1; }
    sleep 0.1
done
cat "$work/sandbox.log"
base="$(sed -n 's/^LeadRelay sandbox on \(http:[^ ]*\).*/\1/p' "$work/sandbox.log")"
[ -n "$base" ] || { echo "the sandbox did not start"; exit 1; }

cat > "$work/clixnow.json" <<JSON
{"base_url": "$base/clixnow/api/system/v1", "api_token": "sandbox-clixnow-token"}
JSON
cat > "$work/irev.json" <<JSON
{"base_url": "$base/irev", "api_token": "sandbox-irev-token", "affiliate_id": "2", "offer_id": "1"}
JSON
cat > "$work/trackbox.json" <<JSON
{"base_url": "$base/trackbox", "username": "sandbox", "password": "sandbox-trackbox-password",
 "api_key": "sandbox-trackbox-push-key", "pull_api_key": "sandbox-trackbox-pull-key", "ai": "1", "gi": "1"}
JSON
cat > "$work/altercpa.json" <<JSON
{"base_url": "$base/altercpa", "api_key": "1-sandboxkey", "offer_id": "1"}
JSON
today="$(date -u +%Y-%m-%d)"
cat > "$work/range.json" <<JSON
{"from": "${today}T00:00:00Z", "to": "${today}T23:59:59Z"}
JSON

for name in clixnow irev trackbox altercpa; do
    echo
    echo "== leadrelay run $name (live, against the sandbox): push the sample lead"
    "$bin" run "$name" --lead samples/lead.json --params "$work/$name.json"
    echo
    echo "== leadrelay run $name --action status --check range: today's leads and their statuses"
    "$bin" run "$name" --action status --check range --lead "$work/range.json" --params "$work/$name.json"
done

echo
echo "Demo done: every script linted, its request shown, a lead delivered and its status read back."
