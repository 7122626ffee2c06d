import type { Json } from "../types.js";

/**
 * `inventory.check`: stock by product and size from a small fixed table. A demo
 * stand-in for a real stock service (which would be a webhook action).
 */
const STOCK: Record<string, Record<number, number>> = {
  // Running shoes come in half sizes (the size entity takes them: `step: 0.5`); the others do not.
  running: { 36: 4, 37: 6, 38: 5, 38.5: 2, 39: 3, 39.5: 4, 40: 8, 40.5: 3, 41: 2, 41.5: 0, 42: 7, 42.5: 5, 43: 0, 43.5: 1, 44: 1, 45: 0 },
  basketball: { 39: 0, 40: 2, 41: 5, 42: 6, 43: 4, 44: 3, 45: 2, 46: 1, 47: 0 },
  canvas: { 34: 3, 35: 5, 36: 9, 37: 8, 38: 6, 39: 0, 40: 4, 41: 3, 42: 2, 43: 1 },
  hiking: { 37: 1, 38: 2, 39: 4, 40: 3, 41: 0, 42: 5, 43: 2, 44: 2, 45: 1 },
};

export function inventoryCheck(args: Record<string, Json>): Json {
  const product = typeof args.product === "string" ? args.product : "";
  const size = typeof args.size === "number" ? args.size : Number(args.size);
  const quantity = STOCK[product]?.[size] ?? 0;
  return { product, size: Number.isFinite(size) ? size : null, quantity, inStock: quantity > 0 };
}
