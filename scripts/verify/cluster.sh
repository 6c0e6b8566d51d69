#!/usr/bin/env bash
# Local Kubernetes control plane for `npm run verify`: etcd + kube-apiserver +
# kube-controller-manager on 127.0.0.1, built from the Go module proxy.
#
#   scripts/verify/cluster.sh up       build (cached), start, wait ready, install CRDs
#   scripts/verify/cluster.sh down     stop what `up` started (by PID), wipe run state
#   scripts/verify/cluster.sh status   exit 0 when up and ready, 1 otherwise
#   scripts/verify/cluster.sh env      print `export KUBECONFIG=...`
#   scripts/verify/cluster.sh build    only build/cache the binaries
#
# Nothing here is written into the repository: binaries, sources, certificates,
# etcd data and logs all live under ~/.cache/hexproperty/kube/.
set -Eeuo pipefail

# ---- pinned versions -------------------------------------------------------
K8S_VERSION="${HEXPROPERTY_KUBE_VERSION:-v1.33.13}"          # k8s.io/kubernetes
K8S_STAGING_VERSION="v0${K8S_VERSION#v1}"                    # k8s.io/api etc.: v0.33.13
ETCD_VERSION="${HEXPROPERTY_KUBE_ETCD_VERSION:-v3.6.16}"      # go.etcd.io/etcd/server/v3

# ---- ports (127.0.0.1 only) -----------------------------------------------
ETCD_PORT="${HEXPROPERTY_KUBE_ETCD_PORT:-52379}"
ETCD_PEER_PORT="${HEXPROPERTY_KUBE_ETCD_PEER_PORT:-52380}"
APISERVER_PORT="${HEXPROPERTY_KUBE_APISERVER_PORT:-56443}"
KCM_PORT="${HEXPROPERTY_KUBE_CONTROLLER_MANAGER_PORT:-56257}"

# ---- paths -----------------------------------------------------------------
CACHE="${HEXPROPERTY_KUBE_CACHE:-$HOME/.cache/hexproperty/kube}"
RUN="${HEXPROPERTY_KUBE_RUN_DIR:-$CACHE/run}"
SRC="$CACHE/src"
BIN_K8S="$CACHE/bin/kubernetes-$K8S_VERSION"
BIN_ETCD="$CACHE/bin/etcd-$ETCD_VERSION"
KUBECONFIG_PATH="$RUN/kubeconfig"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

STOP_TIMEOUT="${HEXPROPERTY_KUBE_STOP_TIMEOUT:-20}"
READY_TIMEOUT="${HEXPROPERTY_KUBE_READY_TIMEOUT:-120}"

export PATH="/usr/local/go/bin:$PATH"
GO_BUILD_CACHE="${HEXPROPERTY_KUBE_GOCACHE:-$CACHE/go-build}"
# the go command as the builds use it: local toolchain only, go.mod updated as
# needed, a build cache of our own, static binaries.
go_() { GOTOOLCHAIN=local GOFLAGS=-mod=mod GOCACHE="$GO_BUILD_CACHE" CGO_ENABLED=0 go "$@"; }

SELF="cluster.sh"
log() { printf '[%s %s] %s\n' "$SELF" "$(date +%H:%M:%S)" "$*"; }
# die "one clear line" [detail lines...]: the first line says what failed.
CLEANUP_ON_DIE=0
die() {
  trap - ERR
  printf '%s: ERROR: %s\n' "$SELF" "$1" >&2
  shift
  local l
  for l in "$@"; do printf '%s\n' "$l" | sed 's/^/  /' >&2; done
  if [[ $CLEANUP_ON_DIE == 1 ]]; then
    printf '  (stopping what this `up` started; logs kept in %s)\n' "$CACHE/last-logs" >&2
    stop_all >/dev/null 2>&1 || true
    save_logs_and_wipe >/dev/null 2>&1 || true
  fi
  exit 1
}
trap 'rc=$?; die "unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND"' ERR

# log_tail FILE: the error lines of a component log if it has any, else its end
log_tail() {
  local errs
  errs=$(grep -E '^[EF][0-9]{4} |"level":"(error|fatal|panic)"' "$1" 2>/dev/null | tail -8 | cut -c1-400) || true
  if [[ -n "$errs" ]]; then printf 'errors in %s:\n%s\n' "$1" "$errs"; else printf 'last lines of %s:\n' "$1"; tail -15 "$1" 2>/dev/null | cut -c1-400; fi
}

elapsed() { local s=$1; echo "$(( $(date +%s) - s ))s"; }

# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
# heartbeat WHAT LOG: every 30 s, say how long WHAT has been building and how
# many packages `go build -v` has compiled so far.
heartbeat() {
  local t0 n sp=""; t0=$(date +%s)
  trap '[[ -n "$sp" ]] && kill "$sp" 2>/dev/null; exit 0' TERM
  while :; do
    sleep "${HEARTBEAT_SECONDS:-30}" & sp=$!
    wait "$sp" || true
    n=$(grep -c '^[a-z0-9./_-]*$' "$2" 2>/dev/null || true)
    log "    ... still building $1 ($(elapsed "$t0"), $n packages compiled so far)"
  done
}

build_kubernetes() {
  if [[ -x "$BIN_K8S/kube-apiserver" && -x "$BIN_K8S/kube-controller-manager" ]]; then
    log "kubernetes $K8S_VERSION binaries cached in $BIN_K8S"
    return 0
  fi
  command -v go >/dev/null || die "go not found (expected /usr/local/go/bin/go)"
  local t0 mod dir logf
  t0=$(date +%s)
  dir="$SRC/kubernetes-$K8S_VERSION"
  logf="$CACHE/build-kubernetes-$K8S_VERSION.log"
  mkdir -p "$dir" "$BIN_K8S.tmp" "$GO_BUILD_CACHE"
  : >"$logf"
  log "building kube-apiserver + kube-controller-manager $K8S_VERSION from the Go module proxy (cold: ~10 min on 2 cores; log: $logf)"
  log "  downloading k8s.io/kubernetes@$K8S_VERSION"
  mod=$(cd /tmp && go_ mod download -json "k8s.io/kubernetes@$K8S_VERSION" 2>>"$logf") \
    || die "go mod download k8s.io/kubernetes@$K8S_VERSION failed" "$(tail -5 "$logf")"
  local kdir
  kdir=$(printf '%s' "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -f "$kdir/go.mod" ]] || die "k8s.io/kubernetes@$K8S_VERSION has no go.mod in the module cache" "$mod"
  local gover
  gover=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$kdir/go.mod" | head -1)
  # every staging module that k8s.io/kubernetes itself replaces with ./staging/...
  local staging
  staging=$(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$kdir/go.mod")
  [[ -n "$staging" ]] || die "could not read the staging replace block of k8s.io/kubernetes@$K8S_VERSION/go.mod"
  {
    echo "// generated by scripts/verify/cluster.sh; scratch module to build kubernetes $K8S_VERSION"
    echo "module hexproperty.local/kubebuild"
    echo
    echo "go ${gover:-1.24.0}"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    local m
    for m in $staging; do echo "	$m => $m $K8S_STAGING_VERSION"; done
    echo ")"
  } >"$dir/go.mod"
  log "  scratch module $dir: $(echo "$staging" | wc -l) staging modules pinned to $K8S_STAGING_VERSION"
  local ldflags="-s -w"
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local v
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  done
  log "  resolving dependencies (go mod download)"
  (cd "$dir" && go_ get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION") >>"$logf" 2>&1 \
    || die "resolving the kubernetes $K8S_VERSION dependencies failed (a module the proxy refuses?)" "$(grep -v '^go: downloading' "$logf" | tail -8)"
  local b hb
  for b in kube-apiserver kube-controller-manager; do
    local tb; tb=$(date +%s)
    log "  go build $b (GOMAXPROCS=2 -p 2)"
    heartbeat "$b" "$logf" & hb=$!
    if ! (cd "$dir" && GOMAXPROCS=2 go_ build -v -p 2 -trimpath -ldflags "$ldflags" -o "$BIN_K8S.tmp/$b" "k8s.io/kubernetes/cmd/$b") >>"$logf" 2>&1; then
      kill "$hb" 2>/dev/null || true
      die "go build $b $K8S_VERSION failed" "$(grep -v '^[a-z0-9./_-]*$' "$logf" | tail -15)"
    fi
    kill "$hb" 2>/dev/null || true
    wait "$hb" 2>/dev/null || true
    log "  built $b in $(elapsed "$tb")"
  done
  rm -rf "$BIN_K8S" && mv "$BIN_K8S.tmp" "$BIN_K8S"
  log "kubernetes $K8S_VERSION built in $(elapsed "$t0") -> $BIN_K8S"
}

build_etcd() {
  if [[ -x "$BIN_ETCD/etcd" ]]; then
    log "etcd $ETCD_VERSION binary cached in $BIN_ETCD"
    return 0
  fi
  local t0 dir logf
  t0=$(date +%s)
  dir="$SRC/etcd-$ETCD_VERSION"
  logf="$CACHE/build-etcd-$ETCD_VERSION.log"
  mkdir -p "$dir" "$BIN_ETCD.tmp" "$GO_BUILD_CACHE"
  : >"$logf"
  log "building etcd $ETCD_VERSION from the Go module proxy (go.etcd.io/etcd/server/v3/etcdmain; log: $logf)"
  cat >"$dir/go.mod" <<EOF
// generated by scripts/verify/cluster.sh; scratch module to build etcd $ETCD_VERSION
module hexproperty.local/etcdbuild

go 1.24

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
  cat >"$dir/main.go" <<'EOF'
// etcd server entry point: the same call go.etcd.io/etcd/v3's main makes.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$dir" && go_ mod tidy) >>"$logf" 2>&1 \
    || die "resolving etcd $ETCD_VERSION dependencies failed" "$(grep -v '^go: downloading' "$logf" | tail -8)"
  local hb
  heartbeat etcd "$logf" & hb=$!
  if ! (cd "$dir" && GOMAXPROCS=2 go_ build -v -p 2 -trimpath -ldflags "-s -w" -o "$BIN_ETCD.tmp/etcd" .) >>"$logf" 2>&1; then
    kill "$hb" 2>/dev/null || true
    die "go build etcd $ETCD_VERSION failed" "$(grep -v '^[a-z0-9./_-]*$' "$logf" | tail -15)"
  fi
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  rm -rf "$BIN_ETCD" && mv "$BIN_ETCD.tmp" "$BIN_ETCD"
  log "etcd $ETCD_VERSION built in $(elapsed "$t0") -> $BIN_ETCD"
}

build_all() {
  local t0; t0=$(date +%s)
  build_etcd
  build_kubernetes
  log "binaries ready in $(elapsed "$t0")"
}


# ---------------------------------------------------------------------------
# Run state
# ---------------------------------------------------------------------------
PKI="$RUN/pki"
LOGS="$RUN/logs"
COMPONENTS=(kube-controller-manager kube-apiserver etcd)   # stop order

component_bin() {
  case "$1" in
    etcd) echo "$BIN_ETCD/etcd" ;;
    kube-apiserver) echo "$BIN_K8S/kube-apiserver" ;;
    kube-controller-manager) echo "$BIN_K8S/kube-controller-manager" ;;
  esac
}

# pid_of NAME: prints the PID recorded for NAME if that process is still the
# binary we started (guards against PID reuse); returns 1 otherwise.
pid_of() {
  local f="$RUN/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  { read -r pid; read -r exe; } <"$f" || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -d "/proc/$pid" ]] || return 1
  # (a binary replaced or removed while running reads as "PATH (deleted)")
  local cur; cur=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [[ "$cur" == "$exe" || "$cur" == "$exe (deleted)" ]] || return 1
  # a zombie is not running
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 1
  echo "$pid"
}

start_component() {
  local name=$1; shift
  local bin; bin=$(component_bin "$name")
  rm -f "$RUN/$name.pid"
  # own session (not killed with the caller's terminal/process group), no
  # stdin, log to file; the exec'd shell writes the exact PID and binary.
  setsid bash -c 'printf "%s\n%s\n" "$$" "$1" >"$2.tmp" && mv "$2.tmp" "$2"; shift 2; exec "$@"' \
    _ "$bin" "$RUN/$name.pid" "$bin" "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  disown $! 2>/dev/null || true
  # the pid file is written just before the exec: wait until the process is
  # the binary itself (or is gone), up to 15 s on a busy machine.
  local i pid="" raw=""
  for i in $(seq 150); do
    if pid=$(pid_of "$name"); then break; fi
    pid=""
    if [[ -f "$RUN/$name.pid" ]]; then
      raw=$(head -1 "$RUN/$name.pid")
      [[ -d "/proc/$raw" && "$(awk '{print $3}' "/proc/$raw/stat" 2>/dev/null)" != Z ]] || break
    fi
    sleep 0.1
  done
  [[ -n "$pid" ]] || die "$name exited right after start" "$(log_tail "$LOGS/$name.log")"
  log "started $name (pid $pid, log $LOGS/$name.log)"
}

stop_component() {
  local name=$1 pid i
  pid=$(pid_of "$name") || { rm -f "$RUN/$name.pid"; return 0; }
  log "stopping $name (pid $pid): TERM"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((STOP_TIMEOUT * 10))); do
    pid_of "$name" >/dev/null || break
    sleep 0.1
  done
  if pid_of "$name" >/dev/null; then
    log "  $name still running after ${STOP_TIMEOUT}s: KILL"
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do pid_of "$name" >/dev/null || break; sleep 0.1; done
    pid_of "$name" >/dev/null && die "could not stop $name (pid $pid)"
  fi
  rm -f "$RUN/$name.pid"
}

stop_all() {
  local c
  for c in "${COMPONENTS[@]}"; do stop_component "$c"; done
}

any_running() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null && return 0; done
  return 1
}

safe_run_dir() {
  case "$RUN" in
    ""|/|"$HOME"|"$HOME/"|"$CACHE"|"$CACHE/") die "refusing to wipe run dir '$RUN'" ;;
  esac
}

save_logs_and_wipe() {
  safe_run_dir
  if [[ -d "$LOGS" ]]; then
    rm -rf "$CACHE/last-logs" && mkdir -p "$CACHE" && cp -r "$LOGS" "$CACHE/last-logs"
  fi
  rm -rf "$RUN"
}

admin_token() { cat "$PKI/admin.token" 2>/dev/null; }

readyz() {
  curl -sS --max-time 5 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(admin_token)" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" 2>/dev/null
}

is_ready() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done
  [[ "$(readyz)" == ok ]] || return 1
  [[ "$(curl -sk --max-time 5 "https://127.0.0.1:$KCM_PORT/healthz" 2>/dev/null)" == ok ]] || return 1
}

port_busy() {
  [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
}

# wait_for WHAT TIMEOUT COMPONENT COMMAND...: poll COMMAND until it succeeds,
# failing early if COMPONENT died.
wait_for() {
  local what=$1 timeout=$2 comp=$3; shift 3
  local t0; t0=$(date +%s)
  while ! "$@" >/dev/null 2>&1; do
    pid_of "$comp" >/dev/null || die "$comp died while waiting for $what" "$(log_tail "$LOGS/$comp.log")"
    (( $(date +%s) - t0 < timeout )) || die "timed out after ${timeout}s waiting for $what" "$(log_tail "$LOGS/$comp.log")"
    sleep 0.5
  done
  log "$what ($(elapsed "$t0"))"
}

etcd_healthy() { curl -s --max-time 3 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
apiserver_ready() { [[ "$(readyz)" == ok ]]; }
kcm_healthy() { [[ "$(curl -sk --max-time 3 "https://127.0.0.1:$KCM_PORT/healthz")" == ok ]]; }
default_sa_exists() { KUBECONFIG="$KUBECONFIG_PATH" kubectl get serviceaccount default -n default --request-timeout=5s; }

make_pki() {
  mkdir -p "$PKI" && chmod 700 "$PKI"
  command -v openssl >/dev/null || die "openssl not found"
  local o="$PKI/openssl.log"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
      -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -subj "/CN=hexproperty-verify-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" -subj "/CN=kube-apiserver"
    printf '%s\n' \
      "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      >"$PKI/apiserver.ext"
    openssl x509 -req -sha256 -days 30 -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
      -CAcreateserial -out "$PKI/apiserver.crt" -extfile "$PKI/apiserver.ext"
    # front-proxy (request-header) CA + client, as kubeadm sets up: lets the
    # controller-manager's delegated authentication read a complete
    # extension-apiserver-authentication ConfigMap.
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
      -keyout "$PKI/front-proxy-ca.key" -out "$PKI/front-proxy-ca.crt" -subj "/CN=hexproperty-verify-front-proxy-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$PKI/front-proxy-client.key" -out "$PKI/front-proxy-client.csr" -subj "/CN=front-proxy-client"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=clientAuth" \
      >"$PKI/front-proxy-client.ext"
    openssl x509 -req -sha256 -days 30 -in "$PKI/front-proxy-client.csr" -CA "$PKI/front-proxy-ca.crt" -CAkey "$PKI/front-proxy-ca.key" \
      -CAcreateserial -out "$PKI/front-proxy-client.crt" -extfile "$PKI/front-proxy-client.ext"
    openssl genrsa -out "$PKI/sa.key" 2048
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  } >"$o" 2>&1 || die "openssl failed making the certificates" "$(tail -5 "$o")"
  openssl rand -hex 32 >"$PKI/admin.token"
  openssl rand -hex 32 >"$PKI/kcm.token"
  # token,user,uid,"groups"
  {
    printf '%s,admin,hexproperty-admin,"system:masters"\n' "$(cat "$PKI/admin.token")"
    printf '%s,system:kube-controller-manager,system:kube-controller-manager\n' "$(cat "$PKI/kcm.token")"
  } >"$PKI/tokens.csv"
  chmod 600 "$PKI"/*
  log "certificates and tokens made in $PKI (CA, apiserver serving cert for 127.0.0.1/localhost/kubernetes.default.svc, service-account key pair)"
}

write_kubeconfig() { # PATH USER TOKEN
  local ca; ca=$(base64 -w0 <"$PKI/ca.crt")
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: hexproperty-verify
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $ca
users:
- name: $2
  user:
    token: $3
contexts:
- name: hexproperty-verify
  context:
    cluster: hexproperty-verify
    user: $2
current-context: hexproperty-verify
EOF
  chmod 600 "$1"
}

cmd_up() {
  local t0; t0=$(date +%s)
  if is_ready; then
    log "already up (apiserver https://127.0.0.1:$APISERVER_PORT ready)"
    echo "export KUBECONFIG=$KUBECONFIG_PATH"
    return 0
  fi
  if any_running; then
    log "a previous cluster is partly running or not ready: stopping it first"
    stop_all
  fi
  safe_run_dir
  rm -rf "$RUN"
  local p
  for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$KCM_PORT"; do
    port_busy "$p" && die "port 127.0.0.1:$p is already in use by another program" \
      "$(ss -Hltnp "sport = :$p" 2>/dev/null | head -2)" \
      "choose other ports with HEXPROPERTY_KUBE_ETCD_PORT / _ETCD_PEER_PORT / _APISERVER_PORT / _CONTROLLER_MANAGER_PORT"
  done
  command -v curl >/dev/null || die "curl not found"
  command -v kubectl >/dev/null || die "kubectl not found on PATH"
  build_all
  mkdir -p "$RUN" "$LOGS" && chmod 700 "$RUN"
  CLEANUP_ON_DIE=1
  make_pki
  write_kubeconfig "$KUBECONFIG_PATH" admin "$(cat "$PKI/admin.token")"
  write_kubeconfig "$RUN/kube-controller-manager.kubeconfig" system:kube-controller-manager "$(cat "$PKI/kcm.token")"

  start_component etcd \
    --name hexproperty-verify \
    --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "hexproperty-verify=http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster-state new \
    --unsafe-no-fsync \
    --log-level warn
  wait_for "etcd healthy on 127.0.0.1:$ETCD_PORT" 60 etcd etcd_healthy

  start_component kube-apiserver \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$APISERVER_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --cert-dir="$RUN/kube-apiserver-certs" \
    --tls-cert-file="$PKI/apiserver.crt" \
    --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --token-auth-file="$PKI/tokens.csv" \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,PodSecurity \
    --allow-privileged=true \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --endpoint-reconciler-type=none \
    --profiling=false \
    --v=1
  wait_for "kube-apiserver /readyz ok on https://127.0.0.1:$APISERVER_PORT" "$READY_TIMEOUT" kube-apiserver apiserver_ready

  start_component kube-controller-manager \
    --kubeconfig="$RUN/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$RUN/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$RUN/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 \
    --secure-port="$KCM_PORT" \
    --cert-dir="$RUN/kube-controller-manager-certs" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --controllers=namespace-controller,serviceaccount-controller,serviceaccount-token-controller,garbage-collector-controller,clusterrole-aggregation-controller,root-ca-certificate-publisher-controller \
    --profiling=false \
    --v=1
  wait_for "kube-controller-manager /healthz ok on https://127.0.0.1:$KCM_PORT" 60 kube-controller-manager kcm_healthy
  wait_for "serviceaccount controller created default/default" 60 kube-controller-manager default_sa_exists

  log "installing CRDs (scripts/verify/crds.sh)"
  KUBECONFIG="$KUBECONFIG_PATH" bash "$HERE/crds.sh" || die "installing the CRDs failed (see crds.sh's error above)"
  CLEANUP_ON_DIE=0
  log "cluster up in $(elapsed "$t0"): kube-apiserver $K8S_VERSION https://127.0.0.1:$APISERVER_PORT, etcd $ETCD_VERSION 127.0.0.1:$ETCD_PORT"
  echo "export KUBECONFIG=$KUBECONFIG_PATH"
}

cmd_down() {
  if any_running; then
    stop_all
  else
    log "nothing running"
  fi
  save_logs_and_wipe
  log "down: processes stopped, run state removed ($RUN); last logs in $CACHE/last-logs"
}

cmd_status() {
  local c pid
  for c in etcd kube-apiserver kube-controller-manager; do
    if pid=$(pid_of "$c"); then log "$c: running (pid $pid)"; else log "$c: not running"; fi
  done
  if is_ready; then
    log "status: up and ready (https://127.0.0.1:$APISERVER_PORT, KUBECONFIG=$KUBECONFIG_PATH)"
    return 0
  fi
  log "status: not ready"
  return 1
}

# up/down/build take a lock, so that two callers at once do not race (the
# second waits, then finds the cluster up); the daemons do not inherit it.
lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  if ! flock -n 9; then
    log "another cluster.sh up/down/build is running; waiting for it (up to 60 min)"
    flock -w 3600 9 || die "timed out waiting for the other cluster.sh (lock $CACHE/.lock)"
  fi
}

case "${1:-}" in
  up) lock; cmd_up ;;
  down) lock; cmd_down ;;
  status) cmd_status || exit 1 ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_PATH" ;;
  build) lock; build_all ;;
  *) die "usage: $0 up|down|status|env|build" ;;
esac
