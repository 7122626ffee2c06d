import { describe, expect, it } from "vitest";
import { carriesText, mostAtOnce } from "../../../bench/llm-fake.js";
import { MODEL_REPLY } from "../../../bench/llm-setup.js";
import { rebuild, sseEventsOf } from "../../../bench/llm-stream.js";
import { streamProblem } from "../../../bench/llm-ttft.js";

const sse = (...events: [string, unknown][]) => events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");

describe("sseEventsOf", () => {
  it("splits a body into its events and leaves an unfinished one out", () => {
    const body = `${sse(["delta", { offset: 0, text: "Hi" }], ["done", { seq: 2 }])}event: delta\ndata: {"offs`;
    expect(sseEventsOf(body)).toEqual([
      { event: "delta", data: '{"offset":0,"text":"Hi"}' },
      { event: "done", data: '{"seq":2}' },
    ]);
  });

  it("reads CRLF lines and names an unnamed event 'message'", () => {
    expect(sseEventsOf("data: [DONE]\r\n\r\n")).toEqual([{ event: "message", data: "[DONE]" }]);
  });
});

describe("rebuild", () => {
  it("keeps the first offset characters and appends, so a resent text from 0 replaces what came before", () => {
    expect(
      rebuild([
        { offset: 0, text: "We ship" },
        { offset: 7, text: " today" },
      ]),
    ).toBe("We ship today");
    expect(
      rebuild([
        { offset: 0, text: "We ship" },
        { offset: 7, text: " today" },
        { offset: 0, text: "We ship today." },
      ]),
    ).toBe("We ship today.");
  });

  it("notices a delta lost in the middle", () => {
    expect(
      rebuild([
        { offset: 0, text: "We" },
        { offset: 7, text: " today" },
      ]),
    ).not.toBe("We ship today");
  });
});

describe("streamProblem", () => {
  const deltas = (text: string) =>
    [
      ["delta", { offset: 0, text: text.slice(0, 10) }],
      ["delta", { offset: 10, text: text.slice(10) }],
    ] as [string, unknown][];

  it("passes a stream whose deltas rebuild the committed reply, the model's", () => {
    expect(streamProblem(sse(...deltas(MODEL_REPLY), ["done", { reply: { text: MODEL_REPLY } }]))).toBeNull();
  });

  it("names a stream without deltas, without done, or whose committed reply differs", () => {
    expect(streamProblem(sse(["done", { reply: { text: MODEL_REPLY } }]))).toBe("no delta");
    expect(streamProblem(sse(...deltas(MODEL_REPLY), ["error", { error: { code: "internal" } }]))).toBe("no done (error)");
    expect(streamProblem(sse(...deltas(MODEL_REPLY), ["done", { reply: { text: "the scripted answer" } }]))).toBe("deltas differ from the committed reply");
    expect(streamProblem(sse(...deltas("another text entirely"), ["done", { reply: { text: "another text entirely" } }]))).toBe(
      "the committed reply is not the model's",
    );
  });
});

describe("carriesText", () => {
  it("tells a frame with text from the opening role frame and the finish frame", () => {
    expect(carriesText('data: {"choices":[{"index":0,"delta":{"content":"We"},"finish_reason":null}]}\n\n')).toBe(true);
    expect(carriesText('data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null}}]}\n\n')).toBe(false);
    expect(carriesText('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')).toBe(false);
  });
});

describe("mostAtOnce", () => {
  it("counts the calls streaming at one moment; touching calls do not overlap, an unfinished one never ends", () => {
    expect(
      mostAtOnce([
        { arrivedAt: 0, endedAt: 10 },
        { arrivedAt: 5, endedAt: 20 },
        { arrivedAt: 12, endedAt: 30 },
      ]),
    ).toBe(2);
    expect(
      mostAtOnce([
        { arrivedAt: 0, endedAt: 10 },
        { arrivedAt: 10, endedAt: 20 },
      ]),
    ).toBe(1);
    expect(
      mostAtOnce([
        { arrivedAt: 0, endedAt: null },
        { arrivedAt: 50, endedAt: 60 },
        { arrivedAt: 55, endedAt: 70 },
      ]),
    ).toBe(3);
    expect(mostAtOnce([])).toBe(0);
  });
});
