/**
 * Replaces every Terraform interpolation `${...}` in a synthesized string with
 * a placeholder, so a JSON document that Terraform completes at apply time
 * (values such as hosts and versions) can be parsed and checked in a test.
 */
export function withoutInterpolations(text: string, placeholder = (expr: string) => `TF(${expr.replace(/["\\]/g, "")})`): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("${", i)) {
      let depth = 0;
      let j = i + 2;
      let quoted = false;
      for (; j < text.length; j++) {
        const c = text[j]!;
        if (quoted) {
          if (c === "\\") j++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === "{") depth++;
        else if (c === "}") {
          if (depth === 0) break;
          depth--;
        }
      }
      out += placeholder(text.slice(i + 2, j));
      i = j + 1;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}
