/** Writes RULES.md from the rules and the pack: `node -r ./scripts/ts-hook.js constructs/policy/write-rules-md.ts`. */
import { writeFileSync } from "fs";
import { join } from "path";
import { HEXPROPERTY_PACK } from ".";
const esc = (s: string) => s.replace(/\|/g, "\\|");
const rows = [...HEXPROPERTY_PACK.entries].sort((a, b) => a.rule.id.localeCompare(b.rule.id)).map((e) => `| \`${e.rule.id}\` | ${e.rule.layer} | ${e.rule.stacks.join(", ")} | ${e.severity} | ${e.rule.scope} | ${esc(e.rule.what)} | ${esc(e.rule.why)} | ${esc(e.rule.fix)} |`);
const text = `# Policy rules

The rules of the policy pack (\`constructs/policy\`), one file each in
\`rules/<id>.ts\`: a pure function of one synthesized resource (or, for
\`stack\` rules, of all resources of one stack) and the environment's
settings, answering compliant, non-compliant or not applicable. The
\`hexproperty\` pack (\`packs/hexproperty.ts\`) gives each its severity:
\`error\` stops \`npm run synth\` before anything is written, \`warning\` is
printed once. \`layer\` is the folder under \`constructs/\` whose resources the
rule is about (\`any\`: every resource); \`stacks\` is the stack kind it is
written for.

Suppress a finding only when it is acceptable, with a reason:
\`addSuppressions(construct, [{ rule: "<id>", reason: "..." }])\` on the
construct or one of its parents, where the construct is built (cdk-nag's
habit). Every suppression is printed after each
synthesis. \`test/policy\` checks that this table has one row per rule
(regenerate it with
\`node -r ./scripts/ts-hook.js constructs/policy/write-rules-md.ts\`).

| id | layer | stacks | severity | scope | what | why | how to fix |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
writeFileSync(join(__dirname, "RULES.md"), text);
