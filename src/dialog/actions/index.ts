import type { Json } from "../types.js";
import { inventoryCheck } from "./inventory.js";
import { lotteryDraw } from "./lottery.js";
import { orderStatus } from "./orders.js";

export type BuiltinAction = (args: Record<string, Json>) => Json;

/**
 * Built-in actions, registered in code. They are pure, but the engine still never
 * calls them itself: it emits an `ActionRequest` and the actor runs the action
 * (built-in or webhook alike), so every side of a `call` goes through one interface.
 */
export const builtinActions: Readonly<Record<string, BuiltinAction>> = Object.freeze({
  "inventory.check": inventoryCheck,
  "lottery.draw": lotteryDraw,
  "order.status": orderStatus,
});
