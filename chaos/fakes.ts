/** The fake providers a chaos run talks to — payments and speech, each with fault modes — and the Worker variables that point Parley at them. */
import type { ChildProcess } from "node:child_process";
import { startFakeProvider, startScript } from "../bench/flash-setup.js";
import { freePort } from "../bench/runtime.js";
import { PAYMENTS } from "./faults/payments.js";
import { SPEECH } from "./faults/speech.js";

export interface Fakes {
  /** `--var` settings for `npm run dev` */
  vars: Record<string, string>;
  stop(): void;
}

/** Starts both fakes; `devOrigin` is where the provider's payment callbacks go. */
export async function startFakes(devOrigin: string): Promise<Fakes> {
  const paymentsPort = await freePort();
  const speechPort = await freePort();
  const children: ChildProcess[] = [
    await startFakeProvider(paymentsPort, PAYMENTS.secret),
    await startScript("../test/fakes/serve-openai-audio.ts", [String(speechPort)]),
  ];
  PAYMENTS.origin = `http://127.0.0.1:${paymentsPort}`;
  SPEECH.origin = `http://127.0.0.1:${speechPort}`;
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
    },
    stop: () => {
      for (const child of children) child.kill();
    },
  };
}
