import { Fn, Token } from "cdktf";

/**
 * Concatenates strings some of which may be Terraform tokens. A template
 * literal around a token becomes "...${ref}..." and, inside a Terraform
 * function such as jsonencode, an escape sequence cdktf warns it may render
 * wrongly; `join("", [...])` has none. Plain strings stay plain.
 */
export function concat(...parts: string[]): string {
  return parts.some((p) => Token.isUnresolved(p)) ? Fn.join("", parts) : parts.join("");
}
