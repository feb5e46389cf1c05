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
  pg_tls_files "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"/server.key "$dir"/server.crt; fi
  # Role spur_tls may connect over TLS only: refused on a plain connection (first match wins).
  { echo 'hostnossl all spur_tls all reject'; cat "$dir/data/pg_hba.conf"; } >"$dir/pg_hba.conf"
  cat "$dir/pg_hba.conf" >"$dir/data/pg_hba.conf" && rm "$dir/pg_hba.conf"
  as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-h 127.0.0.1 -p $port -k '$dir' -c fsync=on -c max_connections=200 -c ssl=on -c ssl_cert_file='$dir/server.crt' -c ssl_key_file='$dir/server.key'\" start" >/dev/null
  export PG_TEST_DIR=$dir
  export SPUR_TEST_POSTGRES_URL="postgres://spur@127.0.0.1:$port/postgres"
  # TLS tests: the throw-away CA, a CA that signed nothing here, and a role that may only
  # connect over TLS (pg_hba `hostssl`, checked before the catch-all `host` line).
  export SPUR_TEST_POSTGRES_CA="$dir/ca.crt" SPUR_TEST_POSTGRES_OTHER_CA="$dir/other-ca.crt"
  export SPUR_TEST_POSTGRES_TLS_ONLY_URL="postgres://spur_tls@127.0.0.1:$port/postgres"
  as_pg "'$bin/psql' -q -h 127.0.0.1 -p $port -U spur -d postgres -c 'CREATE ROLE spur_tls LOGIN SUPERUSER'" >/dev/null
  echo "PostgreSQL ($user) at $SPUR_TEST_POSTGRES_URL"
}

# A throw-away CA and a server certificate for 127.0.0.1 and localhost (openssl CLI), so tests
# can connect with verify-full; and a second CA to see a wrong one refused.
pg_tls_files() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=spur-test-ca -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=spur-other-ca -keyout "$dir/other-ca.key" -out "$dir/other-ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  chmod 600 "$dir/server.key"
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

# Restarts the cluster (fast shutdown: every connection is cut), for the tests that check the
# servers reconnect after a database restart.
pg_restart() {
  local bin
  bin=$(pg_bin)
  [ -n "${PG_TEST_DIR:-}" ] || return 1
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$PG_TEST_DIR/data' -l '$PG_TEST_DIR/log' -m fast -w restart" >/dev/null
  else
    "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -m fast -w restart >/dev/null
  fi
}
