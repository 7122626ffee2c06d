import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { RawSocket } from "../../../chaos/raw-socket.js";

/** An unmasked server text frame (payloads under 126 bytes). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

// A server that greets at once: its first frame comes in the same chunk as the 101, the next right behind it.
const server = createServer((socket) => {
  socket.on("error", () => undefined); // the client resets the connection at the end
  socket.once("data", () => {
    socket.write(Buffer.concat([Buffer.from("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"), frame("first")]));
    socket.write(frame("second"));
    socket.write(frame("third"));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("RawSocket: a server's greeting", () => {
  it("reaches the first listener, whole and in order, even when it came with the 101", async () => {
    const { port } = server.address() as AddressInfo;
    const socket = await RawSocket.open(`http://127.0.0.1:${port}`, "/ws", []);
    const heard: string[] = [];
    socket.onText((text) => heard.push(text));
    await expect.poll(() => heard.length).toBe(3);
    expect(heard).toEqual(["first", "second", "third"]);
    socket.drop();
  });
});
