#!/usr/bin/env bash
# Real local backends for the portable-local and gcp-emulated profiles.
#
#   bash scripts/backends.sh up       install what is missing, start what is not running, wait until ready
#   bash scripts/backends.sh down     stop exactly the processes `up` started (pid files), wait for them
#   bash scripts/backends.sh status   one line per backend: name, up/down, port, version
#
# Everything listens on 127.0.0.1 only. Data, logs and pid files live under
# .local/backends/ (git-ignored); `up` also writes the runtime manifests
# .local/manifests/portable-local.json and .local/manifests/gcp-emulated.json.
# Ports are fixed by default (other code is written against them) and each can
# be overridden by its environment variable below.
set -Eeuo pipefail
trap 'printf "backends: unexpected failure in scripts/backends.sh line %s (exit %s)\n" "$LINENO" "$?" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/scripts/backends"
STATE="$ROOT/.local/backends"

# Default ports, defined once in scripts/backends/ports.env (write-manifests.ts
# reads the same file); a variable already set in the environment wins.
while IFS='=' read -r key value; do
  [[ "$key" =~ ^HEXPROPERTY_[A-Z_]+_PORT$ ]] || continue
  export "$key=${!key:-$value}"
done <"$HERE/ports.env"
unset key value
export HEXPROPERTY_GCP_PROJECT="${HEXPROPERTY_GCP_PROJECT:-hexproperty-local}"
# Seconds each backend may take to become ready.
TIMEOUT="${HEXPROPERTY_BACKENDS_TIMEOUT:-120}"

HOST=127.0.0.1
PG_BIN=/usr/lib/postgresql/15/bin
GCLOUD_SDK="${HEXPROPERTY_GCLOUD_SDK:-/usr/lib/google-cloud-sdk}"
SPANNER_INSTANCE=hexproperty
SPANNER_DATABASE=hexproperty-read
# A fixed KRaft cluster id: base64url of the 16 bytes "HexPropertyLocal".
KAFKA_CLUSTER_ID=SGV4UHJvcGVydHlMb2NhbA

BACKENDS=(postgres redis clickhouse kafka pubsub datastore spanner)

say() { printf '%s\n' "$*"; }
fail() { printf 'backends: %s\n' "$*" >&2; exit 1; }

port_of() {
  case "$1" in
    postgres) echo "$HEXPROPERTY_PG_PORT" ;;
    redis) echo "$HEXPROPERTY_REDIS_PORT" ;;
    clickhouse) echo "$HEXPROPERTY_CLICKHOUSE_HTTP_PORT" ;;
    kafka) echo "$HEXPROPERTY_KAFKA_PORT" ;;
    pubsub) echo "$HEXPROPERTY_PUBSUB_PORT" ;;
    datastore) echo "$HEXPROPERTY_DATASTORE_PORT" ;;
    spanner) echo "$HEXPROPERTY_SPANNER_PORT" ;;
  esac
}
# Every port a backend listens on (checked for foreign listeners before start).
ports_of() {
  case "$1" in
    clickhouse) echo "$HEXPROPERTY_CLICKHOUSE_HTTP_PORT $HEXPROPERTY_CLICKHOUSE_TCP_PORT" ;;
    kafka) echo "$HEXPROPERTY_KAFKA_PORT $HEXPROPERTY_KAFKA_CONTROLLER_PORT" ;;
    spanner) echo "$HEXPROPERTY_SPANNER_PORT $HEXPROPERTY_SPANNER_REST_PORT" ;;
    *) port_of "$1" ;;
  esac
}
log_of() { echo "$STATE/$1.log"; }
pid_of_file() { echo "$STATE/$1.pid"; }

# The pid recorded for a backend, if that process is still alive.
running_pid() {
  local f pid
  f="$(pid_of_file "$1")"
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Starts "$@" detached in its own session (its own process group, so `down`
# can stop its children too), stdin closed, output to the backend's log.
# The pid file holds the pid of the process that execs the command.
spawn() {
  local name="$1"; shift
  local pidfile; pidfile="$(pid_of_file "$name")"
  rm -f "$pidfile"
  ports_of "$name" >"$STATE/$name.ports"
  printf '\n==== %s: starting %s\n' "$(date -u +%FT%TZ)" "$name" >>"$(log_of "$name")"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' spawn "$pidfile" "$@" \
    </dev/null >>"$(log_of "$name")" 2>&1 &
  local i
  for i in $(seq 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  fail "$name did not start; see $(log_of "$name")"
}

# ---------------------------------------------------------------- installing

APT_UPDATED=0
apt_install() {
  # Non-interactive, only what is missing, `apt-get update` once first.
  [ "$(id -u)" = 0 ] || fail "need to install $* but not root; install them with: sudo apt-get install $*"
  if [ "$APT_UPDATED" = 0 ]; then
    say "  [apt] apt-get update"
    apt-get update -qq >"$STATE/apt.log" 2>&1 || fail "apt-get update failed; see $STATE/apt.log"
    APT_UPDATED=1
  fi
  say "  [apt] installing $* (first time only)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >>"$STATE/apt.log" 2>&1 \
    || fail "apt-get install $* failed; see $STATE/apt.log"
  say "  [apt] installed $*"
}

install_missing_packages() {
  local pkgs=()
  [ -x "$PG_BIN/postgres" ] || pkgs+=(postgresql-15)
  command -v redis-server >/dev/null || pkgs+=(redis-server)
  # Debian bookworm's ClickHouse is 18.16 (see the README section "Local backends").
  command -v clickhouse-server >/dev/null || pkgs+=(clickhouse-server)
  command -v java >/dev/null || pkgs+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || pkgs+=(maven)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v setsid >/dev/null || pkgs+=(util-linux)
  if [ "${#pkgs[@]}" -gt 0 ]; then apt_install "${pkgs[@]}"; fi
  # Debian's packages may register system services; we never use them, and
  # in a container without an init system nothing is started.
  [ -d "$GCLOUD_SDK" ] || fail "Google Cloud CLI not found at $GCLOUD_SDK (its emulators come from there); set HEXPROPERTY_GCLOUD_SDK"
}

# Kafka comes as jars from Maven Central into Maven's own local repository
# (~/.m2, outside the clone, so a fresh clone reuses them). The classpath is
# cached per pom content.
kafka_classpath() {
  local pom="$HERE/kafka/pom.xml" cpfile key
  key="$(sha256sum "$pom" | cut -c1-16)"
  cpfile="$STATE/kafka/classpath-$key.txt"
  if [ -s "$cpfile" ] && cp_complete "$cpfile"; then return 0; fi
  mkdir -p "$STATE/kafka"
  # Offline first (fast when ~/.m2 has everything), then from Maven Central with progress.
  if ! mvn -B -q -o -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cpfile" >"$STATE/kafka/maven.log" 2>&1; then
    say "  [kafka] fetching Kafka $(kafka_version) jars with Maven into ~/.m2 (first time only)"
    mvn -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cpfile" 2>&1 \
      | tee "$STATE/kafka/maven.log" \
      | awk '/Downloaded from/ && /\.jar/ { n++; if (n % 10 == 0) { printf "  [kafka] %d jars fetched...\n", n; fflush() } }
             END { if (n) printf "  [kafka] %d jars fetched\n", n }'
    [ -s "$cpfile" ] || fail "kafka: Maven could not resolve the broker's jars; see $STATE/kafka/maven.log"
  fi
}
cp_complete() { local j; for j in $(tr ':' ' ' <"$1"); do [ -f "$j" ] || return 1; done; }
kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml"; }

# ------------------------------------------------------------------ starting

start_postgres() {
  local dir="$STATE/postgres" as=()
  mkdir -p "$dir/run"
  if [ "$(id -u)" = 0 ]; then
    # postgres refuses to run as root: run it as the postgres OS user.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    chown postgres:postgres "$dir" "$dir/run"
  fi
  if [ ! -s "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"; mkdir -p "$dir/data"; chmod 700 "$dir/data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/data"
    "${as[@]}" "$PG_BIN/initdb" -D "$dir/data" --username=postgres --auth=trust --encoding=UTF8 --no-locale \
      >>"$(log_of postgres)" 2>&1 || fail "postgres: initdb failed; see $(log_of postgres)"
  fi
  # fsync off: a local development database trades crash safety for test speed.
  spawn postgres "${as[@]}" "$PG_BIN/postgres" -D "$dir/data" \
    -c listen_addresses="$HOST" -c port="$HEXPROPERTY_PG_PORT" -c unix_socket_directories="$dir/run" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200
}
ready_postgres() { "$PG_BIN/psql" -h "$HOST" -p "$HEXPROPERTY_PG_PORT" -U postgres -d postgres -XAtqc 'select 1' 2>/dev/null | grep -qx 1; }
init_postgres() {
  local psql=("$PG_BIN/psql" -h "$HOST" -p "$HEXPROPERTY_PG_PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1)
  "${psql[@]}" -c "do \$\$ begin if not exists (select from pg_roles where rolname = 'hexproperty') then create role hexproperty login createdb; end if; end \$\$;" >/dev/null
  if [ -z "$("${psql[@]}" -c "select 1 from pg_database where datname = 'hexproperty'")" ]; then
    "${psql[@]}" -c 'create database hexproperty owner hexproperty' >/dev/null
  fi
}
version_postgres() { "$PG_BIN/postgres" --version | awk '{print $3}'; }

start_redis() {
  local dir="$STATE/redis"
  mkdir -p "$dir"
  cat >"$dir/redis.conf" <<EOF
# Generated by scripts/backends.sh; not the system Redis service.
bind $HOST
port $HEXPROPERTY_REDIS_PORT
protected-mode yes
daemonize no
dir $dir
dbfilename dump.rdb
save 60 1000
appendonly no
logfile ""
EOF
  spawn redis redis-server "$dir/redis.conf"
}
ready_redis() { [ "$(redis-cli -h "$HOST" -p "$HEXPROPERTY_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
init_redis() { :; }
version_redis() { redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p'; }

start_clickhouse() {
  local dir="$STATE/clickhouse"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  # <yandex> is the root element ClickHouse 18.16 (Debian bookworm) understands.
  cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Generated by scripts/backends.sh; not the system ClickHouse service. -->
<yandex>
  <logger>
    <level>information</level>
    <log>$dir/server.log</log>
    <errorlog>$dir/server.err.log</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <listen_host>$HOST</listen_host>
  <http_port>$HEXPROPERTY_CLICKHOUSE_HTTP_PORT</http_port>
  <tcp_port>$HEXPROPERTY_CLICKHOUSE_TCP_PORT</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
EOF
  cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  spawn clickhouse clickhouse-server --config-file="$dir/config.xml"
}
ch_query() { curl -fsS --max-time 5 "http://$HOST:$HEXPROPERTY_CLICKHOUSE_HTTP_PORT/" --data-binary "$1"; }
ready_clickhouse() { [ "$(ch_query 'SELECT 1' 2>/dev/null)" = 1 ]; }
init_clickhouse() { ch_query 'CREATE DATABASE IF NOT EXISTS hexproperty' >/dev/null; }
version_clickhouse() { ch_query 'SELECT version()' 2>/dev/null || echo "?"; }

start_kafka() {
  local dir="$STATE/kafka" cpfile
  mkdir -p "$dir/data"
  cpfile="$(ls -t "$dir"/classpath-*.txt | head -n1)"
  cat >"$dir/server.properties" <<EOF
# Generated by scripts/backends.sh: one KRaft node that is broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$HEXPROPERTY_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$HEXPROPERTY_KAFKA_PORT,CONTROLLER://$HOST:$HEXPROPERTY_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$HEXPROPERTY_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
# Topics are created on purpose (by the adapters / topic definitions), never by a typo.
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests are fast: no waiting for more members before the first rebalance.
group.initial.rebalance.delay.ms=0
EOF
  cat >"$dir/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $dir/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = warn
EOF
  local java=(java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$(cat "$cpfile")")
  if [ ! -f "$dir/data/meta.properties" ]; then
    "${java[@]}" kafka.tools.StorageTool format --cluster-id "$KAFKA_CLUSTER_ID" --config "$dir/server.properties" \
      >>"$(log_of kafka)" 2>&1 || fail "kafka: formatting the storage failed; see $(log_of kafka)"
  fi
  spawn kafka "${java[@]}" kafka.Kafka "$dir/server.properties"
}
# A real protocol round trip: broker metadata through kafkajs (the client the adapters use).
ready_kafka() {
  (cd "$ROOT" && node -e '
    const { Kafka, logLevel } = require("kafkajs");
    const admin = new Kafka({ clientId: "backends-sh", brokers: [process.argv[1]], logLevel: logLevel.NOTHING,
      connectionTimeout: 2000, requestTimeout: 4000, retry: { retries: 0 } }).admin();
    admin.connect().then(() => admin.describeCluster()).then((c) => { if (!c.brokers.length) throw new Error("no brokers"); })
      .then(() => admin.disconnect()).then(() => process.exit(0), () => process.exit(1));
    setTimeout(() => process.exit(1), 8000).unref();' "$HOST:$HEXPROPERTY_KAFKA_PORT") >/dev/null 2>&1
}
init_kafka() { :; }
version_kafka() { kafka_version; }

start_pubsub() {
  local jar
  jar="$(ls "$GCLOUD_SDK"/platform/pubsub-emulator/lib/cloud-pubsub-emulator-*-all.jar | head -n1)"
  spawn pubsub java -Xmx512m -jar "$jar" --host="$HOST" --port="$HEXPROPERTY_PUBSUB_PORT"
}
ready_pubsub() { [ "$(curl -fsS --max-time 3 "http://$HOST:$HEXPROPERTY_PUBSUB_PORT/" 2>/dev/null)" = Ok ]; }
init_pubsub() { :; }
version_pubsub() { gcloud_component_version pubsub-emulator; }

start_datastore() {
  mkdir -p "$STATE/datastore"
  # Firestore in Datastore mode emulator, in memory, strongly consistent.
  spawn datastore java -Xmx512m -cp "$GCLOUD_SDK/platform/cloud-datastore-emulator/CloudDatastore.jar" \
    com.google.cloud.datastore.emulator.CloudDatastore start \
    --host="$HOST" --port="$HEXPROPERTY_DATASTORE_PORT" --store_on_disk=false --consistency=1.0 "$STATE/datastore"
}
ready_datastore() { [ "$(curl -fsS --max-time 3 "http://$HOST:$HEXPROPERTY_DATASTORE_PORT/" 2>/dev/null)" = Ok ]; }
init_datastore() { :; }
version_datastore() { gcloud_component_version cloud-datastore-emulator; }

start_spanner() {
  # The gateway serves REST and starts emulator_main (gRPC) as its child; both
  # share the process group `down` stops.
  spawn spanner "$GCLOUD_SDK/bin/cloud_spanner_emulator/gateway_main" --hostname "$HOST" \
    --grpc_port "$HEXPROPERTY_SPANNER_PORT" --http_port "$HEXPROPERTY_SPANNER_REST_PORT" \
    --grpc_binary "$GCLOUD_SDK/bin/cloud_spanner_emulator/emulator_main"
}
SPANNER_REST() { echo "http://$HOST:$HEXPROPERTY_SPANNER_REST_PORT/v1/projects/$HEXPROPERTY_GCP_PROJECT"; }
ready_spanner() { curl -fsS --max-time 3 "$(SPANNER_REST)/instances" >/dev/null 2>&1; }
# The emulator keeps everything in memory: create the instance and database on every start.
init_spanner() {
  local base code
  base="$(SPANNER_REST)"
  code="$(curl -sS -o "$STATE/spanner.init.json" -w '%{http_code}' -X POST "$base/instances" -H 'content-type: application/json' \
    -d "{\"instanceId\":\"$SPANNER_INSTANCE\",\"instance\":{\"config\":\"projects/$HEXPROPERTY_GCP_PROJECT/instanceConfigs/emulator-config\",\"displayName\":\"$SPANNER_INSTANCE\",\"nodeCount\":1}}")"
  [ "$code" = 200 ] || [ "$code" = 409 ] || { cat "$STATE/spanner.init.json" >>"$(log_of spanner)"; return 1; }
  code="$(curl -sS -o "$STATE/spanner.init.json" -w '%{http_code}' -X POST "$base/instances/$SPANNER_INSTANCE/databases" \
    -H 'content-type: application/json' -d "{\"createStatement\":\"CREATE DATABASE \`$SPANNER_DATABASE\`\"}")"
  [ "$code" = 200 ] || [ "$code" = 409 ] || { cat "$STATE/spanner.init.json" >>"$(log_of spanner)"; return 1; }
  # Database creation is a long-running operation; wait until the database answers.
  local i
  for i in $(seq 50); do
    curl -fsS --max-time 3 "$base/instances/$SPANNER_INSTANCE/databases/$SPANNER_DATABASE" 2>/dev/null | grep -q '"READY"' && return 0
    sleep 0.2
  done
  return 1
}
version_spanner() { gcloud_component_version cloud-spanner-emulator; }

gcloud_component_version() {
  local f="$GCLOUD_SDK/.install/$1.snapshot.json"
  [ -f "$f" ] || { echo "?"; return; }
  node -e 'const s=require(process.argv[1]);const c=s.components.find((c)=>c.id===process.argv[2]);console.log(c?c.version.version_string:"?")' "$f" "$1" 2>/dev/null || echo "?"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local t0=$SECONDS name pending=() failed=() reused=()
  mkdir -p "$STATE"
  # kafkajs (Kafka's readiness round trip) and @swc/core (the manifest writer's TypeScript hook) come from the project's node_modules.
  [ -d "$ROOT/node_modules/kafkajs" ] && [ -d "$ROOT/node_modules/@swc/core" ] \
    || fail "node_modules is missing kafkajs or @swc/core: run npm install first"
  for name in "${BACKENDS[@]}"; do
    if running_pid "$name" >/dev/null; then
      "ready_$name" && continue
    elif port_busy "$(port_of "$name")" && "ready_$name"; then
      # A working backend of this kind already answers on the port but was not
      # started from this checkout (e.g. a CI clone on a machine where the
      # developer's backends run). Use it; `down` here will not stop it.
      say "backends: $name already answers on $HOST:$(port_of "$name") (not started from this checkout; using it, down will not stop it)"
      reused+=("$name"); continue
    fi
    pending+=("$name")
  done
  if [ "${#pending[@]}" -eq 0 ]; then
    for name in "${reused[@]}"; do
      "init_$name" >>"$(log_of "$name")" 2>&1 || fail "$name: setup of the server on $HOST:$(port_of "$name") failed; see $(log_of "$name")"
    done
    say "backends: already up (${BACKENDS[*]})"
    write_manifests
    return 0
  fi

  # Install what is missing: the Maven fetch runs while apt works.
  local mvn_pid="" 
  if [[ " ${pending[*]} " == *" kafka "* ]]; then
    command -v mvn >/dev/null && command -v java >/dev/null && { kafka_classpath & mvn_pid=$!; }
  fi
  install_missing_packages
  if [[ " ${pending[*]} " == *" kafka "* ]]; then
    if [ -n "$mvn_pid" ]; then wait "$mvn_pid" || exit 1; else kafka_classpath; fi
  fi

  # Start everything that is not running, all at once.
  local starting=() started=()
  trap 'stop_backends "${started[@]}" >/dev/null 2>&1 || true' EXIT
  for name in "${pending[@]}"; do
    if running_pid "$name" >/dev/null; then
      if [ "$(cat "$STATE/$name.ports" 2>/dev/null)" != "$(ports_of "$name")" ]; then
        fail "$name is running on port(s) $(cat "$STATE/$name.ports" 2>/dev/null) from an earlier up, not $(ports_of "$name"); run: bash scripts/backends.sh down"
      fi
      # Our process is alive but not answering yet (e.g. a second `up` during
      # startup): wait for it rather than start another one.
      starting+=("$name"); continue
    fi
    local p
    for p in $(ports_of "$name"); do
      if port_busy "$p"; then
        stop_backends "${started[@]}" >/dev/null
        fail "$name: port $p on $HOST is already used by a process this script did not start; stop it or set another port (HEXPROPERTY_*_PORT, see scripts/backends.sh)"
      fi
    done
    say "backends: starting $name on $HOST:$(port_of "$name")"
    "start_$name"
    starting+=("$name"); started+=("$name")
  done

  # Wait for a real round trip from each, with a deadline.
  local deadline=$((SECONDS + TIMEOUT))
  for name in "${starting[@]}"; do
    until "ready_$name"; do
      if ! running_pid "$name" >/dev/null; then failed+=("$name: exited during startup; see $(log_of "$name")"); break; fi
      if [ "$SECONDS" -ge "$deadline" ]; then failed+=("$name: not ready after ${TIMEOUT}s; see $(log_of "$name")"); break; fi
      sleep 0.3
    done
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    # One line; the EXIT trap stops what this run started (logs stay).
    local IFS=';'
    fail "FAILED ${failed[*]}"
  fi
  for name in "${starting[@]}" "${reused[@]}"; do
    "init_$name" >>"$(log_of "$name")" 2>&1 || fail "$name: setup after start failed; see $(log_of "$name")"
  done
  write_manifests
  trap - EXIT
  for name in "${BACKENDS[@]}"; do
    if [[ " ${starting[*]} " == *" $name "* ]]; then say "backends: $name ready on $HOST:$(port_of "$name")"; fi
  done
  say "backends: up in $((SECONDS - t0))s (logs in .local/backends/, manifests in .local/manifests/)"
}

write_manifests() {
  (cd "$ROOT" && node -r ./scripts/ts-hook.js scripts/backends/write-manifests.ts) \
    || fail "manifests: writing .local/manifests/*.json failed (see the message above)"
}

cmd_down() { stop_backends "${BACKENDS[@]}"; }

# Stops the named backends through their pid files only, and waits for them.
stop_backends() {
  local name pid pids=() names=()
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      if [ "$name" = postgres ]; then
        kill -INT "$pid" # fast shutdown; the postmaster stops its own children
      elif [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
        kill -TERM -- "-$pid" 2>/dev/null || true # its own process group: it and its children
      else
        kill -TERM "$pid" 2>/dev/null || true
      fi
      pids+=("$pid"); names+=("$name")
    else
      rm -f "$(pid_of_file "$name")"
    fi
  done
  local i deadline=$((SECONDS + 30))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        say "backends: ${names[$i]} (pid ${pids[$i]}) did not stop in time; sending SIGKILL"
        kill -KILL -- "-${pids[$i]}" 2>/dev/null || kill -KILL "${pids[$i]}" 2>/dev/null || true
        sleep 0.5; break
      fi
      sleep 0.2
    done
    # Children left in the group (e.g. the Spanner gRPC server) go too.
    kill -0 -- "-${pids[$i]}" 2>/dev/null && { sleep 1; kill -KILL -- "-${pids[$i]}" 2>/dev/null || true; }
    rm -f "$(pid_of_file "${names[$i]}")"
    say "backends: stopped ${names[$i]}"
  done
  [ "${#pids[@]}" -gt 0 ] || say "backends: nothing running"
  return 0
}

cmd_status() {
  local name state version any_down=0
  for name in "${BACKENDS[@]}"; do
    if running_pid "$name" >/dev/null && "ready_$name"; then state=up; version="$("version_$name" 2>/dev/null || echo '?')"
    elif "ready_$name"; then state=up; version="$("version_$name" 2>/dev/null || echo '?') (not started from this checkout)"
    else state=down; version="-"; any_down=1; fi
    printf '%-11s %-5s %-6s %s\n' "$name" "$state" "$(port_of "$name")" "$version"
  done
  return "$any_down"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) trap - ERR; cmd_status ;;
  *) echo "usage: bash scripts/backends.sh up|down|status" >&2; exit 2 ;;
esac
