import { Construct } from "constructs";
import { CHARTS } from "../core/charts";
import { PinnedRelease } from "../core/helm";
import type { ISecret } from "kubernetes-models/v1";
import { KubeResource } from "../core/kube";
import { addSuppressions } from "../policy/suppressions";
import type { Identity } from "../core/identity";
import { mixedPathGroup } from "../errors";
import type { OpenApi3Document } from "./gateway-openapi";
import type { InterfaceContract } from "./contract";

/** The values this layer sets on the Kong chart (Kong/charts, charts/kong/values.yaml). */
export interface KongChartValues {
  readonly ingressController: { readonly enabled: true; readonly ingressClass: string };
  readonly admin: { readonly enabled: false };
  readonly manager: { readonly enabled: false };
  readonly proxy: { readonly type: "LoadBalancer" | "NodePort" | "ClusterIP" };
  /** The gateway's own ServiceAccount: the principal the services' AuthorizationPolicies allow. */
  readonly deployment: { readonly serviceAccount: { readonly create: true; readonly name: string } };
  /** Kong joins the mesh (sidecar by the pod label), so it calls the services over mTLS. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** One Ingress per path group: the first path segment and the service that serves it. */
export interface PathGroup {
  readonly name: string;
  readonly prefix: string;
  readonly service: string;
}

/** Groups the OpenAPI document's paths by first segment; every group is served by one service. Health routes are the operators', not the gateway's. */
export function pathGroups(doc: OpenApi3Document): PathGroup[] {
  const groups = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === "/healthz" || path === "/readyz") continue;
    const prefix = `/${path.split("/")[1]}`;
    for (const op of Object.values(item as unknown as Record<string, Record<string, unknown>>)) {
      const service = op["x-hexproperty-service"];
      if (typeof service === "string") groups.set(prefix, (groups.get(prefix) ?? new Set()).add(service));
    }
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([prefix, services]) => {
    if (services.size !== 1) throw mixedPathGroup(prefix, [...services]);
    return { name: prefix.slice(1), prefix, service: [...services][0]! };
  });
}

export interface PortableInterfaceProps {
  /** Namespace of the Kong gateway. */
  readonly namespace: string;
  /** Namespace of the services (the Ingresses, plugins and consumer live next to them). */
  readonly workloadsNamespace: string;
  readonly auth: InterfaceContract["auth"];
  /** The services' OpenAPI document: one Ingress per path group. */
  readonly openApi: OpenApi3Document;
  /** Port the services listen on. @default 8080 */
  readonly servicePort?: number;
  /** Service type of Kong's proxy. @default "LoadBalancer" */
  readonly proxyServiceType?: "LoadBalancer" | "NodePort" | "ClusterIP";
  /** Requests per minute per client IP. @default 600 */
  readonly rateLimitPerMinute?: number;
  /** Name of the Secret this construct creates as Kong's jwt credential (keys key, algorithm, rsa_public_key; label konghq.com/credential=jwt). */
  readonly jwtCredentialSecret: string;
  /** The issuer's RSA public key in PEM (from `auth.jwksUri`): Kong checks RS256 signatures with it. Public, so it may sit in state. */
  readonly issuerPublicKey: string;
  /** Where the chart goes. @default - this construct */
  readonly platform?: Construct;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

const KONG_CLASS = "kong";
const KONG_ACCOUNT = "kong-gateway";

/**
 * Kong (platform stack; the only Service exposed outside the cluster) and,
 * in the workloads' namespace, one Ingress of class kong per path group of
 * the OpenAPI document, a JWT plugin (`exp` checked, signature checked
 * against the issuer's public key, a credential Secret created here from
 * config) and a rate-limiting plugin on every route.
 */
export class PortableInterface extends Construct implements InterfaceContract {
  readonly auth: InterfaceContract["auth"];
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: PortableInterfaceProps) {
    super(scope, id);
    const values: KongChartValues = {
      ingressController: { enabled: true, ingressClass: KONG_CLASS },
      admin: { enabled: false },
      manager: { enabled: false },
      proxy: { type: props.proxyServiceType ?? "LoadBalancer" },
      deployment: { serviceAccount: { create: true, name: KONG_ACCOUNT } },
      podLabels: { "sidecar.istio.io/inject": "true" },
    };
    new PinnedRelease(props.platform ?? this, "kong", { pin: CHARTS.kong, name: "kong", namespace: props.namespace, values: values as unknown as Record<string, unknown> });
    this.auth = props.auth;
    this.identity = { kind: "kubernetes-service-account", name: KONG_ACCOUNT, namespace: props.namespace };

    const ns = props.workloadsNamespace;
    const labels = props.labels ? { ...props.labels } : undefined;
    const plugin = (name: string, pluginName: string, config: Record<string, unknown>) => new KubeResource(this, name, {
      object: { apiVersion: "configuration.konghq.com/v1", kind: "KongPlugin", metadata: { name, namespace: ns, labels }, plugin: pluginName, config } as KubeResource["object"],
    });
    // Kong's jwt plugin finds the consumer by the token's `iss` and checks the signature with its credential.
    plugin("jwt", "jwt", { key_claim_name: "iss", claims_to_verify: ["exp"], header_names: ["authorization"], run_on_preflight: false });
    plugin("rate-limit", "rate-limiting", { minute: props.rateLimitPerMinute ?? 600, policy: "local", limit_by: "ip", fault_tolerant: true });
    // Kong's jwt credential (KIC 3.x: the konghq.com/credential label, keys key/algorithm/rsa_public_key): `key` is matched against the token's `iss`.
    const credential = new KubeResource<ISecret>(this, "jwt-credential", {
      object: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: props.jwtCredentialSecret, namespace: ns, labels: { ...labels, "konghq.com/credential": "jwt" } },
        type: "Opaque",
        // `data` (base64), not `stringData`: the API server stores only `data`, and kubernetes_manifest compares what it stored.
        data: base64({ key: props.auth.issuer, algorithm: "RS256", rsa_public_key: props.issuerPublicKey }),
      },
    });
    addSuppressions(credential, [
      { rule: "k8s-no-secret-in-state", reason: "Kong's jwt credential holds only the issuer's public key and its issuer URL, both public (published at auth.jwksUri); no credential reaches the state." },
      { rule: "no-literal-secrets", reason: "The literal is the label konghq.com/credential=jwt, which names the credential type Kong looks for; the Secret holds only public material." },
    ]);
    new KubeResource(this, "issuer", {
      object: {
        apiVersion: "configuration.konghq.com/v1",
        kind: "KongConsumer",
        metadata: { name: "token-issuer", namespace: ns, labels, annotations: { "kubernetes.io/ingress.class": KONG_CLASS } },
        username: "token-issuer",
        credentials: [props.jwtCredentialSecret],
      } as KubeResource["object"],
    });

    for (const group of pathGroups(props.openApi)) {
      new KubeResource(this, `route-${group.name}`, {
        object: {
          apiVersion: "networking.k8s.io/v1",
          kind: "Ingress",
          metadata: { name: `api-${group.name}`, namespace: ns, labels, annotations: { "konghq.com/plugins": "jwt,rate-limit", "konghq.com/strip-path": "false", "konghq.com/protocols": "https" } },
          spec: {
            ingressClassName: KONG_CLASS,
            rules: [{ http: { paths: [{ path: group.prefix, pathType: "Prefix", backend: { service: { name: group.service, port: { number: props.servicePort ?? 8080 } } } }] } }],
          },
        } as KubeResource["object"],
      });
    }
  }
}

function base64(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]));
}
