/**
 * Microbenchmark of the pure dialog `step` for the example bot over a realistic mix of
 * turns (both languages, slot filling, digressions, actions). Measured, not asserted:
 *   npx tsx bench/dialog-step.ts
 * A "turn" is one user message: the text step plus any action-result steps it chains.
 */
import { SHOPPER_SCRIPT, loadShop } from "./shopper.js";
import { reportStepTimes } from "./step-timing.js";

const compileStart = performance.now();
const bot = loadShop();
console.log(`compileBot: ${(performance.now() - compileStart).toFixed(1)} ms`);
// A fresh user each round; each round also crosses a session boundary halfway.
reportStepTimes(bot, SHOPPER_SCRIPT, (index) => (index === SHOPPER_SCRIPT.length / 2 ? 3_600_000 : 8_000));
