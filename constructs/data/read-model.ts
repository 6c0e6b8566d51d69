import { readModelDdl } from "@hexproperty/runtime/topology";

/** The read model's schema on Spanner: the same statements the runtime's Spanner adapter expects. */
export const SPANNER_READ_MODEL_DDL: readonly string[] = readModelDdl();
