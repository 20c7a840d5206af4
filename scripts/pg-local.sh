#!/usr/bin/env bash
# A local PostgreSQL + PostGIS server for `make run-postgres`: kept between runs in
# var/postgres (unlike scripts/pg-test-cluster.sh, whose clusters are thrown away).
#
#   scripts/pg-local.sh start   init (first time) and start; print the store URL on stdout
#   scripts/pg-local.sh stop    stop the server (the data stays in var/postgres)
#
# Environment: KEOB_PG_PORT (default 55433), KEOB_PG_DB (default keob). As root the server
# runs as the `postgres` user (PostgreSQL refuses root). Listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=${KEOB_PG_PORT:-55433}
DB=${KEOB_PG_DB:-keob}
DATA=$PWD/var/postgres

log() { printf 'pg-local: %s\n' "$*" >&2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[[ -n "$bin" && -x "$bin/initdb" ]] || { log "PostgreSQL not installed (make setup-system)"; exit 1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    mkdir -p "$DATA"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$DATA"
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
      log "initialising $DATA"
      as_pg "$bin/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" start >/dev/null
      log "started on 127.0.0.1:$PORT"
    fi
    psql=(psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres)
    if [[ -z $("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'") ]]; then
      "${psql[@]}" -d postgres -c "CREATE DATABASE \"$DB\"" >&2
    fi
    "${psql[@]}" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >&2
    printf 'postgresql+psycopg://postgres@127.0.0.1:%s/%s\n' "$PORT" "$DB"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null && log "stopped"
    ;;
  *) log "usage: $0 {start|stop}"; exit 2 ;;
esac
