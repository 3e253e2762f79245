#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: created in a temporary folder, on a
# free port, reachable only on 127.0.0.1, removed afterwards whatever the command's outcome.
# Usage: scripts/with-postgres.sh COMMAND...   (DXGRANT_DATABASE_URL is set for the command)
set -euo pipefail
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)}"
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 server binaries not found (install postgresql-15)." >&2; exit 1; }
tmp=$(mktemp -d /tmp/dxgrant-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root; the cluster belongs to the postgres system user.
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
"${as_pg[@]}" "$PGBIN/initdb" -D "$tmp/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
  start >/dev/null
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $tmp)"
# The database the URL names (the test suite makes its own test_ database beside it; the
# benchmarks and a migrate use this one).
"${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres dxgrant
export DXGRANT_DATABASE_URL="postgres://postgres@127.0.0.1:$port/dxgrant"
"$@"
