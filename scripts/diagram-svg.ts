/**
 * `npm run diagram`: one SVG per environment (docs/diagrams/<env>.svg) of the
 * construct tree grouped by layer: a column per layer, in it the resources of
 * each stack (platform, workloads); below, the grants that connect each
 * workload identity to the topics and stores it uses. Hand-rolled SVG, no
 * graphviz; the same input gives byte-identical output.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { TerraformDataSource, TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ENVIRONMENTS, loadEnvironments, type Environment } from "../environments";
import { buildApp } from "../stacks/app";
import type { EnvironmentStacks } from "../stacks/environment";
import { KubeResource } from "../constructs/core/kube";
import { DOMAIN, type DomainContract } from "../constructs/domain";

/** Layers in the order of docs/architecture.md; `stack` holds what a stack creates outside any layer (providers' data, the namespace). */
export const LAYERS = ["stack", "microservices", "application", "events", "data", "support", "interface", "mesh"] as const;
const LAYER_TITLE: Record<(typeof LAYERS)[number], string> = {
  stack: "stack", microservices: "2 microservices", application: "3 application", events: "4 events", data: "5 data", support: "6 support", interface: "7 interface", mesh: "8 mesh",
};

export interface DiagramModel {
  readonly environment: string;
  readonly kind: string;
  /** Stack names in deploy order. */
  readonly stacks: readonly string[];
  /** layer -> stack -> resource labels (sorted). */
  readonly resources: Record<string, Record<string, string[]>>;
  /** Workload identities (sorted), with how each is represented. */
  readonly identities: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  /** Topics and stores grants point at (sorted). */
  readonly targets: readonly string[];
  /** identity -> target, labelled with what is granted. */
  readonly grants: ReadonlyArray<{ readonly identity: string; readonly target: string; readonly what: string }>;
}

/** What a resource is called in the diagram: a Kubernetes object by kind and name, otherwise its Terraform type and construct id. */
function label(node: TerraformResource | TerraformDataSource, stack: TerraformStack): string {
  const parent = node.node.scope as IConstruct | undefined;
  if (parent instanceof KubeResource) return `${parent.object.kind} ${parent.object.metadata.name}`;
  const rel = node.node.path.slice(stack.node.path.length + 1).split("/");
  const id = rel.length > 1 ? rel.slice(1).filter((p) => p !== "resource" && p !== "release").join("/") || rel[0]! : rel[0]!;
  return `${node instanceof TerraformDataSource ? "data." : ""}${node.terraformResourceType} ${id}`;
}

export function diagramModel(env: Environment, built: EnvironmentStacks, domain: DomainContract = DOMAIN): DiagramModel {
  const stacks = [built.platform, built.main].filter((s): s is TerraformStack => s !== undefined);
  const resources: Record<string, Record<string, string[]>> = Object.fromEntries(LAYERS.map((l) => [l, {}]));
  for (const stack of stacks) {
    for (const node of stack.node.findAll()) {
      if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) continue;
      const first = node.node.path.slice(stack.node.path.length + 1).split("/")[0]!;
      const layer = (LAYERS as readonly string[]).includes(first) ? first : "stack";
      ((resources[layer]![stack.node.id] ??= [])).push(label(node, stack));
    }
  }
  for (const byStack of Object.values(resources)) for (const list of Object.values(byStack)) list.sort();

  const m = built.manifest;
  const identityKind = env.stack === "gcp" ? "Google service account" : "Kubernetes ServiceAccount";
  const identities = [...domain.microservices, ...domain.processors].sort().map((name) => ({ name, kind: identityKind }));
  const streams = m.eventBus.kind === "memory" ? {} : m.eventBus.streams;
  const topic = (stream: string) => `topic ${streams[stream]?.topic ?? stream}`;
  const grants: Array<{ identity: string; target: string; what: string }> = [];
  for (const stream of domain.streams) {
    for (const publisher of stream.publishers) grants.push({ identity: publisher, target: topic(stream.name), what: "publish" });
    for (const consumer of Object.values(stream.consumers)) grants.push({ identity: consumer, target: topic(stream.name), what: "subscribe" });
  }
  const store = { write: `write store (${m.writeStore.kind})`, read: `read store (${m.readStore.kind})`, project: `read store (${m.readStore.kind})`, cache: `cache (${m.cache.kind})` };
  for (const [workload, uses] of Object.entries(domain.dataAccess)) for (const use of uses) grants.push({ identity: workload, target: store[use], what: use });
  const key = (g: { identity: string; target: string; what: string }) => `${g.identity}\0${g.target}\0${g.what}`;
  const unique = [...new Map(grants.map((g) => [key(g), g])).values()].sort((a, b) => key(a).localeCompare(key(b)));
  const targets = [...new Set(unique.map((g) => g.target))].sort();
  return { environment: env.name, kind: env.stack, stacks: stacks.map((s) => s.node.id), resources, identities, targets, grants: unique };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
const CHAR = 6.6;
/** Vertical distance between two grants leaving one identity. */
const GRANT_GAP = 14; // width of one character at font-size 11 (monospace)
const LINE = 15;

/** The SVG of one environment. */
export function renderSvg(model: DiagramModel): string {
  const out: string[] = [];
  const text = (x: number, y: number, s: string, attrs = "") => out.push(`<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ""}>${esc(s)}</text>`);
  const columns = LAYERS.map((layer) => {
    const byStack = model.resources[layer] ?? {};
    const lines: Array<{ s: string; head?: boolean }> = [];
    for (const stack of model.stacks) {
      const list = byStack[stack] ?? [];
      if (!list.length) continue;
      lines.push({ s: stack, head: true }, ...list.map((s) => ({ s })));
    }
    if (!lines.length) lines.push({ s: "(nothing in this environment)" });
    const width = Math.max(LAYER_TITLE[layer].length + 4, ...lines.map((l) => l.s.length + 2)) * CHAR + 16;
    return { layer, lines, width: Math.ceil(width) };
  });
  const top = 64;
  const colHeight = Math.max(...columns.map((c) => c.lines.length)) * LINE + 40;
  const grantsTop = top + colHeight + 40;
  const idWidth = Math.ceil(Math.max(...model.identities.map((i) => `${i.name} (${i.kind})`.length)) * CHAR + 24);
  const targetWidth = Math.ceil(Math.max(...model.targets.map((t) => t.length)) * CHAR + 24);
  const identitiesHeight = model.identities.reduce((h, id) => h + Math.max(24, model.grants.filter((g) => g.identity === id.name).length * GRANT_GAP + 8) + 12, 0);
  const rowsHeight = Math.max(identitiesHeight, model.targets.length * 40);
  const width = Math.max(columns.reduce((w, c) => w + c.width + 12, 12), idWidth + targetWidth + 720);
  const height = grantsTop + 40 + rowsHeight + 24;

  out.push(`<!-- Generated by npm run diagram (scripts/diagram-svg.ts) from the construct tree; do not edit. -->`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  text(12, 22, `HexProperty ${model.environment}: ${model.kind} stack, ${model.stacks.join(" then ")}`, `font-size="15" font-weight="bold"`);
  text(12, 42, "Resources by layer (columns) and stack; below, the grants from each workload identity to the topics and stores it uses.", `fill="#555555"`);

  let x = 12;
  for (const c of columns) {
    out.push(`<g class="layer" data-layer="${c.layer}">`);
    out.push(`<rect x="${x}" y="${top}" width="${c.width}" height="${colHeight}" rx="6" fill="#f4f6fb" stroke="#8a9bc4"/>`);
    text(x + 8, top + 18, LAYER_TITLE[c.layer], `font-weight="bold"`);
    c.lines.forEach((l, i) => text(x + (l.head ? 8 : 16), top + 38 + i * LINE, l.s, l.head ? `fill="#1f4e9c" font-weight="bold"` : ""));
    out.push(`</g>`);
    x += c.width + 12;
  }

  text(12, grantsTop, "Grants: identity -> topic or store", `font-size="13" font-weight="bold"`);
  // One colour per kind of grant (legend); each grant leaves its identity's box at its own height, labelled there.
  const kinds = [...new Set(model.grants.map((g) => g.what))].sort();
  const colour = (what: string) => PALETTE[kinds.indexOf(what) % PALETTE.length]!;
  kinds.forEach((what, i) => {
    const lx = 300 + i * 110;
    out.push(`<line x1="${lx}" y1="${grantsTop - 4}" x2="${lx + 24}" y2="${grantsTop - 4}" stroke="${colour(what)}" stroke-width="2"/>`);
    text(lx + 30, grantsTop, what, `fill="${colour(what)}"`);
  });
  const idX = 12;
  const targetX = width - targetWidth - 12;
  const outgoing = (name: string) => model.grants.filter((g) => g.identity === name);
  const idTop: number[] = [];
  let y = grantsTop + 24;
  for (const id of model.identities) {
    idTop.push(y);
    y += Math.max(24, outgoing(id.name).length * GRANT_GAP + 8) + 12;
  }
  const targetTop = (i: number) => grantsTop + 24 + i * 40;
  const targetRow = new Map(model.targets.map((t, i) => [t, i]));
  model.identities.forEach((id, i) => {
    const grants = outgoing(id.name);
    const h = Math.max(24, grants.length * GRANT_GAP + 8);
    out.push(`<g class="identity" data-identity="${esc(id.name)}"><rect x="${idX}" y="${idTop[i]}" width="${idWidth}" height="${h}" rx="4" fill="#fff7e6" stroke="#d08c00"/>`);
    text(idX + 8, idTop[i]! + 16, `${id.name} (${id.kind})`);
    out.push(`</g>`);
    grants.forEach((g, j) => {
      const b = targetRow.get(g.target)!;
      const x1 = idX + idWidth;
      const y1 = idTop[i]! + 8 + j * GRANT_GAP + GRANT_GAP / 2;
      const x2 = targetX;
      const y2 = targetTop(b) + 12;
      out.push(`<path class="grant" data-grant="${esc(`${g.identity} ${g.what} ${g.target}`)}" d="M ${x1} ${y1} L ${x1 + 70} ${y1} C ${x1 + 220} ${y1}, ${x2 - 160} ${y2}, ${x2} ${y2}" fill="none" stroke="${colour(g.what)}" stroke-width="1.4"/>`);
      text(x1 + 4, y1 - 2, g.what, `font-size="9" fill="${colour(g.what)}"`);
    });
  });
  model.targets.forEach((t, i) => {
    out.push(`<g class="target"><rect x="${targetX}" y="${targetTop(i)}" width="${targetWidth}" height="24" rx="4" fill="#eef7ee" stroke="#3c8d3c"/>`);
    text(targetX + 8, targetTop(i) + 16, t);
    out.push(`</g>`);
  });
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}

/** The SVG of every environment file, as shipped (HEXPROPERTY_OVERRIDES and HEXPROPERTY_ONLY are ignored). */
export function diagrams(): Record<string, string> {
  const environments = loadEnvironments({ overrides: {}, only: Object.keys(ENVIRONMENTS) });
  const { stacks } = buildApp(environments, { outdir: join(__dirname, "..", ".local", "diagram-unused"), policy: { enabled: false } });
  return Object.fromEntries(environments.map((env) => [env.name, renderSvg(diagramModel(env, stacks[env.name]!))]));
}

export function main(outdir = join(__dirname, "..", "docs", "diagrams")): string[] {
  mkdirSync(outdir, { recursive: true });
  return Object.entries(diagrams()).map(([env, svg]) => {
    const file = join(outdir, `${env}.svg`);
    writeFileSync(file, svg);
    return file;
  });
}
