/**
 * The fake OpenAI-compatible chat server (test/fakes/openai-chat.ts) on a loopback port, for
 * `npm run dev`, the e2e tests and the benchmark, without a real model:
 *
 *   npm run fake:llm -- --port 8791 --first-token-ms 50 --chunk-ms 5
 *   npm run dev -- --var LLM_BASE_URL:http://127.0.0.1:8791
 *   curl -X POST http://127.0.0.1:8791/__fake/rules -d '{"match":"refund","commands":[{"type":"handoff"}]}'
 *   curl http://127.0.0.1:8791/__fake/requests
 *
 * `--api-key K` makes it refuse requests without `Authorization: Bearer K`; by default any key
 * (or none) is accepted. It prints one line on stdout once it listens.
 */
import { parseArgs } from "node:util";
import { FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "../test/fakes/openai-chat.js";
import { serveOnLoopback } from "../test/fakes/serve-on-loopback.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8791" },
    "first-token-ms": { type: "string", default: "0" },
    "chunk-ms": { type: "string", default: "0" },
    "api-key": { type: "string" },
  },
});

function milliseconds(name: string, value: string): number {
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`--${name} must be a number of milliseconds, not "${value}"`);
  return ms;
}

const fake = createFakeOpenAiChat({
  firstTokenDelayMs: milliseconds("first-token-ms", values["first-token-ms"]),
  chunkDelayMs: milliseconds("chunk-ms", values["chunk-ms"]),
  ...(values["api-key"] === undefined ? {} : { apiKey: values["api-key"] }),
});
const server = await serveOnLoopback(fake, { origin: FAKE_LLM_ORIGIN, port: Number(values.port) });
console.log(`fake OpenAI-compatible chat server on ${server.url} (LLM_BASE_URL=${server.url})`);
