/**
 * Cloud Storage bucket naming, as documented at
 * https://cloud.google.com/storage/docs/buckets#naming : a short list of
 * rules, the first one broken is reported.
 */

interface BucketRule {
  /** True when the name breaks the rule. */
  readonly broken: (name: string) => boolean;
  /** What is allowed instead, for the error message. */
  readonly allowed: string;
}

/** Digits that stand in for letters in a misspelt "google" (g00gle, goog1e). */
const LOOKALIKES: Readonly<Record<string, string>> = { "0": "o", "1": "l", "3": "e", "9": "g", "6": "g" };
const normalized = (name: string) => name.replace(/[0-9]/g, (c) => LOOKALIKES[c] ?? c);
/** "google" with letters doubled or dropped (gogle, gooogle, ggoogle); look-alike digits and separators are removed first (g00gle, goo-gle). */
const GOOGLE_LIKE = /g+o+g+l+e/;

const parts = (name: string) => name.split(".");

export const BUCKET_RULES: readonly BucketRule[] = [
  { broken: (n) => !/^[a-z0-9._-]*$/.test(n), allowed: "only lower-case letters, digits, '-', '_' and '.'" },
  { broken: (n) => n.length < 3 || (!n.includes(".") && n.length > 63), allowed: "3-63 characters (names with dots: up to 222)" },
  { broken: (n) => n.length > 222 || parts(n).some((p) => p.length > 63), allowed: "at most 222 characters, at most 63 between dots" },
  { broken: (n) => !/^[a-z0-9]/.test(n) || !/[a-z0-9]$/.test(n), allowed: "a name that starts and ends with a letter or digit" },
  { broken: (n) => n.includes(".."), allowed: "a name without consecutive dots" },
  { broken: (n) => /^\d{1,3}(\.\d{1,3}){3}$/.test(n), allowed: "a name that is not an IP address (dotted-decimal form)" },
  { broken: (n) => normalized(n).startsWith("goog"), allowed: 'a name that does not begin with "goog" (reserved by Google)' },
  {
    broken: (n) => GOOGLE_LIKE.test(normalized(n)) || GOOGLE_LIKE.test(normalized(n).replace(/[-_.]/g, "")),
    allowed: 'a name without "google" or a close misspelling of it such as "g00gle" (reserved by Google)',
  },
];

/** What the name should be instead, or undefined when Cloud Storage accepts it. */
export function bucketNameProblem(name: string): string | undefined {
  const rule = BUCKET_RULES.find((r) => r.broken(name));
  return rule ? `a Cloud Storage bucket name: ${rule.allowed}` : undefined;
}
