/** `agent`: a human agent of the handoff queues (/v1/agent/…, the /agent page). */
export const SCOPES = ["chat", "voice", "admin", "agent"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The `scope` claim is space separated (RFC 8693); unknown scopes are ignored. */
export function parseScopes(claim: unknown): Set<Scope> {
  if (typeof claim !== "string") return new Set();
  return new Set(claim.split(" ").filter(isScope));
}
