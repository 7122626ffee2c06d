/**
 * Microbenchmark of the pure dialog `step` for the example bot over a realistic mix of
 * turns (both languages, slot filling, digressions, actions). Measured, not asserted:
 *   npx tsx bench/dialog-step.ts
 * A "turn" is one user message: the text step plus any action-result steps it chains.
 */
import type { CompiledBot, DialogState } from "../src/dialog/index.js";
import { applyDialogEvent, builtinActions, initialDialogState, step } from "../src/dialog/index.js";
import { SHOPPER_SCRIPT, loadShop } from "./shopper.js";

function turn(state: DialogState, bot: CompiledBot, text: string, at: number): DialogState {
  let current = state;
  let result = step(current, { kind: "text", text, at }, bot);
  for (;;) {
    for (const event of result.events) current = applyDialogEvent(current, event);
    const action = result.action;
    if (!action) return current;
    const run = builtinActions[action.name];
    const outcome = run ? { ok: true, result: run(action.args) } : { ok: false, error: "no performer" };
    result = step(current, { kind: "action-result", callId: action.callId, at, ...outcome }, bot);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const compileStart = performance.now();
const bot = loadShop();
const compileMs = performance.now() - compileStart;

const ROUNDS = 400;
const samples: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // A fresh user each round; each round also crosses a session boundary halfway.
  let state = initialDialogState();
  let at = Date.UTC(2026, 0, 1) + round * 86_400_000;
  SHOPPER_SCRIPT.forEach((text, index) => {
    at += index === SHOPPER_SCRIPT.length / 2 ? 3_600_000 : 8_000;
    const start = performance.now();
    state = turn(state, bot, text, at);
    const elapsed = (performance.now() - start) * 1000;
    if (round >= 20) samples.push(elapsed); // the first rounds warm the JIT up
  });
}
samples.sort((a, b) => a - b);
console.log(`compileBot: ${compileMs.toFixed(1)} ms`);
console.log(`step per turn over ${samples.length} turns (${SHOPPER_SCRIPT.length}-turn mix):`);
console.log(
  `  median ${percentile(samples, 0.5).toFixed(1)} µs   p90 ${percentile(samples, 0.9).toFixed(1)} µs   p99 ${percentile(samples, 0.99).toFixed(1)} µs   max ${(samples.at(-1) ?? 0).toFixed(1)} µs`,
);
