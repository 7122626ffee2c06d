import { availableParallelism } from "node:os";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { FAKE_SPEECH_API_KEY, FAKE_SPEECH_ORIGIN, createFakeOpenAiAudio } from "./test/fakes/openai-audio.js";
import { FAKE_LLM_API_KEY, FAKE_LLM_ORIGIN, createFakeOpenAiChat } from "./test/fakes/openai-chat.js";
import { FAKE_PAYMENTS_ORIGIN, FAKE_PAYMENTS_SECRET } from "./test/fakes/payments.js";
import { createFakePaymentsByCampaign } from "./test/fakes/payments-by-campaign.js";

/** The worker tests' speech provider: a fake OpenAI audio server, reached through the Worker's outbound fetch. */
const fakeSpeech = createFakeOpenAiAudio();
/** Their payment provider: a fake per campaign, reached the same way. */
const fakePayments = createFakePaymentsByCampaign();
/** Their language model: a fake OpenAI-compatible chat server at FAKE_LLM_ORIGIN (rules: test/fakes/openai-chat.ts). */
const fakeLlm = createFakeOpenAiChat({ apiKey: FAKE_LLM_API_KEY });

/**
 * Three kinds of tests:
 * - unit:   pure code in plain Node;
 * - worker: the Worker and its Durable Objects inside workerd (real SQLite storage, queues, R2);
 * - e2e:    `wrangler dev` driven over HTTP and by headless Chromium.
 */
/** The Worker logs one JSON line per request: keep warnings and errors in test output, drop the info lines. */
function quietInfoLogs(log: string): false | undefined {
  return log.startsWith('{"level":"info"') ? false : undefined;
}

export default defineConfig({
  test: {
    onConsoleLog: quietInfoLogs,
    // Vitest's default on 2 cores is one file at a time, but a worker or e2e file spends much of
    // its time waiting on workerd, wrangler or Chromium: two at a time finish far sooner.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // Pure code: files share one module graph per worker instead of re-importing it each
        // (a test that changes module state, e.g. the log level, puts it back).
        test: { name: "unit", environment: "node", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "development",
                ROLLOUT_TTL_MS: "100",
                ALLOWED_ORIGINS: "https://shop.example",
                RATE_LIMIT_USER_BURST: "50",
                SPEECH_PROVIDER: "openai",
                SPEECH_BASE_URL: FAKE_SPEECH_ORIGIN,
                SPEECH_API_KEY: FAKE_SPEECH_API_KEY,
                // Retries come back at once: the backoff itself is unit-tested.
                VOICE_RETRY_BASE_SECONDS: "0",
                // evictDurableObject waits for an actor's pending timers, a metrics flush among them.
                METRICS_FLUSH_MS: "200",
                // Cash prizes are paid through the HTTP adapter to the fake payment provider.
                PAYMENT_PROVIDER: "http",
                PAYMENT_BASE_URL: FAKE_PAYMENTS_ORIGIN,
                PAYMENT_SECRET: FAKE_PAYMENTS_SECRET,
                PAYMENT_TIMEOUT_MS: "5000",
                // A language model for bot versions with an llm section (the bundled shop has none).
                LLM_BASE_URL: FAKE_LLM_ORIGIN,
                LLM_API_KEY: FAKE_LLM_API_KEY,
              },
              // Requests to the fake speech, payment and LLM origins are answered in Node; every other fetch goes out as usual.
              outboundService: async (request: Request) =>
                (await fakeSpeech(request)) ?? (await fakePayments(request)) ?? (await fakeLlm(request)) ?? fetch(request),
            },
          }),
        ],
        // A shared 2-core CI machine can be slow: a generous timeout, never a timing assertion.
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000 },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          // No Chromium: the project fails at once with one line that says how to install it.
          globalSetup: ["test/e2e/helpers/require-chromium.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // One at a time: each `npm run dev` rebuilds public/widget.js, which reloads every other
          // running `wrangler dev`, and two wrangler + Chromium pairs crowd a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
