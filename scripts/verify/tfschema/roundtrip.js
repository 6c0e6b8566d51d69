#!/usr/bin/env node
// False-positive hunt for the extracted schemas: for every resource type,
// data source and provider of every installed binding, instantiate the cdktf
// class with EVERY configurable argument set (type-correct dummy values, one
// element per block, recursively), let cdktf itself synthesize, and validate
// the result against the stubs. The binding accepts these configurations, so
// every diagnostic is a disagreement between the extracted schema and what
// cdktf emits, i.e. a false positive to fix (provider-side checks, which the
// stub does not run, cannot fire).
//
//   node scripts/verify/tfschema/roundtrip.js [provider-name...]   e.g. helm kubernetes
//
// Slow-ish (requires every binding module; google: ~1,500 resources in one stack).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { parseFolder, providerPackages } = require("./extract");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const cdktf = require(require.resolve("cdktf", { paths: [ROOT] }));

const MAX_DEPTH = 12;

function primValue(type, sct) {
  if (type === "simple") return { string: "x", number: 1, boolean: true }[sct] ?? { a: "x" };
  const m = /^(string|number|boolean|any)((?:List|Map)*)$/.exec(sct);
  if (!m) throw new Error(`unknown storage type ${sct}`);
  const suffixes = m[2].match(/List|Map/g) || [];
  let v = { string: "x", number: 1, boolean: true }[m[1]];
  if (m[1] === "any") {
    v = { a: "x" }; // dynamic
    if (suffixes[0] === "Map") suffixes.shift();
  }
  for (const s of suffixes) v = s === "List" ? [v] : { k: v };
  return v;
}

function structValue(p, S, depth) {
  const entries = S === "\0config" ? p.classes[p.main.cls].hcl : p.fns[S];
  const js = p.ifaceJs[S === "\0config" && p.main.kind === "provider" ? `${p.main.cls}Config` : S] || {};
  const out = {};
  for (const e of entries || []) {
    if (e.tf === "alias" && p.main.kind === "provider") continue;
    const name = js[e.tf];
    if (!name) throw new Error(`${p.main.tfType}: no property for ${e.tf} in ${S}`);
    const v = entryValue(p, e, depth);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function entryValue(p, e, depth) {
  if (!e.struct) return primValue(e.type, e.sct);
  if (depth >= MAX_DEPTH) return undefined;
  const v = structValue(p, e.struct, depth + 1);
  if (e.type === "struct") return v;
  if (e.type === "map") return { k: v };
  if (e.listMapperBlock === null) return v; // single-item block
  return [v];
}

function main() {
  const only = process.argv.slice(2);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "tfschema-roundtrip-"));
  const app = new cdktf.App({ outdir: out, skipValidation: true });
  const stacks = [];
  let n = 0;
  for (const pkg of providerPackages()) {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }));
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const name = meta.cdktf.provider.name.split("/").pop();
    if (only.length && !only.includes(name)) continue;
    const stack = new cdktf.TerraformStack(app, `roundtrip-${name}`);
    stacks.push(`roundtrip-${name}`);
    const lib = path.join(dir, "lib");
    const t0 = Date.now();
    const folders = fs.readdirSync(lib).filter((d) => fs.existsSync(path.join(lib, d, "index.js")));
    // provider first
    folders.sort((a, b) => (a === "provider" ? -1 : b === "provider" ? 1 : a.localeCompare(b)));
    let provider;
    for (const d of folders) {
      const p = parseFolder(path.join(lib, d));
      if (!p.main) continue;
      const Cls = require(path.join(lib, d))[p.main.cls];
      const config = structValue(p, "\0config", 0);
      // bind explicitly: google-beta types are named google_* and would imply hashicorp/google
      if (p.main.kind !== "provider") config.provider = provider;
      const id = p.main.kind === "provider" ? "provider" : `${p.main.kind === "data" ? "d" : "r"}_${p.main.tfType}`;
      const made = new Cls(stack, id, config);
      if (p.main.kind === "provider") provider = made;
      n += 1;
    }
    process.stderr.write(`roundtrip: ${name}: ${folders.length} classes instantiated (${Date.now() - t0} ms)\n`);
  }
  app.synth();
  process.stderr.write(`roundtrip: synthesized ${n} blocks into ${out}\n`);
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, "validate.js"), ...stacks.map((s) => path.join(out, "stacks", s))],
    { stdio: "inherit" },
  );
  if (process.env.HEXPROPERTY_TFSCHEMA_KEEP !== "1") fs.rmSync(out, { recursive: true, force: true });
  return r.status;
}

process.exit(main());
