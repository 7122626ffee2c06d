import { describe, expect, it } from "vitest";
import { tokenFor } from "../../helpers.js";
import { liveSocket } from "../../ws-client.js";

/** The client's close must complete: the actor answers it, so the client sees its own code, not 1006 after a timeout. */
describe("GET /v1/ws: the client closes", () => {
  it("completes the close handshake with the client's code and reason", async () => {
    const socket = await liveSocket(await tokenFor("closing-client"));
    socket.ws.close(4000, "bye");
    expect(await socket.closed).toEqual({ code: 4000, reason: "bye" });
  });

  it("answers a close without a code with 1000 (1005 is not a code one may send)", async () => {
    const socket = await liveSocket(await tokenFor("closing-client-no-code"));
    socket.ws.close();
    expect((await socket.closed).code).toBe(1000);
    // The actor's answer: another socket of the same user keeps working afterwards.
    const other = await liveSocket(await tokenFor("closing-client-no-code"));
    other.send({ type: "say", text: "hello", clientMessageId: "after-close" });
    await other.untilMessages(2);
  });
});
