import { z } from "zod";
import type { PaymentOutcome, PaymentProvider, PaymentRequest, PaymentStatus } from "./provider.js";
import { PaymentRequestError, TransientPaymentError } from "./provider.js";
import { signatureHeaders } from "./signing.js";
import type { PayoutBody } from "./wire.js";
import {
  IDEMPOTENCY_KEY_HEADER,
  PAYOUTS_PATH,
  PROTOCOL_ERROR_CODES,
  errorAnswerSchema,
  idempotencyKeySchema,
  payoutAnswerSchema,
  payoutBodySchema,
} from "./wire.js";

/** The slice of `fetch` the adapter needs: tests pass the fake provider, the Worker the global. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpPaymentProviderOptions {
  /** e.g. "https://payments.example" (no trailing `/v1`). */
  baseUrl: string;
  /** Shared with the provider: signs our requests and its callbacks. */
  secret: string;
  fetch: FetchLike;
  /** The whole exchange, answer body included; past it the outcome is unknown. */
  timeoutMs: number;
  /** Epoch milliseconds, for the signature timestamp. */
  now?: () => number;
}

interface Reply {
  status: number;
  json: unknown;
}

/** Statuses that say "not now": the request may or may not have been acted on. */
const RETRY_LATER = new Set([408, 409, 425, 429]);
/** Statuses about who we are or where we knock, never about the payment: a business code on them is not a rejection. */
const REFUSED = new Set([401, 403, 404]);

/**
 * The payment provider over HTTP JSON, every request HMAC-signed (./signing.ts).
 * 2xx answers are checked with zod; 5xx, 408/409/425/429, network errors, timeouts and answers
 * that are not a payout throw `TransientPaymentError`; a 4xx whose `error.code` is a business
 * one becomes `{ status: "rejected", reason: code }`; other 4xx (401 bad signature, 400
 * invalid request) throw `PaymentRequestError`.
 *
 * @example
 * const provider = httpPaymentProvider({ baseUrl: env.PAYMENTS_BASE_URL, secret: env.PAYMENTS_SECRET, fetch: (url, init) => fetch(url, init), timeoutMs: 10_000 });
 * const outcome = await provider.pay({ idempotencyKey, amount: 500, currency: "CNY", account, reference: drawId });
 */
export function httpPaymentProvider(options: HttpPaymentProviderOptions): PaymentProvider {
  const base = options.baseUrl.replace(/\/+$/, "");
  const now = options.now ?? Date.now;

  const call = async (method: "GET" | "POST", path: string, body: string, headers: Record<string, string>): Promise<Reply> => {
    const signed = { ...headers, ...(await signatureHeaders(options.secret, body, now() / 1000)) };
    if (method === "POST") signed["content-type"] = "application/json";
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      return await beforeAbort(signal, async () => {
        const response = await options.fetch(`${base}${path}`, { method, headers: signed, body: method === "POST" ? body : null, signal });
        return { status: response.status, json: jsonOf(await response.text()) };
      });
    } catch (error) {
      const reason = signal.aborted ? `no answer within ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      throw new TransientPaymentError(`${method} ${path}: ${reason}`, { cause: error });
    }
  };

  return {
    async pay(request: PaymentRequest): Promise<PaymentOutcome> {
      const key = checkedKey(request.idempotencyKey);
      const body = checkedBody(request);
      const reply = await call("POST", PAYOUTS_PATH, JSON.stringify(body), { [IDEMPOTENCY_KEY_HEADER]: key });
      return isSuccess(reply) ? outcomeOf(PAYOUTS_PATH, reply) : failureOf(`POST ${PAYOUTS_PATH}`, reply);
    },

    async status(idempotencyKey: string): Promise<PaymentStatus> {
      const path = `${PAYOUTS_PATH}/${encodeURIComponent(checkedKey(idempotencyKey))}`;
      const reply = await call("GET", path, "", {});
      if (reply.status === 404) return { status: "not_found" };
      return isSuccess(reply) ? outcomeOf(path, reply) : failureOf(`GET ${path}`, reply);
    },
  };
}

/** A key the provider would refuse is our bug: say so before anything is sent. */
function checkedKey(key: string): string {
  if (!idempotencyKeySchema.safeParse(key).success) throw new TypeError(`idempotency key ${JSON.stringify(key)}: 1–200 of [A-Za-z0-9_:.-]`);
  return key;
}

/** Integer amounts, ISO currencies: a request the provider would refuse is our bug, said before sending. */
function checkedBody(request: PaymentRequest): PayoutBody {
  const { amount, currency, account, reference, callbackUrl } = request;
  const body = payoutBodySchema.safeParse(
    callbackUrl === undefined ? { amount, currency, account, reference } : { amount, currency, account, reference, callbackUrl },
  );
  if (!body.success) throw new TypeError(`payment request: ${z.prettifyError(body.error)}`);
  return body.data;
}

function isSuccess(reply: Reply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

function outcomeOf(path: string, reply: Reply): PaymentOutcome {
  const answer = payoutAnswerSchema.safeParse(reply.json);
  if (!answer.success) throw new TransientPaymentError(`${path} answered ${reply.status} with a body that is not a payout`);
  const { id, status, reason } = answer.data;
  return status === "rejected" ? { status, reason: reason ?? "rejected", providerRef: id } : { status, providerRef: id };
}

/** A non-2xx answer: a business rejection, or thrown (transient, or a request the provider refused). */
function failureOf(what: string, reply: Reply): Extract<PaymentOutcome, { status: "rejected" }> {
  const { status } = reply;
  if (status >= 500 || RETRY_LATER.has(status) || status < 400) throw new TransientPaymentError(`${what} answered ${status}`);
  const answer = errorAnswerSchema.safeParse(reply.json);
  const code = answer.data?.error.code;
  if (!answer.success || PROTOCOL_ERROR_CODES.has(answer.data.error.code) || REFUSED.has(status)) {
    throw new PaymentRequestError(`${what} answered ${status}${code ? ` ${code}` : ""}`, status);
  }
  const { error, id } = answer.data;
  return id === undefined ? { status: "rejected", reason: error.code } : { status: "rejected", reason: error.code, providerRef: id };
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `work()`, or the signal's abort: a `fetch` that ignores its signal still cannot hold the saga. */
function beforeAbort<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}
