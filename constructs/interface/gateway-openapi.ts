/**
 * The services' OpenAPI 3.1 document (services/api/openapi.ts) turned into
 * what API Gateway accepts: an OpenAPI 2.0 (Swagger) document with one
 * `x-google-backend` per operation (the Cloud Run service named by the
 * operation's `x-hexproperty-service`) and JWT validation through
 * `securityDefinitions` with `x-google-issuer` / `x-google-jwks_uri` /
 * `x-google-audiences`.
 *
 * API Gateway validates the JWT and routes; it does not validate bodies or
 * query values (the services do, answering problem+json), so request bodies
 * are declared as JSON objects and responses by status and description only.
 */

/** The subset of an OpenAPI 3.1 document this conversion reads. */
export interface OpenApi3Document {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApi3Operation>>>>;
}

export interface OpenApi3Operation {
  readonly operationId: string;
  readonly summary?: string;
  readonly "x-hexproperty-service"?: string;
  /** `[]` marks a public operation. */
  readonly security?: readonly unknown[];
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required?: boolean; readonly description?: string; readonly schema?: Readonly<Record<string, unknown>> }>;
  readonly requestBody?: { readonly required?: boolean };
  readonly responses?: Readonly<Record<string, { readonly description?: string }>>;
}

export interface GatewayDocumentOptions {
  /** Cloud Run URL of each service, by the name operations carry in `x-hexproperty-service`. */
  readonly backends: Readonly<Record<string, string>>;
  readonly auth: { readonly issuer: string; readonly audience: string; readonly jwksUri: string };
  /** Seconds the gateway waits for a backend. @default 30 */
  readonly deadlineSeconds?: number;
}

/** Name of the JWT security definition in the generated document. */
export const JWT_SECURITY = "hexproperty_jwt";

/**
 * Keywords of a parameter's JSON Schema carried over (OpenAPI 2.0 has them on
 * non-body parameters). Not `pattern`: API Gateway does not check it (the
 * services do), and its backslashes would have to survive the Terraform
 * string the document is embedded in.
 */
const PARAMETER_KEYWORDS = ["type", "format", "enum", "minLength", "maxLength", "minimum", "maximum", "default"] as const;

export function gatewayDocument(doc: OpenApi3Document, options: GatewayDocumentOptions, onUnknownService: (service: string, path: string) => Error): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const service = op["x-hexproperty-service"] ?? "";
      const backend = options.backends[service];
      if (!backend) throw onUnknownService(service, `${method.toUpperCase()} ${path}`);
      const parameters: Record<string, unknown>[] = (op.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.in === "path" ? true : p.required ?? false,
        ...(p.description ? { description: text(p.description) } : {}),
        ...pick(p.schema ?? { type: "string" }),
      }));
      if (op.requestBody) parameters.push({ name: "body", in: "body", required: op.requestBody.required ?? true, schema: { type: "object" } });
      (paths[path] ??= {})[method] = {
        operationId: op.operationId,
        ...(op.summary ? { summary: text(op.summary) } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.security && op.security.length === 0 ? { security: [] } : {}),
        responses: Object.fromEntries(Object.entries(op.responses ?? { 200: { description: "ok" } }).map(([code, r]) => [code, { description: text(r.description ?? code) }])),
        // APPEND_PATH_TO_ADDRESS keeps the request path (CONSTANT_ADDRESS would turn path parameters into query parameters);
        // the gateway calls Cloud Run with an ID token for this audience, as its own service account.
        "x-google-backend": { address: backend, path_translation: "APPEND_PATH_TO_ADDRESS", jwt_audience: backend, deadline: options.deadlineSeconds ?? 30 },
      };
    }
  }
  return {
    swagger: "2.0",
    info: { title: text(doc.info.title), version: doc.info.version, ...(doc.info.description ? { description: text(doc.info.description) } : {}) },
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json", "application/problem+json"],
    securityDefinitions: {
      [JWT_SECURITY]: {
        authorizationUrl: "",
        flow: "implicit",
        type: "oauth2",
        "x-google-issuer": options.auth.issuer,
        "x-google-jwks_uri": options.auth.jwksUri,
        "x-google-audiences": options.auth.audience,
      },
    },
    security: [{ [JWT_SECURITY]: [] }],
    paths,
  };
}

/** Prose as it can sit inside a Terraform expression: no backslash, double quote or template sequence. */
function text(value: string): string {
  return value.replace(/\\/g, "/").replace(/"/g, "'").replace(/([$%])\{/g, "$1 {");
}

function pick(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of PARAMETER_KEYWORDS) if (schema[key] !== undefined) out[key] = schema[key];
  if (typeof out.type !== "string") out.type = "string";
  return out;
}
