import { z } from "zod";
import type { PaymentCallback } from "./callback.js";
import type { FakeFaults, FakeLedger, FakePayment, FakeState } from "./fake-state.js";
import { emptyState, fakeFaultsSchema, ledgerOf, newPayment, samePayment, takeFault } from "./fake-state.js";
import type { FetchLike } from "./http-provider.js";
import { signatureHeaders, verifySignature } from "./signing.js";
import { IDEMPOTENCY_KEY_HEADER, PAYOUTS_PATH, idempotencyKeySchema, payoutBodySchema } from "./wire.js";

export interface FakePaymentProviderOptions {
  /** Checks our requests, signs its callbacks. */
  secret: string;
  /** Delivers callbacks; the global `fetch` when left out. */
  fetch?: FetchLike;
  /** Epoch milliseconds, for signatures both ways. */
  now?: () => number;
}

export interface FakePaymentProvider {
  /** The provider's HTTP API (./wire.ts) and its control routes under /__fake/. */
  handle(request: Request): Promise<Response>;
  /** Resolves once every callback scheduled so far is delivered (or has failed). */
  idle(): Promise<void>;
  ledger(): FakeLedger;
  setFaults(faults: FakeFaults): void;
  reset(): void;
}

const DEFAULT_TIMEOUT_DELAY_MS = 10_000;
const CALLBACK_ATTEMPTS = 3;

/**
 * An in-memory payment provider speaking the HTTP API of ./wire.ts, for development and tests.
 * It checks request signatures (401), pays a key at most once (a repeated key answers the
 * payment's state, a repeated key with another payment 409), refuses amounts that are not
 * integers > 0 (400), and misbehaves on demand (./fake-state.ts `FakeFaults`):
 *
 *   PUT  /__fake/faults  { "fail5xx": 2, "async": true, "rejectAccounts": { "acct-9": "invalid_account" } }
 *   GET  /__fake/faults, GET /__fake/ledger, POST /__fake/reset
 *
 * Business rejections answer 422 `{ error: { code: reason }, id }`; a later status lookup
 * answers 200 `{ id, status: "rejected", reason }`. In async mode, callbacks go to the
 * request's callbackUrl, signed with the same secret.
 *
 * @example
 * const fake = createFakePaymentProvider({ secret: "dev-payments-secret" });
 * const provider = httpPaymentProvider({ baseUrl: "http://payments.test", secret: "dev-payments-secret", fetch: (url, init) => fake.handle(new Request(url, init)), timeoutMs: 1000 });
 */
export function createFakePaymentProvider(options: FakePaymentProviderOptions): FakePaymentProvider {
  let state = emptyState();
  const inFlight = new Set<Promise<void>>();
  const now = options.now ?? Date.now;
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));

  const schedule = (payment: FakePayment): void => {
    const current = state;
    const delivery = sleep(current.faults.callbackDelayMs ?? 0)
      .then(() => finish(current, payment, options.secret, send, now))
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  };

  return {
    async handle(request: Request): Promise<Response> {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/__fake/")) return control(url, request, state, () => (state = emptyState()));
      return provider(request, url.pathname, state, { secret: options.secret, now, schedule });
    },
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    ledger: () => ledgerOf(state),
    setFaults(faults: FakeFaults): void {
      state.faults = fakeFaultsSchema.parse(faults);
    },
    reset(): void {
      state = emptyState();
    },
  };
}

interface ProviderContext {
  secret: string;
  now: () => number;
  schedule: (payment: FakePayment) => void;
}

async function provider(request: Request, path: string, state: FakeState, context: ProviderContext): Promise<Response> {
  if (state.faults.slowMs) await sleep(state.faults.slowMs, request.signal);
  if (takeFault(state.faults, "fail5xx")) return errorAnswer(503, "unavailable", "the fake is failing on purpose");
  const body = await request.text();
  const check = await verifySignature(context.secret, request.headers, body, context.now() / 1000);
  if (!check.ok) return errorAnswer(401, check.code === "stale" ? "stale" : "bad_signature", check.message);
  if (request.method === "POST" && path === PAYOUTS_PATH) return pay(request, body, state, context);
  const key = path.startsWith(`${PAYOUTS_PATH}/`) ? decodeURIComponent(path.slice(PAYOUTS_PATH.length + 1)) : undefined;
  if (request.method === "GET" && key !== undefined) {
    const payment = state.payments.get(key);
    return payment ? Response.json(answerOf(payment)) : errorAnswer(404, "not_found", `no payout with idempotency key ${key}`);
  }
  return errorAnswer(404, "not_found", `no route ${request.method} ${path}`);
}

async function pay(request: Request, text: string, state: FakeState, context: ProviderContext): Promise<Response> {
  const key = idempotencyKeySchema.safeParse(request.headers.get(IDEMPOTENCY_KEY_HEADER) ?? "");
  if (!key.success) return errorAnswer(400, "invalid_request", `${IDEMPOTENCY_KEY_HEADER}: 1–200 of [A-Za-z0-9_:.-]`);
  const body = payoutBodySchema.safeParse(jsonOf(text));
  if (!body.success) return errorAnswer(400, "invalid_request", z.prettifyError(body.error));
  const existing = state.payments.get(key.data);
  if (existing) {
    if (!samePayment(existing.body, body.data)) return errorAnswer(409, "idempotency_conflict", "this key was used for another payment");
    return paymentAnswer(existing);
  }
  const payment = newPayment(state, key.data, body.data);
  if (payment.status === "pending") context.schedule(payment);
  if (payment.status !== "rejected" && takeFault(state.faults, "timeoutAfterSuccess")) {
    await sleep(state.faults.timeoutDelayMs ?? DEFAULT_TIMEOUT_DELAY_MS, request.signal);
    return errorAnswer(504, "unavailable", "the payment was made, the answer is lost on purpose");
  }
  return paymentAnswer(payment);
}

/** A pending payment becomes final, then its callback goes out (twice with `duplicateCallbacks`). */
async function finish(state: FakeState, payment: FakePayment, secret: string, send: FetchLike, now: () => number): Promise<void> {
  payment.status = payment.finalStatus;
  const { callbackUrl, reference, amount, currency } = payment.body;
  if (!callbackUrl) return;
  const callback: PaymentCallback = {
    eventId: `evt_${payment.id}`,
    idempotencyKey: payment.idempotencyKey,
    reference,
    status: payment.finalStatus,
    providerRef: payment.id,
    ...(payment.reason === undefined ? {} : { reason: payment.reason }),
    amount,
    currency,
  };
  const body = JSON.stringify(callback);
  const copies = state.faults.duplicateCallbacks ? 2 : 1;
  for (let copy = 0; copy < copies; copy++) {
    if (await deliver(callbackUrl, body, secret, send, now)) state.callbacksSent++;
    else state.callbacksFailed++;
  }
}

/** Up to CALLBACK_ATTEMPTS tries, each signed afresh; true when one was answered 2xx. */
async function deliver(url: string, body: string, secret: string, send: FetchLike, now: () => number): Promise<boolean> {
  for (let attempt = 0; attempt < CALLBACK_ATTEMPTS; attempt++) {
    try {
      const headers = { ...(await signatureHeaders(secret, body, now() / 1000)), "content-type": "application/json" };
      const response = await send(url, { method: "POST", headers, body });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // the receiver is down: try again
    }
  }
  return false;
}

function answerOf(payment: FakePayment): { id: string; status: FakePayment["status"]; reason?: string } {
  return payment.reason === undefined || payment.status !== "rejected"
    ? { id: payment.id, status: payment.status }
    : { id: payment.id, status: payment.status, reason: payment.reason };
}

/** POST's answer: 200 with the payment, or 422 for a business rejection. */
function paymentAnswer(payment: FakePayment): Response {
  if (payment.status !== "rejected") return Response.json(answerOf(payment));
  return Response.json({ error: { code: payment.reason ?? "rejected", message: "the fake rejects on purpose" }, id: payment.id }, { status: 422 });
}

async function control(url: URL, request: Request, state: FakeState, reset: () => void): Promise<Response> {
  const route = `${request.method} ${url.pathname}`;
  if (route === "GET /__fake/ledger") return Response.json(ledgerOf(state));
  if (route === "GET /__fake/faults") return Response.json(state.faults);
  if (route === "POST /__fake/reset") {
    reset();
    return Response.json({ ok: true });
  }
  if (route === "PUT /__fake/faults") {
    const faults = fakeFaultsSchema.safeParse(jsonOf(await request.text()));
    if (!faults.success) return errorAnswer(400, "invalid_request", z.prettifyError(faults.error));
    state.faults = faults.data;
    return Response.json(state.faults);
  }
  return errorAnswer(404, "not_found", `no route ${route}`);
}

function errorAnswer(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Waits `ms` (a timer even for 0: a callback never overtakes the answer it follows), or less
 * when the caller hangs up — nobody reads the answer, and the timer is freed.
 */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
