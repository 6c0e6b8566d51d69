#!/usr/bin/env bash
# Install the CustomResourceDefinitions that the portable stacks create objects
# of, into the cluster KUBECONFIG points at (normally the one
# scripts/verify/cluster.sh starts; `cluster.sh up` calls this script).
#
# The CRDs are fetched at verify time from the operators' own published
# packages (Go module proxy, Maven Central), pinned below, and cached under
# ~/.cache/hexproperty/crds/<operator>-<version>/. None of them is committed.
# Where no reachable registry publishes an operator's CRDs, a permissive
# stand-in CRD is generated and labelled as such. A report of what came from
# where is printed at the end (and kept in ~/.cache/hexproperty/crds/report.txt).
#
#   KUBECONFIG=... scripts/verify/crds.sh            fetch (cached) + apply
#   scripts/verify/crds.sh --fetch-only              fetch (cached), apply nothing
set -Eeuo pipefail

# ---- pins (keep in step with constructs/core/charts.ts) ---------------------
CNPG_VERSION="v1.27.0"            # cloudnative-pg chart 0.26.0 ships app 1.27.0
ISTIO_API_VERSION="v1.27.1"       # istio base/istiod charts 1.27.1
PROM_OPERATOR_VERSION="v0.85.0"   # kube-prometheus-stack 77.0.0 ships prometheus-operator v0.85.0
KONG_CONFIG_VERSION="v1.4.0"      # newest github.com/kong/kubernetes-configuration the Go proxy serves (see README)
GATEWAY_API_VERSION="v1.3.0"      # Gateway API standard channel, as Kong ingress controller 3.5 uses
ECK_VERSION="v2.16.0"             # optional: github.com/elastic/cloud-on-k8s/v2
OTEL_OPERATOR_VERSION="v0.129.1"  # optional: github.com/open-telemetry/opentelemetry-operator
STRIMZI_VERSION="0.48.0"          # io.strimzi:api on Maven Central (chart strimzi-kafka-operator 0.48.0)
STRIMZI_CRD_GENERATOR_VERSION="1.2.0"  # io.strimzi:crd-generator on Maven Central (0.48.0's own is not published)
CLICKHOUSE_OPERATOR_VERSION="0.25.3"   # altinity-clickhouse-operator chart 0.25.3: CRDs not published to a reachable registry

CRDS_CACHE="${HEXPROPERTY_CRDS_CACHE:-$HOME/.cache/hexproperty/crds}"
FIELD_MANAGER="hexproperty-verify-crds"
STANDIN_ANNOTATION="hexproperty.io/stand-in"

export PATH="/usr/local/go/bin:$PATH"
export GOTOOLCHAIN=local
unset GOFLAGS  # e.g. -mod=mod would break `go mod download` outside a module

SELF="crds.sh"
log() { printf '[%s %s] %s\n' "$SELF" "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[%s %s] WARNING: %s\n' "$SELF" "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '%s: ERROR: %s\n' "$SELF" "$1" >&2
  shift
  local l
  for l in "$@"; do printf '  %s\n' "$l" >&2; done
  exit 1
}
trap 'rc=$?; die "unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND"' ERR

FETCH_ONLY=0
case "${1:-}" in
  --fetch-only) FETCH_ONLY=1 ;;
  "") ;;
  -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
  *) die "unknown argument: $1 (use --fetch-only or nothing)" ;;
esac

mkdir -p "$CRDS_CACHE"
WORK="$CRDS_CACHE/.work"
mkdir -p "$WORK"
REPORT_ROWS=()   # "operator|version|source|files|crds"
STANDINS=()
SKIPPED=()

count_crds() { cat "$1"/*.yaml 2>/dev/null | grep -c '^kind: CustomResourceDefinition' || true; }
count_files() { find "$1" -maxdepth 1 -name '*.yaml' | wc -l; }

# go_module_dir MODULE VERSION -> prints the module's directory in the module cache
go_module_dir() {
  local out dir err
  out=$(cd "$WORK" && timeout 300 go mod download -json "$1@$2" 2>&1) || true
  dir=$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    err=$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p')
    printf '%s\n' "${err:-$out}" >&2
    return 1
  fi
  printf '%s\n' "$dir"
}

# from_go_module NAME VERSION MODULE REQUIRED(1|0) PATH... (files or dirs inside the module)
from_go_module() {
  local name=$1 version=$2 module=$3 required=$4
  shift 4
  local dest="$CRDS_CACHE/$name-$version"
  local src="Go module $module@$version: $*"
  if [[ -f "$dest/.complete" ]]; then
    log "$name $version: cached ($dest)"
  else
    log "$name $version: downloading Go module $module@$version"
    local dir err
    if ! dir=$(go_module_dir "$module" "$version" 2>"$WORK/err.txt"); then
      err=$(head -3 "$WORK/err.txt")
      if [[ $required == 1 ]]; then
        die "the Go module proxy did not serve $module@$version (needed for the $name CRDs)" "$err"
      fi
      warn "$name: skipped, the Go module proxy did not serve $module@$version: $err"
      SKIPPED+=("$name $version: $module@$version not served by the Go module proxy")
      return 0
    fi
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    local p f
    for p in "$@"; do
      if [[ -d "$dir/$p" ]]; then
        for f in "$dir/$p"/*.yaml; do
          [[ "$(basename "$f")" == kustomization.yaml ]] && continue
          grep -q '^kind: CustomResourceDefinition' "$f" || continue
          cp "$f" "$dest.tmp/"
        done
      elif [[ -f "$dir/$p" ]]; then
        cp "$dir/$p" "$dest.tmp/"
      else
        die "$module@$version has no $p (the pinned path moved?)"
      fi
    done
    chmod -R u+w "$dest.tmp"
    [[ $(count_crds "$dest.tmp") -gt 0 ]] || die "$module@$version: no CustomResourceDefinition found in $*"
    printf '%s\n' "$src" >"$dest.tmp/SOURCE"
    touch "$dest.tmp/.complete"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  REPORT_ROWS+=("$name|$version|$src|$(count_files "$dest")|$(count_crds "$dest")")
}

# A JDK >= 21 (io.strimzi:crd-generator 1.x is built for Java 21).
find_java21() {
  local c v best="" bestv=0
  for c in ${HEXPROPERTY_JAVA:-} "$(command -v java || true)" /usr/lib/jvm/*/bin/java /opt/*/bin/java /opt/*/*/bin/java; do
    [[ -n "$c" && -x "$c" ]] || continue
    v=$("$c" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$bestv" ]] && { best=$c; bestv=$v; }
  done
  [[ -n "$best" ]] && printf '%s\n' "$best"
}

strimzi() {
  local name=strimzi version=$STRIMZI_VERSION
  local dest="$CRDS_CACHE/$name-$version"
  local src="generated by Maven io.strimzi:crd-generator:$STRIMZI_CRD_GENERATOR_VERSION from the classes of io.strimzi:api:$version (Maven Central), same arguments as Strimzi's own api/pom.xml"
  if [[ -f "$dest/.complete" ]]; then
    log "$name $version: cached ($dest)"
  else
    command -v mvn >/dev/null || die "mvn not found (needed to fetch io.strimzi:api:$version from Maven Central)"
    local java
    java=$(find_java21) || die "no Java >= 21 found (io.strimzi:crd-generator:$STRIMZI_CRD_GENERATOR_VERSION needs it)" \
      "looked at \$HEXPROPERTY_JAVA, java on PATH, /usr/lib/jvm/*/bin/java, /opt/*/bin/java"
    local w="$WORK/strimzi-$version"
    mkdir -p "$w"
    cat >"$w/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.hexproperty</groupId>
  <artifactId>strimzi-crds</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>$version</version></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>$STRIMZI_CRD_GENERATOR_VERSION</version></dependency>
  </dependencies>
</project>
EOF
    log "$name $version: resolving io.strimzi:api:$version + io.strimzi:crd-generator:$STRIMZI_CRD_GENERATOR_VERSION from Maven Central"
    (cd "$w" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=classpath.txt) >"$w/mvn.log" 2>&1 \
      || die "Maven could not resolve io.strimzi:api:$version / io.strimzi:crd-generator:$STRIMZI_CRD_GENERATOR_VERSION" "$(grep -m3 ERROR "$w/mvn.log")"
    log "$name $version: generating CRDs with $java"
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    local cp m="io.strimzi.api.kafka.model" d="$dest.tmp"
    cp=$(cat "$w/classpath.txt")
    local common=(--label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.16+ --crd-api-version v1 --storage-version v1beta2 --yaml)
    "$java" -cp "$cp" io.strimzi.crdgenerator.CrdGenerator "${common[@]}" --api-versions v1beta2 \
      "$m.kafka.Kafka=$d/040-Crd-kafka.yaml" \
      "$m.connect.KafkaConnect=$d/041-Crd-kafkaconnect.yaml" \
      "$m.podset.StrimziPodSet=$d/042-Crd-strimzipodset.yaml" \
      "$m.nodepool.KafkaNodePool=$d/045-Crd-kafkanodepool.yaml" \
      "$m.bridge.KafkaBridge=$d/046-Crd-kafkabridge.yaml" \
      "$m.connector.KafkaConnector=$d/047-Crd-kafkaconnector.yaml" \
      "$m.mirrormaker2.KafkaMirrorMaker2=$d/048-Crd-kafkamirrormaker2.yaml" \
      "$m.rebalance.KafkaRebalance=$d/049-Crd-kafkarebalance.yaml" >"$w/generate.log" 2>&1 \
      || die "io.strimzi crd-generator failed" "$(grep -v SLF4J "$w/generate.log" | tail -5)"
    "$java" -cp "$cp" io.strimzi.crdgenerator.CrdGenerator "${common[@]}" --api-versions v1alpha1,v1beta1,v1beta2 \
      "$m.topic.KafkaTopic=$d/043-Crd-kafkatopic.yaml" \
      "$m.user.KafkaUser=$d/044-Crd-kafkauser.yaml" >>"$w/generate.log" 2>&1 \
      || die "io.strimzi crd-generator failed (KafkaTopic/KafkaUser)" "$(grep -v SLF4J "$w/generate.log" | tail -5)"
    [[ $(count_crds "$dest.tmp") -eq 10 ]] || die "io.strimzi crd-generator wrote $(count_crds "$dest.tmp") CRDs, expected 10" "$(tail -5 "$w/generate.log")"
    printf '%s\n' "$src" >"$dest.tmp/SOURCE"
    touch "$dest.tmp/.complete"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  REPORT_ROWS+=("$name|$version|$src|$(count_files "$dest")|$(count_crds "$dest")")
}

# standin_crd GROUP KIND PLURAL SINGULAR SHORTNAME REASON
standin_crd() {
  cat <<EOF
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: $3.$1
  labels:
    hexproperty.io/stand-in: "true"
  annotations:
    $STANDIN_ANNOTATION: "$6"
spec:
  group: $1
  scope: Namespaced
  names:
    kind: $2
    listKind: ${2}List
    plural: $3
    singular: $4
    shortNames: [$5]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        description: "STAND-IN CRD generated by scripts/verify/crds.sh: only the names are real, the schema accepts anything."
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
EOF
}

clickhouse_standin() {
  local name=clickhouse-operator version=$CLICKHOUSE_OPERATOR_VERSION
  local dest="$CRDS_CACHE/$name-$version-stand-in"
  local reason="no registry publishes this operator's CRDs" dir
  local module=github.com/altinity/clickhouse-operator
  # The Go module proxy refuses this module here; if it ever serves the
  # release, use its deploy/operator CRDs instead of the stand-in.
  if dir=$(go_module_dir "$module" "v$version" 2>/dev/null) && compgen -G "$dir/deploy/operator/parts/crd.yaml" >/dev/null; then
    from_go_module "$name" "v$version" "$module" 1 deploy/operator/parts/crd.yaml
    return 0
  fi
  if [[ ! -f "$dest/.complete" ]]; then
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    {
      standin_crd clickhouse.altinity.com ClickHouseInstallation clickhouseinstallations clickhouseinstallation chi "$reason"
      standin_crd clickhouse.altinity.com ClickHouseInstallationTemplate clickhouseinstallationtemplates clickhouseinstallationtemplate chit "$reason"
      standin_crd clickhouse-keeper.altinity.com ClickHouseKeeperInstallation clickhousekeeperinstallations clickhousekeeperinstallation chk "$reason"
    } >"$dest.tmp/clickhouse-operator-stand-in.yaml"
    echo "STAND-IN: $module@v$version is not served by the Go module proxy and no other reachable registry publishes its CRDs" >"$dest.tmp/SOURCE"
    touch "$dest.tmp/.complete"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  log "$name $version: STAND-IN CRDs (ClickHouseInstallation, ClickHouseInstallationTemplate, ClickHouseKeeperInstallation): $reason"
  REPORT_ROWS+=("$name|$version|STAND-IN ($STANDIN_ANNOTATION: $reason; $module refused by the Go module proxy)|$(count_files "$dest")|$(count_crds "$dest")")
  STANDINS+=("$dest")
}

# ---------------------------------------------------------------------------
T0=$(date +%s)
from_go_module cloudnative-pg "$CNPG_VERSION" github.com/cloudnative-pg/cloudnative-pg 1 config/crd/bases
from_go_module istio "$ISTIO_API_VERSION" istio.io/api 1 kubernetes/customresourcedefinitions.gen.yaml
from_go_module prometheus-operator "$PROM_OPERATOR_VERSION" github.com/prometheus-operator/prometheus-operator 1 example/prometheus-operator-crd
from_go_module kong "$KONG_CONFIG_VERSION" github.com/kong/kubernetes-configuration 1 config/crd/ingress-controller config/crd/ingress-controller-incubator
from_go_module gateway-api "$GATEWAY_API_VERSION" sigs.k8s.io/gateway-api 0 config/crd/standard
from_go_module eck "$ECK_VERSION" github.com/elastic/cloud-on-k8s/v2 0 config/crds/v1/all-crds.yaml
from_go_module opentelemetry-operator "$OTEL_OPERATOR_VERSION" github.com/open-telemetry/opentelemetry-operator 0 config/crd/bases
strimzi
clickhouse_standin
log "CRD files ready in $(( $(date +%s) - T0 ))s under $CRDS_CACHE"

if [[ $FETCH_ONLY == 0 ]]; then
  command -v kubectl >/dev/null || die "kubectl not found on PATH"
  [[ -n "${KUBECONFIG:-}" ]] || die "KUBECONFIG is not set (run: eval \"\$(scripts/verify/cluster.sh env)\")"
  kubectl version --request-timeout=10s >/dev/null 2>&1 || die "the cluster in KUBECONFIG=$KUBECONFIG does not answer" "$(kubectl version --request-timeout=10s 2>&1 | tail -2)"
  T1=$(date +%s)
  # One kubectl per half of the sources, run side by side: the API server
  # spends its time on server-side apply of large schemas, and has 2 cores.
  # balance the two by size, largest first
  args_a=() args_b=() size_a=0 size_b=0 total=0
  while read -r kb dir; do
    if (( size_a <= size_b )); then args_a+=(-f "$dir"); size_a=$((size_a + kb)); else args_b+=(-f "$dir"); size_b=$((size_b + kb)); fi
  done < <(
    for row in "${REPORT_ROWS[@]}"; do
      IFS='|' read -r name version _ _ _ <<<"$row"
      dir=$(compgen -G "$CRDS_CACHE/$name-$version*" | head -1)
      echo "$(du -sk "$dir" | cut -f1) $dir"
    done | sort -rn
  )
  for row in "${REPORT_ROWS[@]}"; do IFS='|' read -r _ _ _ _ crds <<<"$row"; total=$((total + crds)); done
  log "applying $total CRDs from ${#REPORT_ROWS[@]} sources (kubectl apply --server-side, 2 in parallel)"
  apply() { kubectl apply --server-side --force-conflicts --field-manager="$FIELD_MANAGER" "$@"; }
  apply "${args_a[@]}" >"$WORK/apply-a.log" 2>&1 & pa=$!
  apply "${args_b[@]}" >"$WORK/apply-b.log" 2>&1 & pb=$!
  rca=0; rcb=0
  wait "$pa" || rca=$?
  wait "$pb" || rcb=$?
  if (( rca != 0 || rcb != 0 )); then
    die "kubectl apply --server-side of the CRDs failed" "$(grep -hv 'serverside-applied' "$WORK/apply-a.log" "$WORK/apply-b.log" | tail -10)"
  fi
  log "applied in $(( $(date +%s) - T1 ))s; waiting for every CRD to be Established"
  not_established() {
    # (a go-template, not jsonpath: a CRD without conditions yet must count as pending, not error)
    kubectl get crd -o go-template='{{range .items}}{{$e := "False"}}{{range .status.conditions}}{{if eq .type "Established"}}{{$e = .status}}{{end}}{{end}}{{.metadata.name}} {{$e}}{{"\n"}}{{end}}' 2>&1 \
      | awk '$2 != "True"'
  }
  # one list per round (kubectl wait polls object by object, rate-limited)
  T2=$(date +%s) last=""
  while :; do
    pending=$(not_established) || true
    [[ -z "$pending" ]] && break
    (( $(date +%s) - T2 < 120 )) || die "not every CRD became Established within 120s" "$(printf '%s\n' "$pending" | head -8)"
    n=$(printf '%s\n' "$pending" | wc -l)
    [[ "$n" != "$last" ]] && log "  $n CRDs not Established yet: $(printf '%s\n' "$pending" | awk '{print $1}' | head -3 | tr '\n' ' ')..." && last=$n
    sleep 1
  done
  log "applied and Established in $(( $(date +%s) - T1 ))s: $(kubectl get crd --no-headers 2>/dev/null | wc -l) CRDs in the cluster"
fi

{
  echo "CRD source report ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  printf '  %-24s %-10s %5s %5s  %s\n' OPERATOR VERSION FILES CRDS SOURCE
  for row in "${REPORT_ROWS[@]}"; do
    IFS='|' read -r name version src files crds <<<"$row"
    printf '  %-24s %-10s %5s %5s  %s\n' "$name" "$version" "$files" "$crds" "$src"
  done
  if ((${#STANDINS[@]})); then
    echo "  stand-ins (names real, schema accepts anything; annotated $STANDIN_ANNOTATION):"
    for s in "${STANDINS[@]}"; do echo "    $s"; done
  else
    echo "  stand-ins: none"
  fi
  if ((${#SKIPPED[@]})); then
    echo "  skipped (optional):"
    for s in "${SKIPPED[@]}"; do echo "    $s"; done
  fi
} | tee "$CRDS_CACHE/report.txt"
