import { toHex } from "../security/mac.js";

/**
 * W3C Trace Context as Parley carries it from the gateway through actor calls, queue
 * messages and webhook calls: `traceparent` (whose span is the sender's, i.e. the parent of
 * whatever the receiver does) and `baggage`, which holds the user only as a pseudonym.
 */
export interface TraceContext {
  traceparent: string;
  baggage?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/** The baggage member naming the user: its value is the user's pseudonym, never the id. */
export const USER_BAGGAGE_KEY = "parley.user";

export function parseTraceparent(value: string | undefined | null): { traceId: string; spanId: string; flags: string } | null {
  const match = value ? TRACEPARENT.exec(value) : null;
  if (!match?.[1] || !match[2] || !match[3] || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return null;
  return { traceId: match[1], spanId: match[2], flags: match[3] };
}

/**
 * The `traceparent` of this hop: the caller's trace id when it sent a valid one, a new one
 * otherwise, and always a span id of our own.
 */
export function nextTraceparent(incoming: string | undefined | null): string {
  const parent = parseTraceparent(incoming);
  return `00-${parent?.traceId ?? randomHex(16)}-${randomHex(8)}-${parent?.flags ?? "01"}`;
}

/** A hop further down the same trace (a consumer, a webhook call): same trace, new span. */
export function childTrace(trace: TraceContext | undefined): TraceContext {
  const traceparent = nextTraceparent(trace?.traceparent);
  return trace?.baggage === undefined ? { traceparent } : { traceparent, baggage: trace.baggage };
}

/** The trace context a gateway request hands on: its traceparent, and the user's pseudonym (src/security/pseudonym.ts). */
export function traceFor(traceparent: string, pseudonym: string | undefined): TraceContext {
  return pseudonym === undefined ? { traceparent } : { traceparent, baggage: `${USER_BAGGAGE_KEY}=${pseudonym}` };
}

/** `traceId`, `spanId` and `user` (the pseudonym from baggage) for a structured log line. */
export function traceFields(trace: TraceContext | undefined): { traceId?: string; spanId?: string; user?: string } {
  const parsed = parseTraceparent(trace?.traceparent);
  const user = trace?.baggage
    ?.split(",")
    .map((member) => member.trim().split(";")[0]?.split("=") ?? [])
    .find(([key]) => key?.trim() === USER_BAGGAGE_KEY)?.[1]
    ?.trim();
  return { ...(parsed ? { traceId: parsed.traceId, spanId: parsed.spanId } : {}), ...(user ? { user } : {}) };
}

/** Headers carrying a trace to an HTTP callee (a webhook). */
export function traceHeaders(trace: TraceContext): Record<string, string> {
  return trace.baggage === undefined ? { traceparent: trace.traceparent } : { traceparent: trace.traceparent, baggage: trace.baggage };
}

function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}
