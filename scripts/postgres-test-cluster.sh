#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, on loopback only.
#
#   scripts/postgres-test-cluster.sh start DIR   initdb into DIR, start it on a free port,
#                                                print its URL (postgres://...) on stdout
#   scripts/postgres-test-cluster.sh stop DIR    stop it and delete DIR
#   scripts/postgres-test-cluster.sh run CMD...  start one in a new temporary directory, run
#                                                CMD with LEADRELAY_TEST_POSTGRES_URL set, stop
#                                                it whatever CMD did; exit with CMD's status
#
# The server runs as an unprivileged user when started as root (initdb refuses root): the
# `postgres` user Debian's package creates, else `nobody`. It listens on 127.0.0.1 and on a
# socket in DIR, with password (SCRAM) authentication for the role `leadrelay`, fsync off
# (a test cluster: nothing in it outlives the run).
set -eu

bindir() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
    echo "postgres-test-cluster: no PostgreSQL server found (Debian: apt-get install postgresql)" >&2
    exit 3
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        owner=postgres; id postgres >/dev/null 2>&1 || owner=nobody
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
    dir=$1; bin=$(bindir)
    mkdir -p "$dir"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" > "$dir/pwfile"
    if [ "$(id -u)" = 0 ]; then
        owner=postgres; id postgres >/dev/null 2>&1 || owner=nobody
        chown -R "$owner" "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U leadrelay --pwfile="$dir/pwfile" -A scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U leadrelay leadrelay
    echo "$port" > "$dir/port"
    echo "postgres://leadrelay:$password@127.0.0.1:$port/leadrelay"
}

stop() {
    dir=$1
    [ -d "$dir/data" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" ;;
stop) stop "$2" ;;
run)
    shift
    dir=$(mktemp -d /tmp/leadrelay-pg.XXXXXX)
    trap 'stop "$dir"' EXIT INT TERM
    url=$(start "$dir")
    echo "postgres-test-cluster: PostgreSQL on 127.0.0.1:$(cat "$dir/port") for the tests" >&2
    status=0
    LEADRELAY_TEST_POSTGRES_URL=$url "$@" || status=$?
    exit $status
    ;;
*) echo "usage: $0 start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
