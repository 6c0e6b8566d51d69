/** Ten+ kinds of bad value: [what, patch, expected one-line message]. */
export const BAD_VALUES: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
  ["unknown stack", { dev: { stack: "aws" } }, 'invalid environment "dev": stack = "aws" is not allowed; expected one of "gcp", "portable"'],
  ["zero max instances", { dev: { services: { property: { maxInstances: 0 } } } }, 'invalid environment "dev": services.property.maxInstances = 0 is not allowed; expected a number >= 1'],
  ["region outside the allowed list", { staging: { gcp: { region: "mars-1" } } }, 'invalid environment "staging": gcp.region = "mars-1" is not allowed; expected one of "europe-west1", "europe-west3", "europe-west4", "europe-west9", "us-central1", "us-east1"'],
  ["unknown backend kind", { prod: { backend: { kind: "s3" } } }, 'invalid environment "prod": backend.kind = "s3" is not allowed; expected one of "gcs", "kubernetes", "local"'],
  ["namespace that is not a DNS label", { dev: { portable: { namespace: "Bad_NS" } } }, 'invalid environment "dev": portable.namespace = "Bad_NS" is not allowed; expected a DNS label: lower-case letters, digits and \'-\', 1-63 characters, starting with a letter'],
  ["misspelt key", { dev: { servicez: 1 } }, 'invalid environment "dev": servicez = 1 is not allowed; expected no key "servicez" here (unknown key — did you mean "services"?)'],
  ["cpu size Cloud Run does not offer", { dev: { services: { search: { cpu: 3 } } } }, 'invalid environment "dev": services.search.cpu = 3 is not allowed; expected one of 0.5, 1, 2, 4'],
  ["Spanner processing units off the grid", { prod: { gcp: { spannerProcessingUnits: 150 } } }, 'invalid environment "prod": gcp.spannerProcessingUnits = 150 is not allowed; expected 100..1000 in steps of 100, then multiples of 1000'],
  ["min instances above max", { dev: { services: { leasing: { minInstances: 5 } } } }, 'invalid environment "dev": services.leasing.minInstances = 5 is not allowed; expected a number <= services.leasing.maxInstances (2)'],
  ["issuer that is not a URL", { dev: { auth: { issuer: "not a url" } } }, 'invalid environment "dev": auth.issuer = "not a url" is not allowed; expected an https:// URL such as https://auth.example.com/path'],
  ["gcp stack without gcp settings", { dev: { stack: "gcp", gcp: null } }, 'invalid environment "dev": gcp = (missing) is not allowed; expected a "gcp" settings block when stack is "gcp"'],
  ["number given as a string", { staging: { events: { partitions: "3" } } }, 'invalid environment "staging": events.partitions = "3" is not allowed; expected a value of type number'],
  ["local state for prod", { prod: { backend: { kind: "local", path: "state", bucket: null, prefix: null } } }, 'invalid environment "prod": backend.kind = "local" is not allowed; expected "gcs" or "kubernetes" for prod (local state is lost with the machine)'],
  ["delivery attempts Pub/Sub rejects", { staging: { events: { maxDeliveryAttempts: 2 } } }, 'invalid environment "staging": events.maxDeliveryAttempts = 2 is not allowed; expected a number >= 5'],
];
