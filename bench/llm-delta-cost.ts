/**
 * What Parley's own JavaScript spends per streamed reply, in Node, without a runtime around it:
 * the model adapter reading the fake's SSE frames (openai-compatible.ts, sse.ts, deadlines,
 * breaker), the output check on the text so far (checkReply, as llm-turns.ts calls it on every
 * piece), and the fan-out to a stream request (LiveReplies → streamTurn's TransformStream → SSE
 * text). Set against the runtime's CPU per delta that `npm run bench:llm` measures, it tells
 * Parley's share from workerd's (the HTTP and RPC stream machinery per chunk).
 *
 *   npx tsx bench/llm-delta-cost.ts
 */
import { LiveReplies } from "../durable-objects/conversation/live-replies.js";
import { streamTurn } from "../durable-objects/conversation/turn-stream.js";
import { answerMessages, checkReply, compileBot, initialDialogState, step, validateBotDefinition } from "../src/dialog/index.js";
import { CircuitBreaker, withBreaker } from "../src/llm/breaker.js";
import { withDeadlines } from "../src/llm/deadlines.js";
import { openAiCompatible } from "../src/llm/openai-compatible.js";
import { piecesOf, sseBodyOf } from "../test/fakes/openai-chat-model.js";
import { MODEL_REPLY, QUESTION, llmShop } from "./llm-setup.js";

const ROUNDS = 200;
const validated = validateBotDefinition(llmShop("cost"));
if (!validated.ok) throw new Error(validated.message);
const bot = compileBot(validated.bot);
const request = step(initialDialogState(), { kind: "text", text: QUESTION, at: 1 }, bot).generate;
if (!request) throw new Error("the question asks for no generated answer");
const messages = answerMessages(bot, request, [], "en");
const context = { sensitiveValues: [], systemPrompt: messages[0]?.content ?? "", userText: QUESTION };
const pieces = piecesOf(MODEL_REPLY);

const sse = () =>
  new Response(sseBodyOf({ model: "m", pieces, includeUsage: true, promptTokens: 100, firstTokenDelayMs: 0, chunkDelayMs: 0, fault: undefined }));
const provider = withBreaker(
  withDeadlines(openAiCompatible({ baseUrl: "http://fake.test", fetch: async () => sse() }), { firstTokenMs: 60_000, totalMs: 60_000 }),
  new CircuitBreaker(),
);

/** Mean ms per reply of `work`, after a warm-up. */
async function timed(work: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 20; i++) await work();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) await work();
  return (performance.now() - started) / ROUNDS;
}

const bare = await timed(async () => {
  const reader = sse().body?.getReader();
  while (reader && !(await reader.read()).done);
});
const adapter = await timed(async () => {
  for await (const _ of provider.stream({ model: "m", messages, temperature: 0.2 }));
});
const checks = await timed(async () => {
  let text = "";
  for (const piece of pieces) checkReply((text += piece), bot, context);
});
const fanOut = await timed(async () => {
  const live = new LiveReplies(() => undefined);
  let finish: (value: never) => void = () => undefined;
  const body = streamTurn(live, "k", () => new Promise<never>((resolve) => (finish = resolve)));
  if (!(body instanceof ReadableStream)) throw new Error("refused");
  const reader = body.getReader();
  const reply = live.open("k", 1, "k");
  for (const piece of pieces) {
    reply.append(piece);
    await reader.read();
  }
  reply.close();
  finish({ seq: 2, reply: { text: MODEL_REPLY }, duplicate: false, botVersion: "cost" } as never);
  while (!(await reader.read()).done);
});
const perDelta = (ms: number) => `${ms.toFixed(3)} ms per reply, ${((ms / pieces.length) * 1000).toFixed(1)} µs per delta`;
console.log(`a ${MODEL_REPLY.length}-character reply in ${pieces.length} pieces, mean of ${ROUNDS}:`);
console.log(`  the fake's SSE body alone (subtracted below)   ${perDelta(bare)}`);
console.log(`  model adapter (SSE parse, deadlines, breaker)  ${perDelta(adapter - bare)}`);
console.log(`  output check on the text so far, every piece   ${perDelta(checks)}`);
console.log(`  LiveReplies → TransformStream → SSE text        ${perDelta(fanOut)}`);
