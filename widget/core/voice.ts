import type { VoiceCapabilities, VoiceJobView } from "../../src/protocol/voice.js";

/**
 * Voice turns for the widget, headless: record with MediaRecorder, send the recording,
 * follow the job, fetch the spoken reply (docs/voice.md). Types only from the protocol, so
 * no zod reaches the bundle; the browser objects are injected, so it runs in tests too.
 *
 * @example
 * const microphone: Microphone = {
 *   open: async () => {
 *     const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
 *     return { stream, release: () => stream.getTracks().forEach((track) => track.stop()) };
 *   },
 *   recorder: (stream, mimeType) => new MediaRecorder(stream as MediaStream, { mimeType }),
 * };
 * const voice = new VoiceApi({ baseUrl, token });
 * const type = recordingTypeFor((t) => MediaRecorder.isTypeSupported(t));
 * if (type && (await voice.capabilities())) {            // show the microphone button
 *   const recording = await startRecording(microphone, type);   // on press
 *   const job = await voice.waitFor(await voice.send(await recording.stop()));   // on release
 *   if (job.status === "done") new Audio(URL.createObjectURL(await voice.audio(job))).play();
 * }
 * The transcript and the reply also arrive as ordinary `message` frames on the chat socket.
 */

/** What MediaRecorder can produce, best first; all are types POST /v1/voice accepts. */
export const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg"] as const;

/** A refused or failed voice turn, with the API's error code (`payload_too_large`, `rate_limited`, …). */
export class VoiceTurnError extends Error {
  override readonly name = "VoiceTurnError";

  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface VoiceApiOptions {
  /** The Parley origin, e.g. `https://chat.example`. */
  baseUrl: string;
  token: () => Promise<string>;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** How often `waitFor` polls (voice frames on the socket may tell sooner). */
  pollMs?: number;
}

export class VoiceApi {
  private readonly fetch: (url: string, init?: RequestInit) => Promise<Response>;

  constructor(private readonly options: VoiceApiOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** The endpoint's voice limits, or null when there is no voice here (no provider, no scope): hide the microphone. */
  async capabilities(): Promise<VoiceCapabilities | null> {
    const response = await this.call("/v1/voice").catch(() => null);
    if (!response?.ok) return null;
    const capabilities = (await response.json()) as VoiceCapabilities;
    return capabilities.available ? capabilities : null;
  }

  /** Sends a recording; resolves with the job id of the 202. */
  async send(recording: Blob): Promise<string> {
    const response = await this.call("/v1/voice", { method: "POST", body: recording, headers: { "content-type": recording.type || "audio/webm" } });
    if (response.status !== 202) throw await errorOf(response);
    return ((await response.json()) as { jobId: string }).jobId;
  }

  async job(jobId: string): Promise<VoiceJobView> {
    const response = await this.call(`/v1/voice/${encodeURIComponent(jobId)}`);
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as VoiceJobView;
  }

  /** Polls the job until it is done or failed; `onStatus` hears every status it sees. */
  async waitFor(jobId: string, onStatus: (job: VoiceJobView) => void = () => undefined, signal?: AbortSignal): Promise<VoiceJobView> {
    let last = "";
    for (;;) {
      const job = await this.job(jobId);
      if (job.status !== last) onStatus(job);
      last = job.status;
      if (job.status === "done" || job.status === "failed") return job;
      await sleep(this.options.pollMs ?? 700, signal);
    }
  }

  /** The spoken reply of a done job, ready for `URL.createObjectURL` (an <audio> cannot send the bearer token). */
  async audio(job: Pick<VoiceJobView, "audioUrl">): Promise<Blob> {
    if (!job.audioUrl) throw new VoiceTurnError("conflict", "the reply audio is not ready");
    const response = await this.call(job.audioUrl);
    if (!response.ok) throw await errorOf(response);
    return response.blob();
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${await this.options.token()}`);
    return this.fetch(`${this.options.baseUrl.replace(/\/+$/, "")}${path}`, { ...init, headers });
  }
}

/** The best type this browser records that the API accepts, or null (no voice then). */
export function recordingTypeFor(isTypeSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** The parts of MediaRecorder and its stream that recording needs. */
export interface RecorderLike {
  start(): void;
  stop(): void;
  addEventListener(type: "dataavailable", listener: (event: { data: Blob }) => void): void;
  addEventListener(type: "stop", listener: () => void): void;
}

export interface Microphone {
  /** Asks for the microphone (getUserMedia); `release` stops its tracks. */
  open(): Promise<{ stream: unknown; release(): void }>;
  recorder(stream: unknown, mimeType: string): RecorderLike;
}

export interface Recording {
  /** Ends the recording and releases the microphone; resolves with the audio. */
  stop(): Promise<Blob>;
}

/** Opens the microphone and records until `stop()`. */
export async function startRecording(microphone: Microphone, mimeType: string): Promise<Recording> {
  const { stream, release } = await microphone.open();
  const chunks: Blob[] = [];
  let stopped: Promise<Blob>;
  let recorder: RecorderLike;
  try {
    recorder = microphone.recorder(stream, mimeType);
    recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
    stopped = new Promise<Blob>((resolve) => recorder.addEventListener("stop", () => resolve(new Blob(chunks, { type: mimeType }))));
    recorder.start();
  } catch (error) {
    // A recorder that never started must not leave the microphone (and its indicator) on.
    release();
    throw error;
  }
  return {
    stop: async () => {
      try {
        recorder.stop();
        return await stopped;
      } finally {
        release();
      }
    },
  };
}

async function errorOf(response: Response): Promise<VoiceTurnError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new VoiceTurnError(body?.error?.code ?? "internal", body?.error?.message ?? `HTTP ${response.status}`, retryAfter > 0 ? retryAfter : undefined);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
