/**
 * The feature flags HexProperty declares: the one catalog. An environment
 * file sets any of them (a flag it leaves out takes the default here); a
 * name that is not in this catalog is an error, never a new flag.
 */

export interface FlagDefinition {
  /** What turning the flag on does. */
  readonly description: string;
  /** Value when an environment does not set the flag. */
  readonly default: boolean;
}

export const FLAGS = {
  leaseESignature: { description: "Leases may be signed electronically (declared for the leasing service; no service reads it yet).", default: false },
  searchCache: { description: "The search service reads through the cache (services/search; read per request, so a change applies without a restart).", default: true },
} as const satisfies Record<string, FlagDefinition>;

export type FlagName = keyof typeof FLAGS;
export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];
/** Every flag with its value, as the stacks and the runtime manifest receive them. */
export type FlagSettings = Record<FlagName, boolean>;
