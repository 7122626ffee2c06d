import type { CompiledBot, DialogState } from "../src/dialog/index.js";
import { applyDialogEvent, initialDialogState, step } from "../src/dialog/index.js";
import { offlineAction } from "../test/support/offline-actions.js";

const ROUNDS = 400;
/** The first rounds warm the JIT up and are not counted. */
const WARM_UP_ROUNDS = 20;

/** One user message: the text step plus any action-result steps it chains, built-in actions run in place. */
function turn(state: DialogState, bot: CompiledBot, text: string, at: number): DialogState {
  let current = state;
  let result = step(current, { kind: "text", text, at }, bot);
  for (;;) {
    for (const event of result.events) current = applyDialogEvent(current, event);
    const action = result.action;
    if (!action) return current;
    const outcome = offlineAction(action);
    result = step(current, { kind: "action-result", callId: action.callId, at, ...outcome }, bot);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/**
 * Times every turn of `script`, a fresh user per round, and prints the distribution in µs.
 * `pauseBefore(index)` is the time between two messages (ms): a long one crosses a session.
 */
export function reportStepTimes(bot: CompiledBot, script: readonly string[], pauseBefore: (index: number) => number): void {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let state = initialDialogState();
    let at = Date.UTC(2026, 0, 1) + round * 86_400_000;
    script.forEach((text, index) => {
      at += pauseBefore(index);
      const start = performance.now();
      state = turn(state, bot, text, at);
      if (round >= WARM_UP_ROUNDS) samples.push((performance.now() - start) * 1000);
    });
  }
  samples.sort((a, b) => a - b);
  console.log(`step per turn over ${samples.length} turns (${script.length}-turn mix):`);
  console.log(
    `  median ${percentile(samples, 0.5).toFixed(1)} µs   p90 ${percentile(samples, 0.9).toFixed(1)} µs   p99 ${percentile(samples, 0.99).toFixed(1)} µs   max ${(samples.at(-1) ?? 0).toFixed(1)} µs`,
  );
}
