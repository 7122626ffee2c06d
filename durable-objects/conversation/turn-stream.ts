import { logEvent } from "../../platform/log.js";
import type { Refusal } from "../../src/protocol/errors.js";
import { isRefusal } from "../../src/protocol/errors.js";
import type { TurnResult } from "../../src/protocol/messages.js";
import type { TurnStreamEvent } from "../../src/protocol/sse.js";
import { sseOf } from "../../src/protocol/sse.js";
import type { LiveReplies } from "./live-replies.js";

/** A turn as the actor admits it: refused at once, answered at once (a repeat), or running. */
export type Admitted = TurnResult | Refusal | Promise<TurnResult>;

/**
 * A turn answered as Server-Sent Events: `delta` events while its reply is generated, then
 * `done` with the TurnResult (a turn with nothing to generate sends `done` alone). Listens
 * before the turn is admitted, so not even the first delta is missed; a repeat of a turn
 * still generating joins it and gets the text so far first. A refusal (rate limit) comes back
 * as such, before any stream, so the gateway answers it with its status and JSON error.
 */
export function streamTurn(live: LiveReplies, key: string, admit: () => Admitted): ReadableStream<Uint8Array> | Refusal {
  const encoder = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  // A reader that went away makes writes fail: the turn goes on and commits all the same.
  const write = (event: TurnStreamEvent): void => void writer.write(encoder.encode(sseOf(event))).catch(() => undefined);
  const unsubscribe = live.subscribe(key, (frame) => write({ event: "delta", data: { offset: frame.offset, text: frame.text } }));
  let admitted: Admitted;
  try {
    admitted = admit();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (isRefusal(admitted)) {
    unsubscribe();
    void writer.abort().catch(() => undefined);
    return admitted;
  }
  void Promise.resolve(admitted)
    .then(
      (result) => write({ event: "done", data: result }),
      (error: unknown) => {
        logEvent("error", "streamed turn failed", { error: String(error) });
        write({ event: "error", data: { error: { code: "internal", message: "something went wrong; send the message again with the same clientMessageId" } } });
      },
    )
    .finally(() => {
      unsubscribe();
      void writer.close().catch(() => undefined);
    });
  return readable;
}
