/**
 * `@hexproperty/runtime/topology`: names and schemas that the stacks and the
 * adapters must agree on, defined once. No client library is imported here,
 * so infrastructure code can load it cheaply.
 */
export { readModelDdl, readModelTables } from "./adapters/spanner/schema";
export type { ReadModelTables } from "./adapters/spanner/schema";
export { deadLetterReaderSubscription } from "./adapters/pubsub/settings";
export { writeStoreDdl } from "./adapters/sql/writestore";
