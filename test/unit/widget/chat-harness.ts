import { ChatClient } from "../../../widget/core/chat-client.js";
import type { KeyValueStore } from "../../../widget/core/storage.js";
import { memoryStore } from "../../../widget/core/storage.js";
import type { FakeSocket } from "./fake-socket.js";
import { settle, socketFactory } from "./fake-socket.js";

export const OUTBOX = "parley:outbox:test";

/** A chat client on fake sockets, with no jitter in its backoff. */
export function setup(store: KeyValueStore = memoryStore()) {
  const factory = socketFactory();
  const client = new ChatClient({
    url: "ws://parley.test/v1/ws",
    token: async () => "t",
    openSocket: factory.open,
    random: () => 0,
    store,
    outboxKey: OUTBOX,
  });
  return { client, sockets: factory.sockets, store };
}

/** Starts the client and opens its socket; returns that socket. */
export async function connected(client: ChatClient, sockets: FakeSocket[]): Promise<FakeSocket> {
  client.start();
  await settle();
  const socket = sockets.at(-1);
  if (!socket) throw new Error("no socket");
  socket.open();
  return socket;
}
