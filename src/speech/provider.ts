/**
 * The one interface every speech backend implements: audio in, text out (ASR), and
 * text in, audio out (TTS). Adapters live next to this file; the queue consumers only
 * ever see a `SpeechProvider`.
 */
export interface SpeechProvider {
  /** A short name for logs and job errors ("openai", "workers-ai"). */
  readonly name: string;
  transcribe(audio: AudioClip): Promise<string>;
  synthesize(text: string): Promise<AudioClip>;
}

export interface AudioClip {
  bytes: Uint8Array;
  /** A MIME type such as `audio/webm`. */
  contentType: string;
}

/**
 * A provider call that did not succeed. `retryable` decides between backing off and
 * failing the job at once: a timeout or a 503 may pass, a 400 for unreadable audio will not.
 *
 * @example
 * throw new SpeechProviderError("openai answered 503", { retryable: true, status: 503 });
 */
export class SpeechProviderError extends Error {
  override readonly name = "SpeechProviderError";
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** HTTP statuses worth another try: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** Anything thrown by a provider, as a `SpeechProviderError` (unknown errors are assumed transient). */
export function asProviderError(error: unknown, provider: string): SpeechProviderError {
  if (error instanceof SpeechProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SpeechProviderError(`${provider}: ${message}`, { retryable: true, cause: error });
}
