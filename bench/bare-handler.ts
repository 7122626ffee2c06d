/**
 * The bare fetch handler the baseline and the `parley-actor` probe share: the same JWT check
 * as Parley (`verifyToken`, HS256, development secret), a minimal body check, one RPC per turn.
 */
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { TokenError, secretBytes, verifyToken } from "../src/security/jwt.js";

const SECRET = secretBytes(DEV_JWT_SECRET);

export interface BareTurn {
  userId: string;
  text: string;
  clientMessageId?: string;
}

export function error(status: number, code: string): Response {
  return Response.json({ error: { code, message: code, requestId: "" } }, { status });
}

/** The turn a request asks for, or the error answer that refuses it. */
async function readTurn(request: Request): Promise<BareTurn | Response> {
  const header = request.headers.get("authorization") ?? "";
  if (!header.startsWith("Bearer ")) return error(401, "unauthorized");
  let userId: string;
  try {
    const principal = await verifyToken(header.slice("Bearer ".length), { key: { kind: "secret", secret: SECRET } });
    if (!principal.scopes.has("chat")) return error(403, "forbidden");
    userId = principal.userId;
  } catch (cause) {
    if (cause instanceof TokenError) return error(401, "unauthorized");
    throw cause;
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return error(400, "invalid_request");
  }
  const { text, clientMessageId } = (typeof body === "object" && body !== null ? body : {}) as { text?: unknown; clientMessageId?: unknown };
  if (typeof text !== "string" || text.length < 1 || text.length > 2000) return error(400, "invalid_request");
  return { userId, text, ...(typeof clientMessageId === "string" ? { clientMessageId } : {}) };
}

/** `fetch` for a system: `/healthz`, `POST /v1/messages` → `turn`, 404 otherwise; only under development. */
export function bareFetch(version: string, turn: (request: BareTurn) => Promise<unknown>) {
  return async (request: Request, environment: string | undefined): Promise<Response> => {
    if (environment !== "development") return error(503, "unavailable");
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return Response.json({ ok: true, version });
    if (pathname !== "/v1/messages" || request.method !== "POST") return error(404, "not_found");
    const read = await readTurn(request);
    return read instanceof Response ? read : Response.json(await turn(read));
  };
}
