#!/usr/bin/env bash
# Start a PostgreSQL server for the test suite and print its URL on stdout (all else on stderr).
#
# Idempotent: installs Debian's postgresql when missing, keeps its own cluster in
# $FDISCOPE_PG_DIR (default /var/tmp/fdiscope-pg) on port $FDISCOPE_PG_PORT (default 55432),
# reuses a server already running there, and creates the role and database once.
#   export FDISCOPE_TEST_PG_URL="$(bash .ci/setup-postgres.sh)"
set -euo pipefail
DIR="${FDISCOPE_PG_DIR:-/var/tmp/fdiscope-pg}"
PORT="${FDISCOPE_PG_PORT:-55432}"
DB="${FDISCOPE_PG_DB:-fdiscope_test}"
USER_NAME="fdiscope"
PASSWORD="fdiscope"
URL="postgresql://${USER_NAME}:${PASSWORD}@127.0.0.1:${PORT}/${DB}"
log() { echo "setup-postgres: $*" >&2; }

if psql "$URL" -Atqc 'SELECT 1' >/dev/null 2>&1; then
  log "already running on port $PORT"
  echo "$URL"
  exit 0
fi

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ] || [ ! -f "$(ls -d /usr/share/postgresql/*/extension 2>/dev/null | tail -1)/unaccent.control" ]; then
  log "installing postgresql from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-contrib >&2
  BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

# The server refuses to run as root: it runs as the postgres user (created by the package).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  log "initdb in $DIR/data"
  as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
fi
if ! as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
fi
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqv ON_ERROR_STOP=1)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != 1 ]; then
  "${PSQL[@]}" -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD' CREATEDB" >&2
fi
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  "${PSQL[@]}" -c "CREATE DATABASE $DB OWNER $USER_NAME ENCODING 'UTF8' TEMPLATE template0" >&2
fi
psql "$URL" -Atqc 'SELECT 1' >/dev/null
echo "$URL"
