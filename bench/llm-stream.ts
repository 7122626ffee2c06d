/**
 * Streamed replies as the LLM benchmark's client reads them: Server-Sent Events split into
 * events, and a reply rebuilt from its deltas by offset. Pure, so the
 * checks the benchmark reports are unit-tested (test/unit/bench/llm-stream.test.ts).
 */

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The complete events of an SSE body, in order (a trailing unfinished event is left out).
 *
 * @example
 * sseEventsOf('event: delta\ndata: {"offset":0,"text":"Hi"}\n\nevent: done\ndata: {}\n\n');
 * // [{ event: "delta", data: '{"offset":0,"text":"Hi"}' }, { event: "done", data: "{}" }]
 */
export function sseEventsOf(body: string): SseEvent[] {
  const blocks = body.replaceAll("\r\n", "\n").split("\n\n");
  blocks.pop(); // what follows the last blank line is not an event yet
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return events;
}

export interface Delta {
  offset: number;
  text: string;
}

/**
 * A reply rebuilt from its deltas as a client does (docs/api.md): keep the first `offset`
 * characters, append `text`.
 *
 * @example
 * rebuild([{ offset: 0, text: "We ship" }, { offset: 7, text: " today" }, { offset: 0, text: "We ship today." }]); // "We ship today."
 */
export function rebuild(deltas: readonly Delta[]): string {
  let text = "";
  for (const delta of deltas) text = text.slice(0, delta.offset) + delta.text;
  return text;
}
