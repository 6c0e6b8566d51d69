// The Helm values the stacks set, checked against the charts themselves: for
// every helm_release, each value path we set must exist in the chart's
// values.yaml at the pinned version (or be under a map the chart passes
// through whole, e.g. `podLabels: {}` or `toYaml .Values.meshConfig`, or be
// read by a template as `.Values.<path>`), and must be allowed by the chart's
// values.schema.json when it has one.
//
// Charts come from the Go module proxy (`go mod download` of the chart's
// GitHub repository at the release tag), cached in
// ~/.cache/hexproperty/charts/<chart>-<version>/. A chart whose source the
// proxy does not serve at the pin is reported as NOT CHECKED, never passed
// silently; when the proxy serves another revision of the same chart, the
// paths are also checked against it, as an advisory line (not the pin, so
// not a failure).
"use strict";
const { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const https = require("node:https");
const os = require("node:os");
const { CACHE, run, firstLine } = require("./lib");

/** Where each chart's source lives: Go module, the query for a chart version (the release tag), the chart's folder. */
const SOURCES = {
  "strimzi-kafka-operator": { module: "github.com/strimzi/strimzi-kafka-operator", query: (v) => v, dir: "packaging/helm-charts/helm3/strimzi-kafka-operator" },
  "cloudnative-pg": { module: "github.com/cloudnative-pg/charts", query: (v) => `cloudnative-pg-v${v}`, dir: "charts/cloudnative-pg" },
  "altinity-clickhouse-operator": { module: "github.com/Altinity/clickhouse-operator", query: (v) => `release-${v}`, dir: "deploy/helm/clickhouse-operator" },
  valkey: { module: "github.com/valkey-io/valkey-helm", query: (v) => `valkey-${v}`, dir: "valkey" },
  "kube-prometheus-stack": { module: "github.com/prometheus-community/helm-charts", query: (v) => `kube-prometheus-stack-${v}`, dir: "charts/kube-prometheus-stack" },
  "eck-operator": { module: "github.com/elastic/cloud-on-k8s/v2", query: (v) => `v${v}`, dir: "deploy/eck-operator" },
  kong: { module: "github.com/Kong/charts", query: (v) => `kong-${v}`, dir: "charts/kong" },
  base: { module: "istio.io/istio", query: (v) => v, dir: "manifests/charts/base" },
  istiod: { module: "istio.io/istio", query: (v) => v, dir: "manifests/charts/istio-control/istio-discovery" },
  cni: { module: "istio.io/istio", query: (v) => v, dir: "manifests/charts/istio-cni" },
};

/** An unreachable source is asked again after this long (keeps a warm verify fast). */
const RETRY_MS = 24 * 3600 * 1000;

/** The go command's environment: the proxy, the local toolchain; downloads are checked against the checksum database as crds.sh's are. */
function goEnv() {
  return { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin`, GOFLAGS: "-mod=mod", GOPROXY: "https://proxy.golang.org", GOTOOLCHAIN: "local" };
}

/** `go mod download -json module@query`: { dir } or { error }. */
function download(module, query) {
  const scratch = join(os.tmpdir(), "hexproperty-chart-values");
  mkdirSync(scratch, { recursive: true });
  const r = run("go", ["mod", "download", "-json", `${module}@${query}`], { cwd: scratch, env: goEnv(), timeout: 600000 });
  let info = {};
  try {
    info = JSON.parse(r.stdout);
  } catch {
    return { error: firstLine(r.stderr || r.stdout) || `go exited ${r.status}` };
  }
  if (info.Error || !info.Dir) return { error: firstLine(info.Error || r.stderr || "no Dir") };
  return { dir: info.Dir, version: info.Version };
}

/** The module versions the proxy lists (pseudo-versions included), newest last. */
function proxyList(module) {
  const escaped = module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  return new Promise((resolve) => {
    const req = https.get(`https://proxy.golang.org/${escaped}/@v/list`, { timeout: 20000 }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(res.statusCode === 200 ? body.split("\n").map((l) => l.trim()).filter(Boolean).sort() : []));
    });
    req.on("error", () => resolve([]));
    req.on("timeout", () => req.destroy());
  });
}

function chartVersion(chartDir) {
  const file = join(chartDir, "Chart.yaml");
  if (!existsSync(file)) return undefined;
  return (readFileSync(file, "utf8").match(/^version:\s*["']?([^"'\s]+)/m) || [])[1];
}

/** Every `.Values.a.b.c` a template reads, as "a.b.c", and the paths used whole (followed by no further key). */
function templateReferences(chartDir) {
  const refs = new Set();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|tpl|txt|json)$/.test(name)) for (const m of readFileSync(path, "utf8").matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) refs.add(m[1].slice(1));
    }
  };
  for (const sub of ["templates", "files"]) if (existsSync(join(chartDir, sub))) walk(join(chartDir, sub));
  return [...refs].sort();
}

/**
 * Legacy prefixes the chart folds into the top level (Istio's zzy_descope_legacy.yaml:
 * `mustMergeOverwrite $.Values (index $.Values "pilot")`), so `pilot.env.X` is the value `env.X`.
 */
function descopedKeys(chartDir) {
  const keys = new Set();
  const dir = join(chartDir, "templates");
  if (!existsSync(dir)) return [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) for (const m of readFileSync(path, "utf8").matchAll(/mustMergeOverwrite \$\.Values \(index \$\.Values "([A-Za-z0-9_]+)"\)/g)) keys.add(m[1]);
  }
  return [...keys].sort();
}

/** Copies what the check needs (values, schema, template references) into the cache. */
function cacheChart(target, chartDir, source) {
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "values.yaml"), readFileSync(join(chartDir, "values.yaml")));
  if (existsSync(join(chartDir, "values.schema.json"))) writeFileSync(join(target, "values.schema.json"), readFileSync(join(chartDir, "values.schema.json")));
  writeFileSync(join(target, "template-refs.txt"), templateReferences(chartDir).join("\n"));
  writeFileSync(join(target, "descoped.txt"), descopedKeys(chartDir).join("\n"));
  writeFileSync(join(target, "SOURCE"), `${source}\n`);
}

/** The chart at the pin, from the cache or the proxy: { dir, source } or { error }. */
function pinnedChart(chart, version) {
  const src = SOURCES[chart];
  if (!src) return { error: `no source known for chart ${chart} (add it to SOURCES in scripts/verify/chart-values.js)` };
  const target = join(CACHE, "charts", `${chart}-${version}`);
  if (existsSync(join(target, "SOURCE"))) return { dir: target, source: readFileSync(join(target, "SOURCE"), "utf8").trim() };
  const marker = join(CACHE, "charts", `${chart}-${version}.unreachable`);
  if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs < RETRY_MS) return { error: readFileSync(marker, "utf8").trim() };
  const got = download(src.module, src.query(version));
  const chartDir = got.dir && join(got.dir, src.dir);
  let error = got.error;
  if (!error && chartVersion(chartDir) !== version) error = `${src.module}@${got.version} holds ${src.dir} version ${chartVersion(chartDir) ?? "(none)"}, not ${version}`;
  if (error) {
    mkdirSync(join(CACHE, "charts"), { recursive: true });
    writeFileSync(marker, `${src.module}@${src.query(version)} is not served by the Go module proxy: ${error}`);
    return { error: readFileSync(marker, "utf8").trim() };
  }
  cacheChart(target, chartDir, `${src.module}@${got.version} ${src.dir}`);
  return { dir: target, source: `${src.module}@${got.version} ${src.dir}` };
}

/** The newest revision of the chart the proxy serves (another version than the pin): { dir, source, version } or undefined. */
async function nearestChart(chart) {
  const src = SOURCES[chart];
  if (!src) return undefined;
  const advisory = join(CACHE, "charts", `${chart}-advisory`);
  if (existsSync(join(advisory, "SOURCE")) && Date.now() - statSync(join(advisory, "SOURCE")).mtimeMs < RETRY_MS) {
    const source = readFileSync(join(advisory, "SOURCE"), "utf8").trim();
    return { dir: advisory, source, version: source.split(" ").pop() };
  }
  const versions = await proxyList(src.module);
  for (const v of versions.reverse()) {
    const got = download(src.module, v);
    const version = got.dir && chartVersion(join(got.dir, src.dir));
    if (!version) continue;
    cacheChart(advisory, join(got.dir, src.dir), `${src.module}@${got.version} ${src.dir} chart ${version}`);
    return { dir: advisory, source: `${src.module}@${got.version} ${src.dir} chart ${version}`, version };
  }
  return undefined;
}

/** Every leaf path of the values we set ("a.b.c"); arrays and empty maps are leaves. */
function leafPaths(value, prefix = []) {
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

/** Why `path` is a value of the chart, or undefined when it is not. */
function accepted(path, chartValues, refs, schema) {
  if (schema && !schemaAllows(schema, path)) return undefined;
  let node = chartValues;
  for (let i = 0; i < path.length; i++) {
    const isMap = node !== null && typeof node === "object" && !Array.isArray(node);
    if (!isMap || !(path[i] in node)) {
      if (refs.has(path.join("."))) return "read by a template";
      // A map the templates use whole (`toYaml .Values.<parent>`, `range .Values.<parent>`): its keys are free-form.
      const parent = path.slice(0, i).join(".");
      if (i > 0 && isMap && refs.has(parent)) return `under ${parent}, used whole by a template`;
      return undefined;
    }
    const child = node[path[i]];
    const here = path.slice(0, i + 1).join(".");
    if (i < path.length - 1 && child !== null && typeof child === "object" && !Array.isArray(child) && Object.keys(child).length === 0) return `under ${here}: {} (free-form map)`;
    if (i < path.length - 1 && child === null) return `under ${here}: null (free-form)`;
    node = child;
  }
  return "in values.yaml";
}

/** values.schema.json: a key is refused only where the schema closes the object (additionalProperties: false) without it. */
function schemaAllows(schema, path) {
  let node = schema;
  for (const key of path) {
    if (!node || typeof node !== "object") return true;
    if (node.properties && key in node.properties) node = node.properties[key];
    else if (node.additionalProperties === false) return false;
    else if (node.additionalProperties && typeof node.additionalProperties === "object") node = node.additionalProperties;
    else return true;
  }
  return true;
}

function loadChart(dir) {
  const YAML = require("yaml");
  let values = YAML.parse(readFileSync(join(dir, "values.yaml"), "utf8")) ?? {};
  // Istio's charts keep their defaults under _internal_defaults_do_not_set; users set the keys at the top.
  if (values._internal_defaults_do_not_set) values = { ...values._internal_defaults_do_not_set, ...values };
  const schemaFile = join(dir, "values.schema.json");
  const schema = existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, "utf8")) : undefined;
  const refs = new Set(readFileSync(join(dir, "template-refs.txt"), "utf8").split("\n").filter(Boolean));
  const descoped = existsSync(join(dir, "descoped.txt")) ? readFileSync(join(dir, "descoped.txt"), "utf8").split("\n").filter(Boolean) : [];
  return { values, schema, refs, descoped };
}

function check(paths, dir) {
  const chart = loadChart(dir);
  return paths.map((p) => {
    let why = accepted(p, chart.values, chart.refs, chart.schema);
    // A legacy prefix the chart folds into the top level: pilot.env.X is env.X.
    if (!why && p.length > 1 && chart.descoped.includes(p[0])) {
      const inner = accepted(p.slice(1), chart.values, chart.refs, chart.schema);
      if (inner) why = `${inner} (as ${p.slice(1).join(".")}; the chart folds ${p[0]}.* into the top level)`;
    }
    return { path: p.join("."), why };
  });
}

/**
 * Checks every helm_release of the given stacks (name -> Terraform JSON).
 * Returns { problems, report }: a problem per value path the pinned chart does not have.
 */
async function checkChartValues(stacks) {
  const releases = new Map();
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [name, r] of Object.entries(json.resource?.helm_release ?? {})) {
      const paths = (r.values ?? []).flatMap((doc) => leafPaths(JSON.parse(doc))).filter((p) => p.length > 0);
      const key = `${r.chart}@${r.version}`;
      // each value path remembers the first release that sets it, so a problem names a stack that really has it
      const entry = releases.get(key) ?? { chart: r.chart, version: r.version, paths: new Map() };
      for (const p of paths) if (!entry.paths.has(p.join("."))) entry.paths.set(p.join("."), { path: p, where: `${stack}: helm_release.${name}` });
      releases.set(key, entry);
    }
  }
  const problems = [];
  const report = [];
  for (const { chart, version, paths } of [...releases.values()].sort((a, b) => a.chart.localeCompare(b.chart))) {
    const list = [...paths.values()].map((v) => v.path);
    if (list.length === 0) {
      report.push(`chart values ${chart} ${version}: no values set (chart defaults)`);
      continue;
    }
    const pinned = pinnedChart(chart, version);
    if (pinned.dir) {
      const results = check(list, pinned.dir);
      const missing = results.filter((r) => !r.why);
      for (const m of missing) problems.push(`${paths.get(m.path).where} (chart ${chart} ${version}): value ${m.path} is not a value of the chart (${pinned.source})`);
      report.push(`chart values ${chart} ${version}: ${results.length} paths checked against ${pinned.source}, ${missing.length} unknown`);
      continue;
    }
    report.push(`chart values ${chart} ${version}: NOT CHECKED — ${pinned.error}`);
    const near = await nearestChart(chart);
    if (near) {
      const missing = check(list, near.dir).filter((r) => !r.why);
      report.push(`  advisory, against another revision (not the pin, so not a failure): ${list.length} paths, ${missing.length ? `not in it: ${missing.map((m) => m.path).join(", ")}` : "all present"} — ${near.source}`);
    }
  }
  return { problems, report };
}

/**
 * Negative control: the first release whose pinned chart is checkable, with one value planted that no chart has,
 * must be refused for that value. Returns a report line and, when it was not refused, a problem.
 */
async function chartValuesControl(stacks) {
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [name, r] of Object.entries(json.resource?.helm_release ?? {})) {
      if (!r.values?.length || !pinnedChart(r.chart, r.version).dir) continue;
      const planted = { ...JSON.parse(r.values[0]), hexpropertyPlanted: { notAChartValue: true } };
      const result = await checkChartValues({ [stack]: { resource: { helm_release: { [name]: { ...r, values: [JSON.stringify(planted)] } } } } });
      const hit = result.problems.find((p) => p.includes("hexpropertyPlanted.notAChartValue"));
      return hit
        ? { line: `negative control, a Helm value the chart does not have: rejected — ${hit}` }
        : { line: "negative control, a Helm value the chart does not have: NOT rejected", problem: `negative control accepted: a planted Helm value passed the chart values check (${stack}: helm_release.${name})` };
    }
  }
  return { line: "negative control, a Helm value the chart does not have: not possible (no pinned chart is served by the Go module proxy)" };
}

module.exports = { checkChartValues, chartValuesControl, leafPaths, accepted, schemaAllows };
