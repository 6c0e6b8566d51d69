#!/usr/bin/env node
// Offline `terraform validate` of synthesized CDKTF stacks against schema-stub
// providers (see README.md).
//
//   node scripts/verify/tfschema/validate.js [--quiet] [--jobs=N] <stack-dir>...
//   node scripts/verify/tfschema/validate.js --setup      only extract + build + install
//
// <stack-dir> is e.g. cdktf.out/stacks/hexproperty-dev (holding cdk.tf.json).
// Each stack is copied to a temporary directory first; nothing is written
// into the given directories. Output (stdout), one line per stack:
//   ok <stack>
// or, on failure, one line per error diagnostic first:
//   <stack>: <address>: <summary> — <first line of detail>
//   FAIL <stack>
// Exit status: 0 all valid, 1 some stack invalid, 2 setup/usage error.
// Progress and timings go to stderr (--quiet: only the build notice).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const crypto = require("crypto");
const { spawnSync, spawn } = require("child_process");
const { extract } = require("./extract");

const CACHE = process.env.HEXPROPERTY_TFSCHEMA_CACHE || path.join(os.homedir(), ".cache", "hexproperty", "tfschema");
const STUB_SRC = path.join(__dirname, "stub");
const GO = process.env.GO || (fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go");
const TERRAFORM = process.env.TERRAFORM || "terraform";

let quiet = false;
const log = (s) => {
  if (!quiet) process.stderr.write(`${s}\n`);
};
const ms = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

function sha(...parts) {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 16);
}

// ------------------------------------------------------------ stub binary --

function goEnv() {
  return { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" };
}

async function buildStub() {
  // keyed by the sources only: Go is needed only when the binary is not cached
  const key = sha(...["main.go", "go.mod", "go.sum"].map((f) => fs.readFileSync(path.join(STUB_SRC, f))));
  const bin = path.join(CACHE, "bin", key, "terraform-provider-tfschema-stub");
  if (fs.existsSync(bin)) return { bin, built: false };
  const goVersion = spawnSync(GO, ["env", "GOVERSION"], { env: goEnv(), encoding: "utf8" });
  if (goVersion.status !== 0) throw new Error(`go not usable (${GO}): ${goVersion.stderr || goVersion.error}`);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp${process.pid}`;
  process.stderr.write(
    `tfschema: building the stub provider (go ${goVersion.stdout.trim()}, terraform-plugin-go; cold: 1-3 min on 2 busy cores)...\n`,
  );
  const t0 = Date.now();
  // -v prints each package as it is compiled: that is the progress display
  await new Promise((resolve, reject) => {
    const p = spawn(GO, ["build", "-v", "-trimpath", "-ldflags=-s -w", "-o", tmp, "."], {
      cwd: STUB_SRC,
      env: goEnv(),
      stdio: ["ignore", "inherit", "pipe"],
    });
    let n = 0;
    let err = "";
    p.stderr.on("data", (d) => {
      const s = d.toString();
      err += s;
      for (const line of s.split("\n").filter(Boolean)) {
        n += 1;
        if (!quiet || n % 20 === 0) process.stderr.write(`tfschema: [go build ${String(n).padStart(3)}] ${line}\n`);
      }
    });
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`go build failed (exit ${code}):\n${err}`))));
  });
  fs.renameSync(tmp, bin);
  process.stderr.write(`tfschema: stub built in ${ms(t0)}: ${bin}\n`);
  return { bin, built: true };
}

// ------------------------------------------------------ mirror + CLI config --

function linkOrCopy(src, dst) {
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

// Unpacked filesystem-mirror layout:
//   mirror/registry.terraform.io/hashicorp/<name>/<version>/linux_amd64/
//     terraform-provider-<name>_v<version>   (the stub)
//     schema.json                            (read by the stub, next to itself)
function installMirror(bin, schemas) {
  const mirror = path.join(CACHE, "mirror");
  const platform = `${os.platform()}_${{ x64: "amd64", arm64: "arm64" }[os.arch()] || os.arch()}`;
  for (const p of schemas.providers) {
    const [host, ns, type] = p.address.split("/");
    const dir = path.join(mirror, host, ns, type, p.version, platform);
    const stamp = sha(bin, fs.readFileSync(p.file));
    const stampFile = path.join(dir, ".tfschema-stamp");
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) continue;
    const tmp = `${dir}.tmp${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    linkOrCopy(bin, path.join(tmp, `terraform-provider-${type}_v${p.version}`));
    linkOrCopy(p.file, path.join(tmp, "schema.json"));
    fs.writeFileSync(path.join(tmp, ".tfschema-stamp"), stamp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    log(`tfschema: installed ${p.address} ${p.version} (stub) into ${dir}`);
  }
  const rc = path.join(CACHE, "terraformrc");
  const text =
    `# written by scripts/verify/tfschema/validate.js: schema-stub providers only\n` +
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n` +
    `    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`;
  if (!fs.existsSync(rc) || fs.readFileSync(rc, "utf8") !== text) fs.writeFileSync(rc, text);
  return { mirror, rc };
}

// drop cache entries of earlier binding versions / stub sources
function prune(parent, keep) {
  try {
    for (const name of fs.readdirSync(parent)) {
      if (name !== keep && /^[0-9a-f]{16}$/.test(name)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  } catch {
    /* best effort */
  }
}

async function setup() {
  const t0 = Date.now();
  const schemas = extract({ log });
  log(`tfschema: schemas ready (${ms(t0)}): ${schemas.dir}`);
  const t1 = Date.now();
  const { bin, built } = await buildStub();
  if (!built) log(`tfschema: stub cached (${ms(t1)}): ${bin}`);
  const installed = installMirror(bin, schemas);
  prune(path.dirname(schemas.dir), path.basename(schemas.dir));
  prune(path.dirname(path.dirname(bin)), path.basename(path.dirname(bin)));
  return installed;
}

// --------------------------------------------------------------- validate --

function copyStack(src, dst) {
  fs.cpSync(src, dst, {
    recursive: true,
    filter: (s) => {
      const b = path.basename(s);
      return b !== ".terraform" && b !== ".terraform.lock.hcl" && !b.endsWith(".tfstate") && !b.endsWith(".tfstate.backup");
    },
  });
}

// address of the resource/data/provider/output enclosing a line of a
// pretty-printed JSON file (cdktf writes JSON.stringify(x, null, 2))
function addressAt(lines, lineNo) {
  const chain = [];
  let indent = Infinity;
  for (let i = Math.min(lineNo, lines.length) - 1; i >= 0; i--) {
    const m = /^( *)"((?:[^"\\]|\\.)*)": [{[]/.exec(lines[i]);
    const ind = /^ */.exec(lines[i])[0].length;
    if (m && ind < indent) {
      chain.unshift(JSON.parse(`"${m[2]}"`));
      indent = ind;
    } else if (!m && ind < indent && /^ *[[{]/.test(lines[i])) {
      indent = ind; // array element object
    }
    if (indent === 2) break;
  }
  const [top, a, b] = chain;
  if ((top === "resource" || top === "data" || top === "ephemeral") && a) {
    const prefix = `${top === "resource" ? "" : `${top}.`}${a}`;
    if (b) return `${prefix}.${b}`;
    // a diagnostic on the type key (e.g. "Invalid resource type"): name every instance
    try {
      const names = Object.keys(JSON.parse(lines.join("\n"))[top][a]);
      if (names.length) return names.map((n) => `${prefix}.${n}`).join(", ");
    } catch {
      /* fall through */
    }
    return prefix;
  }
  if (top === "provider" && a) return `provider.${a}`;
  if ((top === "output" || top === "variable" || top === "locals" || top === "module") && a) return `${top}.${a}`;
  return top || "";
}

function fmtDiag(stack, dir, d) {
  let addr = d.address || "";
  if (!addr && d.range && d.range.filename) {
    try {
      const lines = fs.readFileSync(path.join(dir, d.range.filename), "utf8").split("\n");
      addr = addressAt(lines, d.range.start.line);
    } catch {
      /* ignore */
    }
  }
  if (!addr && d.snippet && d.snippet.context) addr = d.snippet.context;
  const detail = (d.detail || "").split("\n").find((l) => l.trim()) || "";
  return `${stack}: ${addr || "(config)"}: ${d.summary.replace(/\s*\n\s*/g, " ")}${detail ? ` — ${detail.trim()}` : ""}`;
}

function runTfSync({ args, cwd, env }) {
  const r = spawnSync(TERRAFORM, args, { cwd, env, encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.error) throw new Error(`cannot run ${TERRAFORM}: ${r.error.message}`);
  return r;
}

function runTfAsync({ args, cwd, env }) {
  return new Promise((resolve, reject) => {
    const p = spawn(TERRAFORM, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    p.stdout.on("data", (d) => out.push(d));
    p.stderr.on("data", (d) => err.push(d));
    p.on("error", (e) => reject(new Error(`cannot run ${TERRAFORM}: ${e.message}`)));
    p.on("close", (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

// The steps of one stack as a generator yielding terraform invocations, so the
// same code runs synchronously (validateStack, used by scripts/verify/verify.js)
// and asynchronously (validateStackAsync, --jobs).
function* stackSteps(stackDir, rc) {
  const stack = path.basename(path.resolve(stackDir));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `tfschema-${stack}-`));
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
  };
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.TF_DATA_DIR;
  const out = [];
  const timing = {};
  try {
    copyStack(stackDir, work);
    let t0 = Date.now();
    const init = yield { args: ["init", "-json", "-backend=false", "-input=false", "-no-color"], cwd: work, env };
    timing.init = ms(t0);
    if (init.status !== 0) {
      const diags = [];
      for (const line of init.stdout.split("\n")) {
        try {
          const j = JSON.parse(line);
          if (j.type === "diagnostic" && j.diagnostic.severity === "error") diags.push(j.diagnostic);
        } catch {
          /* not JSON */
        }
      }
      const specific = diags.filter((d) => d.range || d.detail);
      for (const d of specific.length ? specific : diags) out.push(fmtDiag(stack, work, d));
      if (!out.length) out.push(`${stack}: (init): terraform init failed — ${(init.stderr || init.stdout).trim().split("\n")[0]}`);
      return { stack, ok: false, lines: out, timing };
    }
    t0 = Date.now();
    const v = yield { args: ["validate", "-json", "-no-color"], cwd: work, env };
    timing.validate = ms(t0);
    let j;
    try {
      j = JSON.parse(v.stdout);
    } catch {
      out.push(`${stack}: (validate): terraform validate failed — ${(v.stderr || v.stdout).trim().split("\n")[0]}`);
      return { stack, ok: false, lines: out, timing };
    }
    for (const d of j.diagnostics || []) if (d.severity === "error") out.push(fmtDiag(stack, work, d));
    const ok = j.valid === true && out.length === 0;
    if (!ok && !out.length) out.push(`${stack}: (validate): invalid, without error diagnostics`);
    return { stack, ok, lines: out, timing, warnings: (j.diagnostics || []).filter((d) => d.severity === "warning") };
  } finally {
    if (process.env.HEXPROPERTY_TFSCHEMA_KEEP !== "1") fs.rmSync(work, { recursive: true, force: true });
    else log(`tfschema: kept ${work}`);
  }
}

/** Validate one synthesized stack dir: { stack, ok, lines, timing, warnings }. Synchronous. */
function validateStack(stackDir, rc) {
  const g = stackSteps(stackDir, rc);
  let step = g.next();
  while (!step.done) {
    let r;
    try {
      r = runTfSync(step.value);
    } catch (e) {
      g.throw(e); // runs the cleanup, rethrows
    }
    step = g.next(r);
  }
  return step.value;
}

/** Same as validateStack, without blocking (several stacks at a time). */
async function validateStackAsync(stackDir, rc) {
  const g = stackSteps(stackDir, rc);
  let step = g.next();
  while (!step.done) {
    let r;
    try {
      r = await runTfAsync(step.value);
    } catch (e) {
      g.throw(e);
    }
    step = g.next(r);
  }
  return step.value;
}

async function main() {
  const args = process.argv.slice(2);
  quiet = args.includes("--quiet");
  const only = args.includes("--setup");
  const jobsArg = args.find((a) => a.startsWith("--jobs="));
  const jobs = Math.max(1, jobsArg ? Number(jobsArg.slice(7)) || 1 : Math.min(2, os.cpus().length));
  const dirs = args.filter((a) => !a.startsWith("--"));
  if (!only && !dirs.length) {
    process.stderr.write("usage: validate.js [--quiet] [--jobs=N] <stack-dir>... | --setup\n");
    return 2;
  }
  for (const d of dirs) {
    if (!fs.existsSync(path.join(d, "cdk.tf.json"))) {
      process.stderr.write(`tfschema: ${d}: no cdk.tf.json (not a synthesized stack directory)\n`);
      return 2;
    }
  }
  const tSetup = Date.now();
  const { rc } = await setup();
  log(`tfschema: setup ${ms(tSetup)} (CLI config ${rc})`);
  if (only) {
    process.stdout.write(`${rc}\n`);
    return 0;
  }
  // up to `jobs` stacks at a time; results printed in argument order
  const tAll = Date.now();
  const results = new Array(dirs.length);
  let next = 0;
  let printed = 0;
  let failed = 0;
  const flush = () => {
    while (printed < dirs.length && results[printed]) {
      const r = results[printed++];
      for (const l of r.lines) process.stdout.write(`${l}\n`);
      process.stdout.write(`${r.ok ? "ok" : "FAIL"} ${r.stack}\n`);
      for (const w of r.warnings || []) log(`tfschema: ${r.stack}: warning: ${w.summary}`);
      log(`tfschema: ${r.stack}: init ${r.timing.init || "-"}, validate ${r.timing.validate || "-"}, total ${r.total}`);
      if (!r.ok) failed += 1;
    }
  };
  const worker = async () => {
    while (next < dirs.length) {
      const i = next++;
      const t0 = Date.now();
      const r = await validateStackAsync(dirs[i], rc);
      r.total = ms(t0);
      results[i] = r;
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, dirs.length) }, worker));
  log(`tfschema: ${dirs.length} stack(s) in ${ms(tAll)} (${jobs} at a time)`);
  return failed ? 1 : 0;
}

module.exports = { setup, validateStack, validateStackAsync, addressAt };

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`tfschema: ${e && e.message ? e.message : e}\n`);
      process.exit(2);
    },
  );
}
