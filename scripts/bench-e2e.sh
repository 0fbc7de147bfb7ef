#!/bin/sh
# `make bench-e2e` (issue 12, 13b; docs/performance.md): leads per second from the POST to
# an accepted outcome stored, through integrations/irev.lua to an instant loopback target.
# Each run: `leadrelay-bench e2e-target DIR` serves an instant IREV on loopback and seeds a
# fresh store (an offer whose one route is irev.lua pointed at it); `leadrelay serve`
# (release build, scripts may reach 127.0.0.0/8) runs on that store; wrk posts LEADS
# distinct leads over CONNECTIONS connections; `leadrelay-bench e2e-wait DIR` waits until
# every stored lead has a final outcome. Prints one line per run:
#   e2e leads=N seconds=... leads_per_s=... accepted=... not_accepted=... post_seconds=... post_leads_per_s=... p99_ms=... non_202=... socket_errors=... server_cpu_us_per_lead=... write_bytes_per_lead=...
# seconds: from the first lead received to the last final outcome written; post_seconds:
# from the first lead received to the last (the posts alone); both the store's times.
# server_cpu_us_per_lead: the server's user and system CPU from wrk's start to the last final
# outcome, over the leads stored; write_bytes_per_lead: its /proc/PID/io write_bytes the same way.
# Environment: RUNS (3), LEADS (50000), CONNECTIONS (64), THREADS (wrk's, 2), BIN (.build/release),
# KEEP=1 keeps each run's folder; PERF_RECORD=FILE records the server's call graphs over the
# last run (perf record -g) into FILE. Run from the package root after the release build.
set -eu
RUNS=${RUNS:-3}
LEADS=${LEADS:-50000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BIN=${BIN:-.build/release}
cd "$(dirname "$0")/.."
for tool in "$BIN/leadrelay" "$BIN/leadrelay-bench"; do
    [ -x "$tool" ] || { echo "bench-e2e: $tool is missing; build it with swift build -c release" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "bench-e2e: wrk is missing (apt-get install wrk, or make bench-deps)" >&2; exit 2; }

# wait_for FILE SED-EXPRESSION: what the expression prints from FILE, waiting up to 10 s.
wait_for() {
    for _ in $(seq 1 100); do
        found=$(sed -n "$2" "$1" 2>/dev/null)
        [ -n "$found" ] && { echo "$found"; return 0; }
        sleep 0.1
    done
    return 1
}

# cpu_ticks PID: the user and system CPU time PID has used so far, in clock ticks.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# io_write_bytes PID: the bytes PID has sent to the storage layer so far (/proc/PID/io).
io_write_bytes() { awk '/^write_bytes:/ { print $2 }' "/proc/$1/io"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

status=0
run=1
while [ "$run" -le "$RUNS" ]; do
    dir=$(mktemp -d /tmp/lrbench-e2e.XXXXXX)
    "$BIN/leadrelay-bench" e2e-target "$dir" >"$dir/target.out" 2>"$dir/target.err" &
    target=$!
    if ! wait_for "$dir/target.out" 's/^target //p' >/dev/null; then
        echo "bench-e2e: the target did not start:" >&2; cat "$dir/target.err" >&2
        kill "$target" 2>/dev/null || true; exit 1
    fi
    token=$(cat "$dir/token")
    LEADRELAY_STORE_PATH="$dir/leadrelay.sqlite" LEADRELAY_SECRETS_KEY_FILE="$dir/leadrelay.key" \
        LEADRELAY_HTTP_PORT=0 LEADRELAY_INTEGRATIONS_RELOAD_SECONDS=0 LEADRELAY_LOG_LEVEL=warning \
        LEADRELAY_EGRESS_SCRIPTS_ALLOW=127.0.0.0/8 \
        "$BIN/leadrelay" serve >"$dir/serve.out" 2>"$dir/serve.err" &
    pid=$!
    if ! port=$(wait_for "$dir/serve.out" 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p'); then
        echo "bench-e2e: leadrelay serve did not start:" >&2; cat "$dir/serve.err" >&2
        kill "$pid" "$target" 2>/dev/null || true; exit 1
    fi
    # wrk's threads stop after their share, but wrk itself only at the end of its -d or
    # at SIGINT: it is stopped once e2e-wait has found every lead stored and final.
    cpu_before=$(cpu_ticks "$pid")
    written_before=$(io_write_bytes "$pid")
    recorder=""
    if [ -n "${PERF_RECORD:-}" ] && [ "$run" -eq "$RUNS" ]; then
        perf record -q -g -p "$pid" -o "$PERF_RECORD" >/dev/null 2>&1 &
        recorder=$!
    fi
    wrk -t"$THREADS" -c"$CONNECTIONS" -d600s --latency -s scripts/bench-e2e.lua \
        "http://127.0.0.1:$port/api/v1/leads" -- "$token" "$LEADS" "$THREADS" >"$dir/wrk.out" 2>&1 &
    load=$!
    waited=$("$BIN/leadrelay-bench" e2e-wait "$dir" "$LEADS") || { echo "bench-e2e: e2e-wait failed" >&2; status=1; waited=""; }
    cpu=$(($(cpu_ticks "$pid") - cpu_before))
    written=$(($(io_write_bytes "$pid") - written_before))
    if [ -n "$recorder" ]; then kill -INT "$recorder"; wait "$recorder" || true; fi
    kill -INT "$load" 2>/dev/null || true
    wait "$load" || true
    kill -TERM "$pid"
    wait "$pid" || { echo "bench-e2e: leadrelay serve exited $?:" >&2; cat "$dir/serve.err" >&2; status=1; }
    kill -TERM "$target"
    wait "$target" 2>/dev/null || true
    summary=$(grep '^wrk ' "$dir/wrk.out" || { cat "$dir/wrk.out" >&2; exit 1; })
    echo "$summary $waited" | awk -v cpu="$cpu" -v hz="$TICKS_PER_SECOND" -v written="$written" '
        {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            seconds = v["last_final"] - v["first_received"]
            posting = v["last_received"] - v["first_received"]
            rate = seconds > 0 ? v["accepted"] / seconds : 0
            post_rate = posting > 0 ? v["leads"] / posting : 0
            cpu_per = v["leads"] > 0 ? cpu / hz * 1e6 / v["leads"] : 0
            written_per = v["leads"] > 0 ? written / v["leads"] : 0
            printf "e2e leads=%d seconds=%.2f leads_per_s=%.0f accepted=%d not_accepted=%d post_seconds=%.2f post_leads_per_s=%.0f p99_ms=%.1f non_202=%d socket_errors=%d server_cpu_us_per_lead=%.0f write_bytes_per_lead=%.0f\n",
                v["leads"], seconds, rate, v["accepted"], v["leads"] - v["accepted"], posting, post_rate,
                v["p99_us"] / 1000, v["non_202"], v["socket_errors"], cpu_per, written_per
            # Every acknowledged lead must be stored and end accepted (the target accepts all).
            if (v["leads"] < v["acknowledged"] || v["open"] > 0 || v["accepted"] != v["leads"]) {
                printf "bench-e2e: %d leads stored, %d accepted, %d not final, for %d acknowledged\n", v["leads"], v["accepted"], v["open"], v["acknowledged"] > "/dev/stderr"; exit 1
            }
        }' || status=1
    [ "${KEEP:-0}" = 1 ] && echo "  (kept $dir)" || rm -rf "$dir"
    run=$((run + 1))
done
exit $status
