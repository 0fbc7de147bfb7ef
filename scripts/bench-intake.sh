#!/bin/sh
# `make bench-intake` (issue 12, 13a and 13c; docs/performance.md): `leadrelay serve`
# (release build) on a fresh store in a temporary folder, wrk posting distinct leads over
# CONNECTIONS connections for SECONDS, then the leads counted on disk. Prints one line per run:
#   intake connections=64 leads_per_s=... p50_ms=... p99_ms=... non_202=... socket_errors=...
#          acknowledged=... on_disk=... server_cpu_us_per_lead=... write_bytes_per_lead=... db_bytes=... wal_bytes=...
# Environment: RUNS (3), DURATION (seconds, 10), CONNECTIONS (64), THREADS (wrk's, 2), BIN (.build/release),
# KEEP=1 keeps each run's folder. Run from the package root after the release build.
set -eu
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BIN=${BIN:-.build/release}
cd "$(dirname "$0")/.."
for tool in "$BIN/leadrelay" "$BIN/leadrelay-bench"; do
    [ -x "$tool" ] || { echo "bench-intake: $tool is missing; build it with swift build -c release" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "bench-intake: wrk is missing (apt-get install wrk, or make bench-deps)" >&2; exit 2; }

# io_write_bytes PID: the bytes PID has sent to the storage layer so far (/proc/PID/io).
io_write_bytes() { awk '/^write_bytes:/ { print $2 }' "/proc/$1/io"; }
# cpu_ticks PID: the user and system CPU time PID has used so far, in clock ticks.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

status=0
run=1
while [ "$run" -le "$RUNS" ]; do
    dir=$(mktemp -d /tmp/lrbench-intake.XXXXXX)
    token=$("$BIN/leadrelay-bench" intake-seed "$dir")
    # The store and key the seed wrote; a free port; no script reloading; warnings only,
    # so a line per lead (each ends `error`, its offer has no route) is not what is measured.
    LEADRELAY_STORE_PATH="$dir/leadrelay.sqlite" LEADRELAY_SECRETS_KEY_FILE="$dir/leadrelay.key" \
        LEADRELAY_HTTP_PORT=0 LEADRELAY_INTEGRATIONS_RELOAD_SECONDS=0 LEADRELAY_LOG_LEVEL=warning \
        "$BIN/leadrelay" serve >"$dir/serve.out" 2>"$dir/serve.err" &
    pid=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$dir/serve.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "bench-intake: leadrelay serve did not start:" >&2; cat "$dir/serve.err" >&2
        kill "$pid" 2>/dev/null || true; exit 1
    fi
    before=$(io_write_bytes "$pid")
    cpu_before=$(cpu_ticks "$pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s scripts/bench-intake.lua \
        "http://127.0.0.1:$port/api/v1/leads" -- "$token" "$run" >"$dir/wrk.out" 2>&1 || true
    after=$(io_write_bytes "$pid")
    cpu_after=$(cpu_ticks "$pid")
    kill -TERM "$pid"
    wait "$pid" || { echo "bench-intake: leadrelay serve exited $?:" >&2; cat "$dir/serve.err" >&2; status=1; }
    summary=$(grep '^wrk ' "$dir/wrk.out" || { cat "$dir/wrk.out" >&2; exit 1; })
    counted=$("$BIN/leadrelay-bench" intake-count "$dir")
    echo "$summary $counted" | awk -v c="$CONNECTIONS" -v written=$((after - before)) -v cpu=$((cpu_after - cpu_before)) -v hz="$TICKS_PER_SECOND" '
        {
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            per = v["accepted"] > 0 ? written / v["accepted"] : 0
            cpu_per = v["accepted"] > 0 ? cpu / hz * 1e6 / v["accepted"] : 0
            printf "intake connections=%d leads_per_s=%.0f p50_ms=%.2f p99_ms=%.2f non_202=%d socket_errors=%d acknowledged=%d on_disk=%d server_cpu_us_per_lead=%.0f write_bytes_per_lead=%.0f db_bytes=%d wal_bytes=%d\n",
                c, v["accepted"] / v["seconds"], v["p50_us"] / 1000, v["p99_us"] / 1000, v["non_202"], v["socket_errors"],
                v["accepted"], v["leads"], cpu_per, per, v["db_bytes"], v["wal_bytes"]
            # Every acknowledged lead must be on disk. Requests still in flight when wrk
            # stops may be stored without their 202 being counted: at most one per connection.
            if (v["leads"] < v["accepted"] || v["leads"] > v["accepted"] + c) {
                printf "bench-intake: %d leads on disk for %d acknowledged\n", v["leads"], v["accepted"] > "/dev/stderr"; exit 1
            }
        }' || status=1
    [ "${KEEP:-0}" = 1 ] && echo "  (kept $dir)" || rm -rf "$dir"
    run=$((run + 1))
done
exit $status
