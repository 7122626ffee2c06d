import { describe, expect, it } from "vitest";
import { applyDeltas, sseEvents } from "../../../chaos/llm-turns.js";

describe("applyDeltas", () => {
  it("keeps the first offset characters, then appends", () => {
    expect(
      applyDeltas([
        { offset: 0, text: "We ship" },
        { offset: 7, text: " in two days" },
      ]),
    ).toBe("We ship in two days");
  });

  it("starts again from a delta at offset 0 (a reconnect's text so far)", () => {
    expect(
      applyDeltas([
        { offset: 0, text: "We" },
        { offset: 0, text: "We ship" },
        { offset: 7, text: "!" },
      ]),
    ).toBe("We ship!");
  });
});

describe("sseEvents", () => {
  it("reads each event's name and JSON data", () => {
    const body = 'event: delta\ndata: {"offset":0,"text":"Hi"}\n\nevent: done\ndata: {"seq":3}\n\n';
    expect(sseEvents(body)).toEqual([
      { event: "delta", data: { offset: 0, text: "Hi" } },
      { event: "done", data: { seq: 3 } },
    ]);
  });
});
