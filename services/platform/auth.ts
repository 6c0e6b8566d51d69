/**
 * JWT verification at the edge (RS256 / ES256 / PS256 with keys from a JWKS),
 * with node:crypto only. Issuer, audience and the JWKS location come from the
 * manifest's `auth`; a `file://` JWKS (the local profiles) is re-read when it
 * changes, an https JWKS is fetched and cached for ten minutes.
 *
 * The claims a service uses: `sub`, `tenant` (the property-management
 * company; every read and write is scoped to it) and `roles` ("manager" may
 * send commands, "viewer" may only read).
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { TenantId } from "../kernel/domain/values";

export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
}

export type Role = "manager" | "viewer";

export interface Principal {
  readonly subject: string;
  readonly tenant: TenantId;
  readonly roles: readonly Role[];
}

/** Why a token was refused; the message is safe to show the caller. */
export class Unauthenticated extends Error {
  readonly code = "UNAUTHENTICATED";
}

interface Jwks {
  keys: (JsonWebKey & { kid?: string; alg?: string; use?: string })[];
}

const ALGORITHMS: Record<string, { hash: string; kty: string; options?: { dsaEncoding?: "ieee-p1363"; padding?: number; saltLength?: number } }> = {
  RS256: { hash: "sha256", kty: "RSA" },
  PS256: { hash: "sha256", kty: "RSA", options: { padding: 6, saltLength: 32 } },
  ES256: { hash: "sha256", kty: "EC", options: { dsaEncoding: "ieee-p1363" } },
};

/** Where the JWKS lives: file:// (relative to the working directory when not absolute) or http(s). */
export function jwksLocation(uri: string): { kind: "file"; path: string } | { kind: "url"; url: string } {
  if (uri.startsWith("file://")) {
    const p = uri.slice("file://".length);
    return { kind: "file", path: isAbsolute(p) ? p : resolve(process.cwd(), p) };
  }
  return { kind: "url", url: uri };
}

export class JwtVerifier {
  private keys: Map<string, KeyObject & { alg?: string }> = new Map();
  private loadedAt = 0;
  private fileStamp = "";
  private loading: Promise<void> | undefined;
  private fileCheckedAt = 0;
  /** Tokens already verified, with their principal, until they expire (at most 5 minutes). */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly settings: AuthSettings, private readonly clock: () => number = Date.now) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw new Unauthenticated("missing bearer token: send Authorization: Bearer <JWT>");
    const known = this.verified.get(authorization);
    if (known && known.until >= Math.floor(this.clock() / 1000)) return known.principal;
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization);
    if (!m) throw new Unauthenticated("malformed Authorization header: expected Bearer <JWT>");
    const [, h, p, s] = m as unknown as [string, string, string, string];
    const header = decodeJson(h, "header");
    const claims = decodeJson(p, "payload");
    const alg = typeof header.alg === "string" ? ALGORITHMS[header.alg] : undefined;
    if (!alg) throw new Unauthenticated(`token algorithm ${JSON.stringify(header.alg)} is not accepted (RS256, PS256, ES256)`);
    const key = await this.key(typeof header.kid === "string" ? header.kid : undefined, alg.kty);
    const ok = verifySignature(alg.hash, Buffer.from(`${h}.${p}`), { key, ...(alg.options ?? {}) } as Parameters<typeof verifySignature>[2], Buffer.from(s, "base64url"));
    if (!ok) throw new Unauthenticated("token signature is not valid");
    const now = Math.floor(this.clock() / 1000);
    if (claims.iss !== this.settings.issuer) throw new Unauthenticated(`token issuer ${JSON.stringify(claims.iss)} is not ${this.settings.issuer}`);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(this.settings.audience)) throw new Unauthenticated(`token audience is not ${this.settings.audience}`);
    if (typeof claims.exp !== "number" || claims.exp < now - 30) throw new Unauthenticated("token has expired or has no exp");
    if (typeof claims.nbf === "number" && claims.nbf > now + 30) throw new Unauthenticated("token is not valid yet (nbf)");
    if (typeof claims.sub !== "string" || claims.sub === "") throw new Unauthenticated("token has no sub");
    let tenant: TenantId;
    try {
      tenant = TenantId.of(claims.tenant);
    } catch {
      throw new Unauthenticated("token has no valid tenant claim");
    }
    const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is Role => r === "manager" || r === "viewer");
    const principal: Principal = { subject: claims.sub, tenant, roles };
    if (this.verified.size >= 10_000) this.verified.delete(this.verified.keys().next().value as string);
    // remembered for at most 5 minutes, so a key removed from the JWKS stops being accepted soon
    this.verified.set(authorization, { principal, until: Math.min(claims.exp + 30, now + 300) });
    return principal;
  }

  private async key(kid: string | undefined, kty: string): Promise<KeyObject> {
    await this.refresh(false);
    let key = this.pick(kid, kty);
    if (!key && kid !== undefined) {
      await this.refresh(true); // a new key may have been published
      key = this.pick(kid, kty);
    }
    if (!key) throw new Unauthenticated(`no key ${kid === undefined ? "" : `"${kid}" `}for this token in the issuer's JWKS`);
    return key;
  }

  private pick(kid: string | undefined, kty: string): KeyObject | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return [...this.keys.values()].find((k) => k.asymmetricKeyType === (kty === "RSA" ? "rsa" : "ec"));
  }

  private async refresh(force: boolean): Promise<void> {
    const loc = jwksLocation(this.settings.jwksUri);
    if (loc.kind === "file") {
      if (!force && this.keys.size > 0 && this.clock() - this.fileCheckedAt < 1000) return;
      this.fileCheckedAt = this.clock();
      let stamp = "";
      try {
        const st = statSync(loc.path);
        stamp = `${st.mtimeMs}:${st.size}`;
      } catch {
        throw new Unauthenticated(`the issuer's JWKS ${loc.path} is missing`);
      }
      if (stamp !== this.fileStamp) {
        this.keys = parseJwks(JSON.parse(readFileSync(loc.path, "utf8")) as Jwks);
        this.fileStamp = stamp;
      }
      return;
    }
    if (!force && this.keys.size > 0 && this.clock() - this.loadedAt < 600_000) return;
    if (force && this.clock() - this.loadedAt < 30_000) return; // do not let unknown kids hammer the issuer
    this.loading ??= (async () => {
      try {
        const r = await fetch(loc.url, { signal: AbortSignal.timeout(5000) });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        this.keys = parseJwks((await r.json()) as Jwks);
        this.loadedAt = this.clock();
      } catch (e) {
        throw new Unauthenticated(`cannot read the issuer's JWKS ${loc.url}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }
}

function parseJwks(jwks: Jwks): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  (jwks.keys ?? []).forEach((jwk, i) => {
    if (jwk.use !== undefined && jwk.use !== "sig") return;
    out.set(jwk.kid ?? `#${i}`, createPublicKey({ key: jwk, format: "jwk" }));
  });
  return out;
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new Unauthenticated(`token ${what} is not a JSON object`);
}
