import type { KeyValueStore } from "./storage.js";
import { readJson, writeJson } from "./storage.js";

/** Supplies a bearer token for each connection attempt. */
export type TokenSource = () => string | Promise<string>;

export interface GuestIdentity {
  token: string;
  userId: string;
  /** epoch ms */
  expiresAt: number;
}

/** A guest token this close to expiry is replaced rather than used. */
const RENEW_BEFORE_MS = 60_000;

export class SessionError extends Error {
  override readonly name = "SessionError";
}

/**
 * The widget's identity without a host-supplied `getToken`: a guest from
 * `POST /v1/sessions/anonymous`, kept in storage so a reload is the same visitor.
 */
export class GuestSession {
  private request: Promise<GuestIdentity> | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly store: KeyValueStore,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
    private readonly now: () => number = Date.now,
  ) {}

  get storageKey(): string {
    return `parley:guest:${this.endpoint}`;
  }

  /** The stored guest token while it is valid, else a new guest. */
  async token(): Promise<string> {
    const stored = this.stored();
    if (stored && stored.expiresAt - RENEW_BEFORE_MS > this.now()) return stored.token;
    this.request ??= this.create().finally(() => {
      this.request = null;
    });
    return (await this.request).token;
  }

  /** The server refused the token: the next `token()` asks for a new guest. */
  forget(): void {
    this.store.removeItem(this.storageKey);
  }

  private stored(): GuestIdentity | null {
    const value = readJson(this.store, this.storageKey);
    return isGuestIdentity(value) ? value : null;
  }

  private async create(): Promise<GuestIdentity> {
    const response = await this.fetchFn(`${this.endpoint}/v1/sessions/anonymous`, { method: "POST" });
    if (!response.ok) throw new SessionError(`guest session refused: HTTP ${response.status}`);
    const body = (await response.json()) as Record<string, unknown>;
    const identity = { token: body["token"], userId: body["userId"], expiresAt: epochMs(body["expiresAt"]) };
    if (!isGuestIdentity(identity)) throw new SessionError("guest session answer is malformed");
    writeJson(this.store, this.storageKey, identity);
    return identity;
  }
}

/** Accepts epoch seconds, epoch milliseconds or an ISO date. */
function epochMs(value: unknown): number {
  if (typeof value === "number") return value < 1e12 ? value * 1000 : value;
  if (typeof value === "string") return Date.parse(value);
  return Number.NaN;
}

function isGuestIdentity(value: unknown): value is GuestIdentity {
  if (typeof value !== "object" || value === null) return false;
  const identity = value as Record<string, unknown>;
  return typeof identity["token"] === "string" && typeof identity["userId"] === "string" && Number.isFinite(identity["expiresAt"]);
}
