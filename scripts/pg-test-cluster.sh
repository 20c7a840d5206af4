#!/usr/bin/env bash
# Throwaway PostgreSQL + PostGIS cluster for the test suite (see docs: environment.md).
#
#   scripts/pg-test-cluster.sh start        start a cluster; print `export ...` lines on stdout
#                                           (eval "$(scripts/pg-test-cluster.sh start)")
#   scripts/pg-test-cluster.sh stop         stop the cluster started by `start`, remove its data
#   scripts/pg-test-cluster.sh status       show the cluster recorded for the port, if any
#   scripts/pg-test-cluster.sh run -- CMD   start, run CMD with TEST_DATABASE_URL set, stop
#
# Environment: PG_TEST_PORT (default 55432), PG_TEST_DB (default keob_test),
# PG_TEST_STATE_DIR (default $TMPDIR or /tmp; holds data dirs and the state file).
# As root the server runs as the `postgres` user (PostgreSQL refuses root); otherwise as
# the current user. The server listens on 127.0.0.1 only, with fsync off and trust auth.
# Messages go to stderr; stdout carries only the export lines.
set -euo pipefail

PORT=${PG_TEST_PORT:-55432}
DB=${PG_TEST_DB:-keob_test}
STATE_DIR=${PG_TEST_STATE_DIR:-${TMPDIR:-/tmp}}
PREFIX=keob-pg-test
STATE_FILE="$STATE_DIR/$PREFIX-$PORT.env"

log() { printf 'pg-test-cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

pgbin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n "$bin" && -x "$bin/initdb" ]] ||
    die "PostgreSQL server binaries not found under /usr/lib/postgresql (run: make setup-system)"
  printf '%s\n' "$bin"
}

# Run a server command as the right user.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Port of a running server in data dir $1 (empty when not running).
running_port() {
  local pidfile="$1/postmaster.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid=$(sed -n 1p "$pidfile" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  sed -n 4p "$pidfile"
}

stop_dir() {
  local dir="$1" bin
  bin=$(pgbin 2>/dev/null || true)
  if [[ -n "$(running_port "$dir")" && -n "$bin" ]]; then
    as_pg "$bin/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$dir"
}

# Clusters a previous run left behind: stop ours on this port, remove dead ones.
cleanup_leftovers() {
  local dir port
  shopt -s nullglob
  for dir in "$STATE_DIR/$PREFIX".*/; do
    dir=${dir%/}
    port=$(running_port "$dir")
    if [[ "$port" == "$PORT" ]]; then
      log "stopping a leftover cluster on port $PORT ($dir)"
      stop_dir "$dir"
    elif [[ -z "$port" && -n "$(find "$dir" -maxdepth 0 -mmin +5 2>/dev/null)" ]]; then
      rm -rf -- "$dir"   # not running and older than 5 minutes: stale
    fi
  done
  shopt -u nullglob
  rm -f -- "$STATE_FILE"
}

cmd_start() {
  local bin port data url t0
  t0=$(date +%s.%N)
  bin=$(pgbin)
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user (is the postgresql package installed?)"
  fi
  mkdir -p "$STATE_DIR"
  cleanup_leftovers

  port=$PORT
  while port_in_use "$port"; do
    log "port $port is taken by something else; trying $((port + 1))"
    port=$((port + 1))
    ((port < PORT + 20)) || die "no free port in $PORT..$((PORT + 19))"
  done

  data=$(mktemp -d "$STATE_DIR/$PREFIX.XXXXXX")
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
  # From here on, a failure removes the half-made cluster.
  trap 'log "start failed; server log:"; cat "$data/server.log" >&2 2>/dev/null || true; stop_dir "$data"' ERR

  as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >/dev/null
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE \"$DB\"" >&2
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$DB" \
    -c "CREATE EXTENSION postgis" >&2
  trap - ERR

  url="postgresql+psycopg://postgres@127.0.0.1:$port/$DB"
  {
    printf 'export TEST_DATABASE_URL=%q\n' "$url"
    printf 'export PG_TEST_DATA=%q\n' "$data"
    printf 'export PG_TEST_PORT=%q\n' "$PORT"
  } >"$STATE_FILE"
  cat "$STATE_FILE"
  log "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s: $url"
}

cmd_stop() {
  local data=""
  if [[ -f "$STATE_FILE" ]]; then
    data=$(sed -n "s/^export PG_TEST_DATA=//p" "$STATE_FILE")
    data=$(eval "printf '%s' $data")
  fi
  [[ -n "$data" ]] || data=${PG_TEST_DATA:-}
  if [[ -n "$data" && -d "$data" ]]; then
    stop_dir "$data"
    log "stopped and removed $data"
  else
    log "no cluster recorded for port $PORT"
  fi
  rm -f -- "$STATE_FILE"
}

cmd_status() {
  if [[ -f "$STATE_FILE" ]]; then
    cat "$STATE_FILE"
  else
    log "no cluster recorded for port $PORT"
    return 1
  fi
}

cmd_run() {
  [[ "${1:-}" == "--" ]] && shift
  (($#)) || die "usage: $0 run -- CMD [ARGS...]"
  eval "$(cmd_start)"
  trap cmd_stop EXIT
  "$@"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  run) shift; cmd_run "$@" ;;
  *) die "usage: $0 {start|stop|status|run -- CMD...}" ;;
esac
