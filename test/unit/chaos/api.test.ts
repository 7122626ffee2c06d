import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { ParleyApi } from "../../../chaos/api.js";

// A server that closes the first `dropFirst` connections without a word, then answers "ok".
let dropFirst = 0;
let connections = 0;
const server = createServer((socket) => {
  socket.on("error", () => undefined);
  connections++;
  if (connections <= dropFirst) {
    socket.once("data", () => socket.destroy());
    return;
  }
  socket.on("data", () => socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok"));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const api = () => new ParleyApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 1, 5_000);

describe("ParleyApi.get: a check's read", () => {
  it("reads again on a new connection when the server closed the one it used", async () => {
    connections = 0;
    dropFirst = 2;
    const client = api();
    expect(await client.get("reader", "/v1/conversation/export")).toBe("ok");
    expect(connections).toBe(3);
    await client.close();
  });

  it("fails the read when every try is closed under it: a check never passes on what it could not read", async () => {
    connections = 0;
    dropFirst = 10;
    const client = api();
    await expect(client.get("reader", "/v1/conversation/export")).rejects.toThrow();
    expect(connections).toBe(3);
    await client.close();
  });
});
