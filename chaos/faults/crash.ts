/**
 * Process crash: users keep sending turns while `npm run dev` is killed with SIGKILL (its whole
 * process group) several times and started again on the same persisted state. Every turn
 * answered before a crash must be in history exactly once and in order; every unanswered one,
 * re-sent with its clientMessageId until answered, applied exactly once.
 */
import type { ChaosContext, Fault } from "../fault.js";
import { checkUsers, sleep } from "../fault.js";
import type { FaultFigures } from "../figures.js";
import { Tally, figuresOf } from "../figures.js";
import type { SentTurn } from "../invariants.js";
import { sendTurn } from "../outbox.js";
import { Rng } from "../random.js";

const TEXTS = ["hello", "do you have running shoes?", "size 39", "where is my order?", "thanks", "lottery"];
/** a client gives up on a turn this long after it first sent it (the server is back long before) */
const RETRY_WINDOW_MS = 60_000;

export const crash: Fault = {
  name: "crash",
  async run(context: ChaosContext): Promise<FaultFigures> {
    const { dev, api, smoke } = context;
    const crashes = smoke ? 2 : 4;
    const phaseMs = smoke ? 5_000 : 12_000;
    // Enough users that none outruns the turn budget (2 turns/s each): 429s here would be noise.
    const users = Array.from({ length: smoke ? 96 : 200 }, (_, i) => `${context.runId}-crash-u${i}`);
    const concurrency = 16;
    const rng = new Rng(context.seed);
    const tally = new Tally();
    const sent = new Map<string, SentTurn[]>(users.map((user) => [user, []]));
    const started = Date.now();
    let loading = true;

    // Each worker owns every `concurrency`-th user: one turn in flight per user, so send order is history order.
    const worker = async (index: number) => {
      const mine = users.filter((_, i) => i % concurrency === index);
      for (let round = 0; loading; round++) {
        for (const user of mine) {
          if (!loading) break;
          const turns = sent.get(user) ?? [];
          const id = `${user}-m${turns.length}`;
          const text = TEXTS[(round + turns.length) % TEXTS.length] ?? "hello";
          turns.push(await sendTurn(api, user, text, id, tally, Date.now() + RETRY_WINDOW_MS));
        }
      }
    };
    const load = Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
    const downtimes: number[] = [];
    for (let n = 0; n < crashes; n++) {
      await sleep(phaseMs / 2 + rng.int(phaseMs));
      const down = Date.now();
      await dev.crash();
      await dev.start();
      downtimes.push(Date.now() - down);
    }
    await sleep(phaseMs / 2);
    loading = false;
    await load;
    await checkUsers(api, sent, tally);
    const total = [...sent.values()].reduce((sum, turns) => sum + turns.length, 0);
    tally.notes.push(
      `${total} turns sent by ${users.length} users, ${tally.refused} refused (429); restarts took ${downtimes.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s`,
    );
    return figuresOf(
      "process crash (kill -9 of npm run dev, restart on the same state)",
      `${crashes} crashes, ${users.length} users, ${concurrency} in flight`,
      tally,
      (Date.now() - started) / 1000,
    );
  },
};
