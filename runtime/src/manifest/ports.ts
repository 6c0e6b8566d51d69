/**
 * The runtime's backend ports (the members of `Runtime` that talk to a
 * backend) and the manifest section each is configured by. The stacks use
 * the same names for what they grant a workload and hand it.
 */
import type { RuntimeManifest } from "./schema";

export const PORT_SECTION = { bus: "eventBus", writeStore: "writeStore", readStore: "readStore", cache: "cache" } as const satisfies Record<string, keyof RuntimeManifest>;
/** A backend port of the runtime, named as on `Runtime` (and in connect option `ports`). */
export type RuntimePort = keyof typeof PORT_SECTION;
export const RUNTIME_PORTS = Object.keys(PORT_SECTION) as readonly RuntimePort[];
