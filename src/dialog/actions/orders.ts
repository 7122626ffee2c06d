import type { Json } from "../types.js";
import { fnv1a } from "./hash.js";

const STATES = ["processing", "shipped", "out_for_delivery", "delivered"] as const;

/**
 * `order.status`: a deterministic stand-in for an order service, so the example bot
 * works offline. A real deployment would point the `call` at a webhook instead.
 */
export function orderStatus(args: Record<string, Json>): Json {
  const orderId = typeof args.orderId === "string" ? args.orderId : "";
  const hash = fnv1a(orderId);
  const status = STATES[hash % STATES.length] ?? "processing";
  const etaDays = status === "delivered" ? 0 : 1 + ((hash >>> 4) % 4);
  return { orderId, status, etaDays };
}
