/**
 * The local profiles' token issuer: an ES256 key pair kept under .local/
 * (git-ignored), its public half published as the JWKS file the manifest's
 * `auth.jwksUri` names (file://.local/dev-jwks.json), and dev tokens signed
 * with the private half. Never used by a deployed stack: there the manifest
 * points at the real issuer's https JWKS.
 */
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { jwksLocation, type AuthSettings, type Role } from "./auth";

const KID = "hexproperty-dev-1";

export interface DevTokenClaims {
  readonly tenant: string;
  readonly sub?: string;
  readonly roles?: readonly Role[];
  /** Lifetime in seconds. @default 12 hours */
  readonly ttlSeconds?: number;
}

export class DevIssuer {
  private constructor(private readonly auth: AuthSettings, private readonly privateJwk: JsonWebKey) {}

  /** Loads the key pair (creating it on first use) and (re)writes the JWKS file the manifest names. */
  static ensure(auth: AuthSettings, root: string = process.cwd()): DevIssuer {
    const loc = jwksLocation(auth.jwksUri);
    if (loc.kind !== "file") throw new Error(`dev issuer: auth.jwksUri is ${auth.jwksUri}; the dev issuer only serves a file:// JWKS (local profiles)`);
    const keyFile = join(root, ".local", "dev-issuer", "private.jwk.json");
    if (!existsSync(keyFile)) {
      // link() fails when another process created the key first: every process ends up with the same key
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      mkdirSync(dirname(keyFile), { recursive: true });
      const tmp = `${keyFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(privateKey.export({ format: "jwk" })), { mode: 0o600 });
      try {
        linkSync(tmp, keyFile);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      } finally {
        unlinkSync(tmp);
      }
    }
    const privateJwk = JSON.parse(readFileSync(keyFile, "utf8")) as JsonWebKey;
    const { d: _d, ...publicJwk } = privateJwk;
    const jwks = JSON.stringify({ keys: [{ ...publicJwk, kid: KID, alg: "ES256", use: "sig" }] }, null, 2);
    if (!existsSync(loc.path) || readFileSync(loc.path, "utf8") !== jwks) atomicWrite(loc.path, jwks);
    return new DevIssuer(auth, privateJwk);
  }

  token(c: DevTokenClaims): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "ES256", typ: "JWT", kid: KID };
    const payload = {
      iss: this.auth.issuer,
      aud: this.auth.audience,
      sub: c.sub ?? `dev@${c.tenant}`,
      tenant: c.tenant,
      roles: c.roles ?? ["manager"],
      iat: now,
      exp: now + (c.ttlSeconds ?? 12 * 3600),
    };
    const input = `${b64(header)}.${b64(payload)}`;
    const sig = sign("sha256", Buffer.from(input), { key: createPrivateKey({ key: this.privateJwk, format: "jwk" }), dsaEncoding: "ieee-p1363" });
    return `${input}.${sig.toString("base64url")}`;
  }
}

function b64(x: unknown): string {
  return Buffer.from(JSON.stringify(x)).toString("base64url");
}

function atomicWrite(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
