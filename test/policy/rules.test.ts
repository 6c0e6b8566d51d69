/**
 * Every rule of the pack, on hand-built resources: given a compliant input
 * it answers compliant, given a non-compliant one it answers non-compliant;
 * and every rule is in the pack and in RULES.md.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { HEXPROPERTY_PACK, RULES, type PolicyResource, type Rule, type Verdict } from "../../constructs/policy";
import { CASES } from "./cases";
import { SETTINGS, res } from "./fixtures";

function verdicts(rule: Rule, input: PolicyResource | PolicyResource[]): Verdict[] {
  if (rule.scope === "stack") return rule.check(Array.isArray(input) ? input : [input], SETTINGS).map((v) => v.verdict);
  return (Array.isArray(input) ? input : [input]).map((r) => rule.check(r, SETTINGS));
}

describe.each(RULES.map((rule) => [rule.id, rule] as const))("rule %s", (id, rule) => {
  const cases = CASES[id];

  test("given a compliant resource, when checked, then it is compliant", () => {
    expect(cases).toBeDefined();
    const found = verdicts(rule, cases!.compliant);
    expect(found.map((v) => v.status)).toContain("compliant");
    expect(found.filter((v) => v.status === "non-compliant")).toEqual([]);
  });

  test("given a non-compliant resource, when checked, then it is non-compliant with a detail", () => {
    const found = verdicts(rule, cases!.nonCompliant).filter((v) => v.status === "non-compliant");
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) expect(v.status === "non-compliant" && v.detail.length).toBeGreaterThan(0);
  });

  test("given a resource of an unrelated kind, when checked, then it is not applicable", () => {
    const found = verdicts(rule, [res("random_pet", { length: 2 })]).map((v) => v.status);
    expect(found).not.toContain("non-compliant");
    // no-literal-secrets looks at every resource; the others only at their kinds.
    if (id !== "no-literal-secrets") expect(found.every((s) => s === "not-applicable")).toBe(true);
  });
});

describe("the rule set", () => {
  test("given the rules, then there are at least 30, ids are unique, and each has a file named after its id", () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(readFileSync(join(__dirname, "../../constructs/policy/rules", `${id}.ts`), "utf8")).toContain(`id: "${id}"`);
  });

  test("given the pack, then it uses every rule exactly once", () => {
    expect(HEXPROPERTY_PACK.entries.map((e) => e.rule.id).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test("given RULES.md, then it has exactly one row per rule, with its layer, stacks and severity", () => {
    const table = readFileSync(join(__dirname, "../../constructs/policy/RULES.md"), "utf8");
    const rows = table.split("\n").filter((l) => /^\| `[a-z0-9-]+` \|/.test(l));
    expect(rows.map((r) => /^\| `([a-z0-9-]+)`/.exec(r)![1]).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const entry of HEXPROPERTY_PACK.entries) {
      const row = rows.find((r) => r.startsWith(`| \`${entry.rule.id}\` |`))!;
      expect(row).toContain(`| ${entry.rule.layer} | ${entry.rule.stacks.join(", ")} | ${entry.severity} |`);
    }
  });
});
