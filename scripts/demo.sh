#!/usr/bin/env bash
# `make demo`: lint every integration against its fixtures, start the network emulators
# (`leadrelay sandbox`) and the service (`leadrelay serve`, SQLite in a temporary folder),
# set up offers, routes, an affiliate and its key with the admin commands, post sample
# leads as the affiliate would, follow them until each is final, and print a summary per
# offer. Exits 0 only when every lead reached a final outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

swift build --product leadrelay
bin="$(swift build --show-bin-path)/leadrelay"
work="$(mktemp -d)"
sandbox_pid=""
serve_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# wait_for FILE PATTERN PID: until FILE has a line matching PATTERN (or PID died).
wait_for() {
    for _ in $(seq 1 300); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || { cat "$1"; return 1; }
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1"; return 1
}

echo
echo "== leadrelay check: every script against its recorded fixtures"
"$bin" check

echo
echo "== leadrelay sandbox: emulators of Clixnow, IREV, Trackbox and AlterCPA on loopback"
echo "   (IREV's caps fill after 8 leads: it then answers ROTATION_ERROR, which irev.lua reads as cap_reached)"
"$bin" sandbox --port 0 --irev-cap 8 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
wait_for "$work/sandbox.log" "^LeadRelay sandbox on" "$sandbox_pid"
base="$(sed -n 's/^LeadRelay sandbox on \(http:[^ ]*\).*/\1/p' "$work/sandbox.log")"
echo "   $base"

echo
echo "== leadrelay serve: SQLite in $work, scripts from integrations/, egress to 127.0.0.0/8 allowed"
(
    cd "$work"
    LEADRELAY_HTTP_PORT=0 LEADRELAY_INTEGRATIONS_DIRECTORY="$root/integrations" \
        LEADRELAY_EGRESS_SCRIPTS_ALLOW=127.0.0.0/8 LEADRELAY_LOG_LEVEL=warning \
        exec "$bin" serve > "$work/serve.out" 2> "$work/serve.log"
) &
serve_pid=$!
wait_for "$work/serve.out" "listening on" "$serve_pid" || { cat "$work/serve.log"; exit 1; }
service="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out")"
echo "   $service (health: $(python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$service/health"))"

admin() { "$bin" "$@" --store "$work/leadrelay.sqlite" --key-file "$work/leadrelay.key" --integrations "$root/integrations"; }

echo
echo "== leadrelay offer / route / affiliate / key: ops set up one offer per network and a rotation"
admin offer create --id clixnow --name "Crypto DE via Clixnow" > /dev/null
admin route add --offer clixnow --integration clixnow \
    --param "base_url=$base/clixnow/api/system/v1" --param api_token=sandbox-clixnow-token
admin offer create --id irev --name "Crypto DE via IREV" > /dev/null
admin route add --offer irev --integration irev \
    --param "base_url=$base/irev" --param api_token=sandbox-irev-token --param affiliate_id=2 --param offer_id=1
admin offer create --id trackbox --name "Crypto DE via Trackbox" > /dev/null
admin route add --offer trackbox --integration trackbox \
    --param "base_url=$base/trackbox" --param username=sandbox --param password=sandbox-trackbox-password \
    --param api_key=sandbox-trackbox-push-key --param pull_api_key=sandbox-trackbox-pull-key --param ai=1 --param gi=1
admin offer create --id altercpa --name "Crypto DE via AlterCPA" > /dev/null
admin route add --offer altercpa --integration altercpa \
    --param "base_url=$base/altercpa" --param api_key=1-sandboxkey --param offer_id=1
admin offer create --id rotation --name "Crypto DE, IREV first then Trackbox" > /dev/null
admin route add --offer rotation --integration irev --priority 1 \
    --param "base_url=$base/irev" --param api_token=sandbox-irev-token --param affiliate_id=2 --param offer_id=1
admin route add --offer rotation --integration trackbox --priority 2 \
    --param "base_url=$base/trackbox" --param username=sandbox --param password=sandbox-trackbox-password \
    --param api_key=sandbox-trackbox-push-key --param pull_api_key=sandbox-trackbox-pull-key --param ai=1 --param gi=1
admin affiliate create --id media-buyer --name "Media Buyer" > /dev/null
admin affiliate grant media-buyer --offer clixnow --offer irev --offer trackbox --offer altercpa --offer rotation > /dev/null
token="$(admin key create --affiliate media-buyer --permissions leads:create,leads:read --allow 127.0.0.1 --format json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
echo "   affiliate media-buyer has a key (shown once; the store keeps only its SHA-256)"

echo
echo "== the affiliate posts leads (POST /api/v1/leads, 202 once on disk) and follows them"
echo "   clixnow: 5 leads, one e-mail address twice (the network rejects the second as a duplicate);"
echo "   irev, trackbox, altercpa: 4 each; rotation: 10, once the others are final: IREV takes 4 more,"
echo "   then its caps are full and the rest fall through to Trackbox"
python3 scripts/demo_traffic.py "$service" "$token" '[
  {"offer": "clixnow", "count": 5, "duplicate": true},
  {"offer": "irev", "count": 4},
  {"offer": "trackbox", "count": 4},
  {"offer": "altercpa", "count": 4},
  {"offer": "rotation", "count": 10, "after_previous": true}
]'

echo
echo "== /metrics (excerpt): IREV's cap_reached answers are the rotation's leads that went on to Trackbox"
python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" "$service/metrics" \
    | grep -E '^leadrelay_(attempts_total|leads_received_total|leads_waiting)' | sort

echo
echo "== stopping the service (SIGTERM: graceful, exit 0)"
kill -TERM "$serve_pid"
wait "$serve_pid"
serve_pid=""
echo
echo "Demo done: every lead posted reached a final outcome through the real scripts."
