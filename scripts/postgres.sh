#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for tests and benchmarks; source it, then
# `pg_start DIR` exports SPUR_TEST_POSTGRES_URL and `pg_stop` stops the cluster.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

pg_start() {
  local dir=$1 bin port user
  bin=$(pg_bin)
  user=$(id -un)
  rm -rf "$dir" && mkdir -p "$dir"
  # initdb refuses to run as root: run the cluster as the unprivileged 'postgres' user then.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$dir"
    user=postgres
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  as_pg "'$bin/initdb' -D '$dir/data' -U spur -A trust --no-sync -E UTF8" >/dev/null
  as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-h 127.0.0.1 -p $port -k '$dir' -c fsync=on -c max_connections=200\" start" >/dev/null
  export PG_TEST_DIR=$dir
  export SPUR_TEST_POSTGRES_URL="postgres://spur@127.0.0.1:$port/postgres"
  echo "PostgreSQL ($user) at $SPUR_TEST_POSTGRES_URL"
}

pg_stop() {
  local bin
  bin=$(pg_bin)
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -m fast stop" >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
}
