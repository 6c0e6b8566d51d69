/** What the Pub/Sub adapter needs to tell gRPC errors apart and keep admin calls bounded. */

/** gRPC status codes the adapter tells apart. */
export const GRPC = { OK: 0, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;

/** Admin calls fail after this instead of retrying for minutes when the server is down. */
export const ADMIN_CALL = { timeout: 10_000 } as const;

export function grpcCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** The first line of a client error, without the client's list of every retried attempt. */
export function brief(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(" : Previous errors")[0]!.replace(/\s+/g, " ").trim();
}
