import type { TurnResult } from "./messages.js";

/** The media type that asks `POST /v1/messages` for a streamed answer. */
export const EVENT_STREAM = "text/event-stream";

/** What a streamed turn sends: text as it is generated, then the turn's result (or an error). */
export type TurnStreamEvent =
  | { event: "delta"; data: { offset: number; text: string } }
  | { event: "done"; data: TurnResult }
  | { event: "error"; data: { error: { code: string; message: string } } };

/**
 * One Server-Sent Event: `event:` and one `data:` line of JSON (JSON has no raw newlines).
 *
 * @example sseOf({ event: "delta", data: { offset: 0, text: "Hi" } }) // → 'event: delta\ndata: {"offset":0,"text":"Hi"}\n\n'
 */
export function sseOf({ event, data }: TurnStreamEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Whether an Accept header asks for an event stream (and not only as a poor second choice to JSON). */
export function wantsEventStream(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    return type === EVENT_STREAM && (q === undefined || Number(q.slice(2)) > 0);
  });
}
