import type { Json } from "../types.js";

/**
 * `inventory.check`: stock by product, size and (optionally) colour from a small fixed table.
 * A demo stand-in for a real stock service (which would be a webhook action).
 */
const STOCK: Record<string, Record<number, number>> = {
  // Running shoes come in half sizes (the size entity takes them: `step: 0.5`); the others do not.
  running: { 36: 4, 37: 6, 38: 5, 38.5: 2, 39: 3, 39.5: 4, 40: 8, 40.5: 3, 41: 2, 41.5: 0, 42: 7, 42.5: 5, 43: 0, 43.5: 1, 44: 1, 45: 0 },
  basketball: { 39: 0, 40: 2, 41: 5, 42: 6, 43: 4, 44: 3, 45: 2, 46: 1, 47: 0 },
  canvas: { 34: 3, 35: 5, 36: 9, 37: 8, 38: 6, 39: 0, 40: 4, 41: 3, 42: 2, 43: 1 },
  hiking: { 37: 1, 38: 2, 39: 4, 40: 3, 41: 0, 42: 5, 43: 2, 44: 2, 45: 1 },
};

/** The colours each model is made in, the first the most stocked: a size's pairs are shared out in that order. */
const COLOURS: Record<string, readonly string[]> = {
  running: ["black", "white", "blue"],
  basketball: ["black", "red", "white"],
  canvas: ["white", "black", "red", "blue"],
  hiking: ["grey", "black"],
};

/** `{ product, size, colour, quantity, inStock, colourOffered }`; `colourOffered` is "yes", "no", or "any" when no colour was named. */
export function inventoryCheck(args: Record<string, Json>): Json {
  const product = typeof args.product === "string" ? args.product : "";
  const size = typeof args.size === "number" ? args.size : Number(args.size);
  const colour = typeof args.colour === "string" ? args.colour : "";
  const total = STOCK[product]?.[size] ?? 0;
  const colours = COLOURS[product] ?? [];
  const index = colour === "" ? -1 : colours.indexOf(colour);
  const quantity = colour === "" ? total : index < 0 ? 0 : shareOf(total, index, colours.length);
  const colourOffered = colour === "" ? "any" : index < 0 ? "no" : "yes";
  return { product, size: Number.isFinite(size) ? size : null, colour: colour || null, quantity, inStock: quantity > 0, colourOffered };
}

/** The pairs of colour number `index` when `total` are shared out one by one over `count` colours. */
function shareOf(total: number, index: number, count: number): number {
  return Math.floor(total / count) + (index < total % count ? 1 : 0);
}
