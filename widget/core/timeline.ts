import type { MessageFrame } from "../../src/protocol/frames.js";

export type TimelineMessage = Omit<MessageFrame, "type">;

/** Beyond this the oldest messages leave the page (the server keeps them all). */
export const TIMELINE_MAX = 500;

/**
 * The messages shown, in seq order, and the last seq shown: the point a reconnect resumes
 * from with `hello { since }`. A frame at or below that seq is a repeat and is dropped,
 * so replays that overlap what is on screen never show a message twice.
 */
export class Timeline {
  private readonly items: TimelineMessage[] = [];
  private last = 0;

  get lastSeq(): number {
    return this.last;
  }

  get messages(): readonly TimelineMessage[] {
    return this.items;
  }

  /** Returns whether the message is new. */
  accept(frame: MessageFrame): boolean {
    if (!Number.isInteger(frame.seq) || frame.seq <= this.last) return false;
    const { type: _type, ...message } = frame;
    this.items.push(message);
    this.last = frame.seq;
    if (this.items.length > TIMELINE_MAX) this.items.splice(0, this.items.length - TIMELINE_MAX);
    return true;
  }

  /** Quick replies belong to the newest message only, and only while it is the bot's. */
  quickReplies(): readonly string[] {
    const newest = this.items.at(-1);
    return newest?.role === "bot" ? (newest.quickReplies ?? []) : [];
  }

  /** Whether the user's message with this id is already on screen (confirmed by the server). */
  hasClientMessage(clientMessageId: string): boolean {
    return this.items.some((message) => message.clientMessageId === clientMessageId);
  }
}
