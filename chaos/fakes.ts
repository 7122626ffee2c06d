/** The fake providers a chaos run talks to — payments, speech and a language model, each with fault modes — and the Worker variables that point Parley at them. */
import type { ChildProcess } from "node:child_process";
import { startFakeProvider, startScript } from "../bench/flash-setup.js";
import { freePort } from "../bench/runtime.js";
import { LLM } from "./faults/llm.js";
import { PAYMENTS } from "./faults/payments.js";
import { SPEECH } from "./faults/speech.js";

export interface Fakes {
  /** `--var` settings for `npm run dev` */
  vars: Record<string, string>;
  stop(): void;
}

/** Starts the fakes; `devOrigin` is where the provider's payment callbacks go. */
export async function startFakes(devOrigin: string): Promise<Fakes> {
  const paymentsPort = await freePort();
  const speechPort = await freePort();
  const llmPort = await freePort();
  const children: ChildProcess[] = [
    await startFakeProvider(paymentsPort, PAYMENTS.secret),
    await startScript("../test/fakes/serve-openai-audio.ts", [String(speechPort)]),
    await startScript("../scripts/fake-llm.ts", ["--port", String(llmPort)]),
  ];
  PAYMENTS.origin = `http://127.0.0.1:${paymentsPort}`;
  SPEECH.origin = `http://127.0.0.1:${speechPort}`;
  LLM.origin = `http://127.0.0.1:${llmPort}`;
  return {
    vars: {
      PAYMENT_PROVIDER: "http",
      PAYMENT_BASE_URL: PAYMENTS.origin,
      PAYMENT_SECRET: PAYMENTS.secret,
      PAYMENT_TIMEOUT_MS: "3000",
      PAYMENT_CALLBACK_URL: `${devOrigin}/v1/payments/callback`,
      SPEECH_PROVIDER: "openai",
      SPEECH_BASE_URL: SPEECH.origin,
      SPEECH_API_KEY: SPEECH.apiKey,
      // Retries come back at once: the backoff itself is unit-tested, the run is bounded.
      VOICE_RETRY_BASE_SECONDS: "0",
      // A job whose queue message a kill -9 dropped fails (and the user is told) within the run.
      VOICE_JOB_TIMEOUT_SECONDS: String(SPEECH.jobTimeoutSeconds),
      // Only a bot version with an `llm` section asks it: the LLM fault publishes one, the others never do.
      LLM_BASE_URL: LLM.origin,
    },
    stop: () => {
      for (const child of children) child.kill();
    },
  };
}
