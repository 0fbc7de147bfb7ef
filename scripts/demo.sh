#!/usr/bin/env bash
# `make demo`: lint every integration against its fixtures, start the service (`leadrelay
# serve`, SQLite in a temporary folder), set up offers, routes, an affiliate and its key
# with the admin commands, start the network emulators (`leadrelay sandbox`, posting status
# changes back to the routes' postback addresses), post sample leads as the affiliate
# would, follow them until each is final and their stages come back (by polling and by
# postback), and print a summary per offer. Exits 0 only when every lead reached a final
# outcome and every accepted lead got a stage back.
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

# The sandbox starts once the routes exist (their postback addresses carry the routes'
# tokens); the routes need its address first, so its port is chosen now.
sandbox_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$sandbox_port"

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
# route OFFER INTEGRATION ARGS...: adds a route, prints one line, and leaves its postback
# address in $postback.
route() {
    local offer="$1" integration="$2"
    shift 2
    local token
    token="$(admin route add --offer "$offer" --integration "$integration" "$@" --format json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["postback_token"])')"
    postback="$service/postback/$integration/$token"
    echo "   offer $offer: route through $integration, postback address /postback/$integration/<token>"
}
irev_params=(--param "base_url=$base/irev" --param api_token=sandbox-irev-token --param affiliate_id=2 --param offer_id=1)
trackbox_params=(--param "base_url=$base/trackbox" --param username=sandbox --param password=sandbox-trackbox-password
    --param api_key=sandbox-trackbox-push-key --param pull_api_key=sandbox-trackbox-pull-key --param ai=1 --param gi=1)

echo
echo "== leadrelay offer / route / affiliate / key: ops set up one offer per network and a rotation"
echo "   statuses: Clixnow and AlterCPA post back (no polling); IREV and Trackbox are polled every 2 s"
admin offer create --id clixnow --name "Crypto DE via Clixnow" > /dev/null
route clixnow clixnow --param "base_url=$base/clixnow/api/system/v1" --param api_token=sandbox-clixnow-token \
    --status-checks none
clixnow_postback="$postback"
admin offer create --id irev --name "Crypto DE via IREV" > /dev/null
route irev irev "${irev_params[@]}" --status-checks processing --status-every 2s
admin offer create --id trackbox --name "Crypto DE via Trackbox" > /dev/null
route trackbox trackbox "${trackbox_params[@]}" --status-checks processing --status-every 2s
admin offer create --id altercpa --name "Crypto DE via AlterCPA" > /dev/null
route altercpa altercpa --param "base_url=$base/altercpa" --param api_key=1-sandboxkey --param offer_id=1 --status-checks none
altercpa_postback="$postback"
admin offer create --id rotation --name "Crypto DE, IREV first then Trackbox" > /dev/null
route rotation irev --priority 1 "${irev_params[@]}" --status-checks processing --status-every 2s
route rotation trackbox --priority 2 "${trackbox_params[@]}" --status-checks processing --status-every 2s
admin affiliate create --id media-buyer --name "Media Buyer" > /dev/null
admin affiliate grant media-buyer --offer clixnow --offer irev --offer trackbox --offer altercpa --offer rotation > /dev/null
token="$(admin key create --affiliate media-buyer --permissions leads:create,leads:read --allow 127.0.0.1 --format json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
echo "   affiliate media-buyer has a key (shown once; the store keeps only its SHA-256)"

echo
echo "== leadrelay sandbox: emulators of Clixnow, IREV, Trackbox and AlterCPA on loopback"
echo "   (IREV's caps fill after 8 leads: it then answers ROTATION_ERROR, which irev.lua reads as cap_reached;"
echo "   a lead says no answer after 2 s and deposits, or turns the offer down, after 6 s)"
"$bin" sandbox --port "$sandbox_port" --irev-cap 8 --timeline 2,6 \
    --postback-url "clixnow=$clixnow_postback" --postback-url "altercpa=$altercpa_postback" > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
wait_for "$work/sandbox.log" "^LeadRelay sandbox on" "$sandbox_pid"
echo "   $base"

echo
echo "== the affiliate posts leads (POST /api/v1/leads, 202 once on disk) and follows them"
echo "   clixnow: 5 leads, one e-mail address twice (the network rejects the second as a duplicate);"
echo "   irev, trackbox, altercpa: 4 each; rotation: 10, once the others are final: IREV takes 4 more,"
echo "   then its caps are full and the rest fall through to Trackbox. One lead each of clixnow and trackbox"
echo "   is one the network turns down later (\"+reject\" in its e-mail address): stage cancel."
echo "   Two more AlterCPA leads are registered synchronously (?wait=10): the answer carries the login URL."
echo "   Then the stages come back: approve (deposited) or cancel, by postback or by polling."
python3 scripts/demo_traffic.py "$service" "$token" '[
  {"offer": "clixnow", "count": 5, "duplicate": true, "reject": 1},
  {"offer": "irev", "count": 4},
  {"offer": "altercpa", "count": 2, "sync": true},
  {"offer": "trackbox", "count": 4, "reject": 1},
  {"offer": "altercpa", "count": 4},
  {"offer": "rotation", "count": 10, "after_previous": true}
]' 60

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
