#!/usr/bin/env bash
# `make prod-stop`: stop what deploy/prod-local.sh started (by its pid files), nothing else.
set -uo pipefail
cd "$(dirname "$0")/.."
PROD=${VESTNIK_PROD_DIR:-$PWD/var/prod}
RUN=$PROD/run
stop() {  # pid file: the process group of a daemon started with setsid, or the process itself
  local file=$RUN/$1.pid
  [ -s "$file" ] || return 0
  local pid; pid=$(cat "$file")
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$file"
}
stop nginx; stop worker; stop scheduler; stop granian; stop redis
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# prod-local.sh notes where the cluster lives (outside $PROD when postgres cannot enter it).
PGDATA=$(cat "$PROD/pgdata.path" 2>/dev/null || echo "$PROD/pgdata")
if [ -s "$PGDATA/PG_VERSION" ]; then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1
  else "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1; fi
fi
echo "Вестник (production stack) остановлен."
