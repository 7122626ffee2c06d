import type { Json } from "../types.js";
import { inventoryCheck } from "./inventory.js";
import { orderStatus } from "./orders.js";

export type BuiltinAction = (args: Record<string, Json>) => Json;

/**
 * Built-in actions, registered in code. They are pure, but the engine still never
 * calls them itself: it emits an `ActionRequest` and the actor runs the action
 * (built-in or webhook alike), so every side of a `call` goes through one interface.
 */
export const builtinActions: Readonly<Record<string, BuiltinAction>> = Object.freeze({
  "inventory.check": inventoryCheck,
  "order.status": orderStatus,
});

/**
 * Built-ins with I/O: the actor runs them against the platform (`campaign.draw` asks the
 * campaign's prize pool for the user's draw). Named here so a definition may call them.
 */
export const serviceActions: ReadonlySet<string> = new Set(["campaign.draw"]);

/** Whether a definition may call `name` as a built-in. */
export function isBuiltinAction(name: string): boolean {
  return name in builtinActions || serviceActions.has(name);
}
