#!/usr/bin/env bash
# `make prod-local`: the production stack on one machine from Debian's packages —
# PostgreSQL (a private cluster), Redis, granian (several workers), the scheduler, the background
# worker (`db_worker`), nginx in front.
# Everything lives under $VESTNIK_PROD_DIR (var/prod) and is stopped by deploy/prod-stop.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}
WORKERS=${WORKERS:-4}
PROD=${VESTNIK_PROD_DIR:-$ROOT/var/prod}
PG_PORT=${VESTNIK_PROD_PG_PORT:-$((PORT + 1))}
REDIS_PORT=${VESTNIK_PROD_REDIS_PORT:-$((PORT + 2))}
APP_PORT=${VESTNIK_PROD_APP_PORT:-$((PORT + 3))}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
RUN=$PROD/run LOG=$PROD/log VAR=$PROD/var

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user, who must be
# able to enter its folder. A checkout under /root or a mode-700 folder is closed to postgres: the
# cluster then lives in postgres's own home (per checkout), and prod-stop.sh finds it in pgdata.path.
pg_dir() {  # prints the cluster's folder, or fails with the reason on stderr
  if [ "$(id -u)" != 0 ]; then echo "$PROD/pgdata"; return; fi
  id postgres >/dev/null 2>&1 || { echo "Нет пользователя postgres: sudo apt-get install -y postgresql" >&2; return 1; }
  local probe; probe=$(dirname "$PROD")  # $PROD itself is opened to postgres below
  while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
  if runuser -u postgres -- test -x "$probe"; then echo "$PROD/pgdata"; return; fi
  local home; home=$(getent passwd postgres | cut -d: -f6)
  if [ -z "$home" ] || ! runuser -u postgres -- test -d "$home" -a -w "$home"; then
    echo "Пользователь postgres не может войти в $probe и не может писать в свою домашнюю папку «$home»: задайте VESTNIK_PROD_PG_DIR (папку, доступную postgres)." >&2
    return 1
  fi
  echo "$home/vestnik-$(printf %s "$PROD" | md5sum | cut -c1-12)/pgdata"
}
PGDATA=${VESTNIK_PROD_PG_DIR:-$(pg_dir)}
if [ "${1:-}" = --check ]; then  # say where everything would go, start nothing
  echo "PGDATA=$PGDATA"
  exit 0
fi
mkdir -p "$RUN" "$LOG" "$VAR" "$PROD/redis"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || scripts/ensure-apt "$1" "$2"; }
need redis-server redis-server
need nginx nginx-light
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL is missing: sudo apt-get install -y postgresql" >&2; exit 1; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
echo "$PGDATA" > "$PROD/pgdata.path"
if [ "$PGDATA" = "$PROD/pgdata" ]; then
  PG_LOG=$LOG/postgres.log PG_OWNED=("$PGDATA" "$LOG")
else
  PG_LOG=$(dirname "$PGDATA")/postgres.log PG_OWNED=("$(dirname "$PGDATA")" "$PGDATA")
fi
mkdir -p "$PGDATA"
if [ "$(id -u)" = 0 ]; then
  [ "$PGDATA" = "$PROD/pgdata" ] && chmod 755 "$PROD"
  chown postgres "${PG_OWNED[@]}"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w status >/dev/null 2>&1 ||
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w \
    -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1" start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='vestnik'" | grep -q 1 ||
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres vestnik

redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 ||
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PROD/redis" --save "" \
    --appendonly no --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOG/redis.log"

[ -s "$PROD/secret" ] || python3 -c "import secrets; print(secrets.token_urlsafe(50))" > "$PROD/secret"
cat > "$PROD/env" <<ENV
DJANGO_SETTINGS_MODULE=vestnik.settings.production
DJANGO_SECRET_KEY=$(cat "$PROD/secret")
DJANGO_ALLOWED_HOSTS=$HOST,localhost
VESTNIK_HTTPS=false
VESTNIK_BASE_URL=http://$HOST:$PORT
VESTNIK_VAR_DIR=$VAR
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/vestnik
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
VESTNIK_TASKS=database
VESTNIK_PROXY_CACHE_SECONDS=1
VESTNIK_PAGE_CACHE_TAG_MEMO=0
# granian is reached only through our nginx on this machine: its X-Forwarded-For names the reader.
VESTNIK_TRUSTED_PROXIES=127.0.0.1
ENV
set -a; . "$PROD/env"; set +a

PY=$ROOT/.venv/bin/python
$PY manage.py migrate --noinput -v0
$PY manage.py setup_newsroom --hostname "$HOST" --port "$PORT" >/dev/null
$PY manage.py seed_demo >/dev/null
$PY manage.py collectstatic --noinput -v0
$PY manage.py write_error_pages "$VAR/errors"  # nginx's own 405/413/414/431, in Russian

start() {  # name, command…: a daemon with its pid file
  local name=$1; shift
  if [ -s "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then return; fi
  setsid "$@" >>"$LOG/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}
start granian "$ROOT/.venv/bin/granian" --interface asginl --host 127.0.0.1 --port "$APP_PORT" \
  --workers "$WORKERS" --log-level warning vestnik.asgi:application
start scheduler "$PY" manage.py run_scheduler
# Entity analysis and «Читайте также» leave the request: the worker takes them from PostgreSQL.
# It runs under SCHED_IDLE (and nice 19 where chrt is missing): it gets a core only when no
# reader's request wants it, so draining a queue (the demo's 1,200 tasks) never slows pages.
background=(nice -n 19)
command -v chrt >/dev/null && chrt --idle 0 true 2>/dev/null && background+=(chrt --idle 0)
start worker "${background[@]}" "$PY" manage.py db_worker --interval 0.5

# nginx's cache key varies by the lite-mode header, when one is configured (as $http_<name>).
NGINX_WORKERS=${VESTNIK_NGINX_WORKERS:-auto}
LITE_VAR=$(printf '%s' "${VESTNIK_LITE_HEADER:-X-Vestnik-Lite}" | tr 'A-Z-' 'a-z_')
sed -e "s#@LITE_VAR@#$LITE_VAR#g" -e "s#@RUN@#$RUN#g" -e "s#@LOG@#$LOG#g" -e "s#@VAR@#$VAR#g" -e "s#@HOST@#$HOST#g" \
  -e "s#@PORT@#$PORT#g" -e "s#@APP_PORT@#$APP_PORT#g" -e "s#@NGINX_WORKERS@#$NGINX_WORKERS#g" \
  -e "s#@PUBLIC_MAX_BODY_KB@#${VESTNIK_PUBLIC_MAX_BODY_KB:-64}#g" \
  -e "s#@ADMIN_MAX_BODY_MB@#${VESTNIK_ADMIN_MAX_BODY_MB:-300}#g" \
  deploy/nginx.conf.template > "$PROD/nginx.conf"
[ -s "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null ||
  nginx -c "$PROD/nginx.conf" -e "$LOG/nginx-error.log"

for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://$HOST:$PORT/" 2>/dev/null && break
  sleep 0.2
done
echo "Вестник (production stack): http://$HOST:$PORT/  ·  редакция: http://$HOST:$PORT/admin/"
echo "Остановить: make prod-stop   ·   журналы: $LOG"
