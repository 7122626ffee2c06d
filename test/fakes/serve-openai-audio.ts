/**
 * The fake OpenAI audio server on a local port, for trying voice turns with `npm run dev`
 * without a real provider (docs/voice.md):
 *
 *   npx tsx test/fakes/serve-openai-audio.ts 9100
 *   npm run dev -- --var SPEECH_PROVIDER:openai --var SPEECH_BASE_URL:http://127.0.0.1:9100 --var SPEECH_API_KEY:test-speech-key
 *
 * It transcribes a recording as its directive's `say` (or "hello"), and speaks `FAKE-AUDIO:…`.
 */

import type { IncomingMessage } from "node:http";
import { createServer } from "node:http";
import { FAKE_SPEECH_ORIGIN, createFakeOpenAiAudio } from "./openai-audio.js";

const port = Number(process.argv[2] ?? 9100);
const fake = createFakeOpenAiAudio();

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

createServer(async (incoming, outgoing) => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  // The fake answers its own origin only: rewrite the local address to it.
  const request = new Request(`${FAKE_SPEECH_ORIGIN}${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
    body: hasBody ? await bodyOf(incoming) : null,
  });
  const response = (await fake(request)) ?? new Response("not found", { status: 404 });
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}).listen(port, "127.0.0.1", () => console.log(`fake OpenAI audio server on http://127.0.0.1:${port}`));
