import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReplyDelta } from "../../../widget/core/reply-streams.js";
import { ReplyStreams, STREAM_IDLE_MS, spliceDelta } from "../../../widget/core/reply-streams.js";

const delta = (offset: number, text: string, replyTo = 1): ReplyDelta => ({ replyTo, offset, text, clientMessageId: `c${replyTo}` });

describe("spliceDelta", () => {
  it("keeps the first offset characters and appends the text", () => {
    expect(spliceDelta("", 0, "We ship")).toBe("We ship");
    expect(spliceDelta("We ship", 7, " today")).toBe("We ship today");
  });

  it("leaves the text as it is for a piece it already holds (a repeat, a replay from 0)", () => {
    expect(spliceDelta("We ship today", 7, " today")).toBe("We ship today");
    expect(spliceDelta("We ship today", 0, "We ship")).toBe("We ship today");
    expect(spliceDelta("We ship today", 0, "We ship today")).toBe("We ship today");
  });

  it("takes the server's word where a piece differs from what is shown", () => {
    expect(spliceDelta("We ship today", 3, "deliver")).toBe("We deliver");
  });

  it("cannot place a piece that starts past the end", () => {
    expect(spliceDelta("We", 7, " today")).toBeNull();
  });
});

describe("ReplyStreams", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("grows a reply piece by piece and says when its text changed", () => {
    const streams = new ReplyStreams(() => undefined);
    expect(streams.apply(delta(0, "We ship"))).toBe(true);
    expect(streams.apply(delta(7, " within two days"))).toBe(true);
    expect(streams.apply(delta(7, " within two days"))).toBe(false);
    expect(streams.list).toEqual([{ replyTo: 1, clientMessageId: "c1", text: "We ship within two days" }]);
  });

  it("holds pieces that came early until the text reaches them", () => {
    const streams = new ReplyStreams(() => undefined);
    streams.apply(delta(0, "We"));
    expect(streams.apply(delta(14, " two days"))).toBe(false);
    expect(streams.apply(delta(7, " within"))).toBe(false);
    expect(streams.list[0]?.text).toBe("We");
    expect(streams.apply(delta(2, " ship"))).toBe(true);
    expect(streams.list[0]?.text).toBe("We ship within two days");
  });

  it("shows no reply before it has text", () => {
    const streams = new ReplyStreams(() => undefined);
    streams.apply(delta(5, "later"));
    expect(streams.list).toEqual([]);
  });

  it("drops the replies a bot message answers, and ignores their late pieces", () => {
    const streams = new ReplyStreams(() => undefined);
    streams.apply(delta(0, "first", 1));
    streams.apply(delta(0, "second", 5));
    expect(streams.answered(3)).toBe(true);
    expect(streams.list.map((reply) => reply.replyTo)).toEqual([5]);
    expect(streams.apply(delta(0, "first again", 1))).toBe(false);
    expect(streams.list.map((reply) => reply.replyTo)).toEqual([5]);
  });

  it("drops the reply of a refused turn", () => {
    const streams = new ReplyStreams(() => undefined);
    streams.apply(delta(0, "half", 2));
    expect(streams.refused("c2")).toBe(true);
    expect(streams.list).toEqual([]);
  });

  it(`drops a reply with no delta for ${STREAM_IDLE_MS} ms, and says so`, async () => {
    const expired = vi.fn();
    const streams = new ReplyStreams(expired);
    streams.apply(delta(0, "We"));
    await vi.advanceTimersByTimeAsync(STREAM_IDLE_MS - 1);
    streams.apply(delta(2, " ship"));
    await vi.advanceTimersByTimeAsync(STREAM_IDLE_MS - 1);
    expect(streams.list).toHaveLength(1);
    expect(expired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(streams.list).toEqual([]);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it("hands out copies: a later delta does not change a list already taken", () => {
    const streams = new ReplyStreams(() => undefined);
    streams.apply(delta(0, "We"));
    const before = streams.list;
    streams.apply(delta(2, " ship"));
    expect(before[0]?.text).toBe("We");
  });
});
