import { describe, expect, it } from "vitest";
import { messageViewOf } from "../../../src/conversation/message-view.js";

describe("messageViewOf: the one mapping from a logged message to what readers see", () => {
  it("shows a user message with the id it was sent with", () => {
    const view = messageViewOf({
      seq: 7,
      at: 1000,
      event: { type: "message.user", v: 1, text: "my phone is ***0123", clientMessageId: "m1", sealedText: "enc:v1:…" },
    });
    expect(view).toEqual({ seq: 7, at: 1000, role: "user", text: "my phone is ***0123", clientMessageId: "m1" });
  });

  it("shows a bot message with its quick replies and the version that answered", () => {
    const view = messageViewOf({ seq: 8, at: 1001, event: { type: "message.bot", v: 1, text: "Hi!", quickReplies: ["Check stock"], botVersion: "3" } });
    expect(view).toEqual({ seq: 8, at: 1001, role: "bot", text: "Hi!", quickReplies: ["Check stock"], botVersion: "3" });
  });

  it("shows nothing for events that are not messages", () => {
    expect(messageViewOf({ seq: 9, at: 1002, event: { type: "identity.merged", v: 1, from: "guest", events: 0 } })).toBeNull();
  });
});
