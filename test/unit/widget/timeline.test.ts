import { describe, expect, it } from "vitest";
import type { MessageFrame } from "../../../src/protocol/frames.js";
import { TIMELINE_MAX, Timeline } from "../../../widget/core/timeline.js";

const user = (seq: number, text = `u${seq}`, clientMessageId?: string): MessageFrame => ({
  type: "message",
  seq,
  role: "user",
  text,
  at: seq,
  ...(clientMessageId ? { clientMessageId } : {}),
});
const bot = (seq: number, quickReplies?: string[]): MessageFrame => ({
  type: "message",
  seq,
  role: "bot",
  text: `b${seq}`,
  at: seq,
  ...(quickReplies ? { quickReplies } : {}),
});

describe("Timeline", () => {
  it("tracks the last seq shown: the point a reconnect resumes from", () => {
    const timeline = new Timeline();
    expect(timeline.lastSeq).toBe(0);
    timeline.accept(user(1));
    timeline.accept(bot(4));
    expect(timeline.lastSeq).toBe(4);
  });

  it("drops repeats and anything at or below the last seq (overlapping replays)", () => {
    const timeline = new Timeline();
    expect(timeline.accept(user(1))).toBe(true);
    expect(timeline.accept(bot(3))).toBe(true);
    expect(timeline.accept(bot(3))).toBe(false);
    expect(timeline.accept(user(2))).toBe(false);
    expect(timeline.messages.map((m) => m.seq)).toEqual([1, 3]);
  });

  it("stores messages without the frame's type", () => {
    const timeline = new Timeline();
    timeline.accept(user(1, "hi", "cid-1"));
    expect(timeline.messages[0]).toEqual({ seq: 1, role: "user", text: "hi", at: 1, clientMessageId: "cid-1" });
    expect(timeline.hasClientMessage("cid-1")).toBe(true);
    expect(timeline.hasClientMessage("cid-2")).toBe(false);
  });

  it("offers the quick replies of the newest message only, and only a bot's", () => {
    const timeline = new Timeline();
    timeline.accept(bot(2, ["Yes", "No"]));
    expect(timeline.quickReplies()).toEqual(["Yes", "No"]);
    timeline.accept(user(3));
    expect(timeline.quickReplies()).toEqual([]);
    timeline.accept(bot(5));
    expect(timeline.quickReplies()).toEqual([]);
  });

  it(`keeps the newest ${TIMELINE_MAX} messages in memory`, () => {
    const timeline = new Timeline();
    for (let seq = 1; seq <= TIMELINE_MAX + 10; seq++) timeline.accept(user(seq));
    expect(timeline.messages).toHaveLength(TIMELINE_MAX);
    expect(timeline.messages[0]?.seq).toBe(11);
    expect(timeline.lastSeq).toBe(TIMELINE_MAX + 10);
  });
});
