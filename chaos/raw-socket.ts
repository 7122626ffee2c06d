/**
 * A WebSocket client on a bare TCP socket (RFC 6455), so that chaos can do what a polite client
 * cannot: drop the connection without a close frame, and send frames no library would build.
 */
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { connect } from "node:net";

const OPEN_TIMEOUT_MS = 15_000;

export interface Closed {
  /** the close code the server sent, or 1006 when the connection just ended */
  code: number;
}

/** A frame as it goes on the wire, masked as a client must (unless `masked: false`, a protocol error). */
export function encodeFrame(opcode: number, payload: Buffer, options: { fin?: boolean; masked?: boolean } = {}): Buffer {
  const { fin = true, masked = true } = options;
  const length = payload.length;
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const header = Buffer.alloc(head + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header[1] = maskBit | length;
  else if (length < 65_536) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  mask.copy(header, head);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, body]);
}

export class RawSocket {
  /** text frames received, in order */
  readonly texts: string[] = [];
  readonly closed: Promise<Closed>;
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private listeners: ((text: string) => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    rest: Buffer,
  ) {
    this.closed = new Promise((resolve) => {
      let code = 1006;
      this.onClose = (received) => {
        code = received;
      };
      socket.on("close", () => resolve({ code }));
    });
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => undefined);
    // Frames that came with the 101 (a server's greeting) wait for the caller's first listener;
    // bytes read meanwhile queue behind them, in order.
    this.buffer = rest;
    if (rest.length > 0) setImmediate(() => this.receive(Buffer.alloc(0)));
  }

  private onClose: (code: number) => void = () => undefined;

  /** Opens `path` on `origin` with these subprotocols; rejects unless the server answers 101. */
  static open(origin: string, path: string, protocols: readonly string[], headers: Readonly<Record<string, string>> = {}): Promise<RawSocket> {
    const url = new URL(origin);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("websocket open timed out"));
      }, OPEN_TIMEOUT_MS);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end === -1) return;
        clearTimeout(timer);
        socket.off("data", onData);
        const status = head.subarray(0, end).toString("latin1").split(" ")[1];
        if (status !== "101") {
          socket.destroy();
          reject(new Error(`upgrade answered ${status}: ${head.toString("utf8").slice(0, 200)}`));
          return;
        }
        resolve(new RawSocket(socket, head.subarray(end + 4)));
      };
      socket.on("data", onData);
      socket.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      const lines = [`GET ${path} HTTP/1.1`, `Host: ${url.host}`, "Upgrade: websocket", "Connection: Upgrade"];
      lines.push(`Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}`, "Sec-WebSocket-Version: 13");
      if (protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${protocols.join(", ")}`);
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
  }

  /** Calls `listener` with every text frame from now on. */
  onText(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  send(text: string): void {
    this.sendRaw(encodeFrame(1, Buffer.from(text, "utf8")));
  }

  /** Bytes as they are: any frame, valid or not. */
  sendRaw(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** A clean close: a close frame with `code`, then wait for the server's (at most `waitMs`). */
  async close(code = 1000, waitMs = 5_000): Promise<Closed> {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.sendRaw(encodeFrame(8, payload));
    const timer = setTimeout(() => this.socket.destroy(), waitMs);
    const closed = await this.closed;
    clearTimeout(timer);
    return closed;
  }

  /** An abrupt drop: the TCP connection reset, no close frame (a phone losing its network). */
  drop(): void {
    this.socket.resetAndDestroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = decodeFrame(this.buffer);
      if (frame === undefined) return;
      this.buffer = this.buffer.subarray(frame.size);
      this.handle(frame.fin, frame.opcode, frame.payload);
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === 9) this.sendRaw(encodeFrame(10, payload));
    if (opcode === 8) {
      this.onClose(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      this.socket.end();
    }
    if (opcode !== 1 && opcode !== 0) return;
    this.fragments.push(payload);
    if (!fin) return;
    const text = Buffer.concat(this.fragments).toString("utf8");
    this.fragments = [];
    this.texts.push(text);
    for (const listener of this.listeners) listener(text);
  }
}

/** The first whole (unmasked, server-sent) frame in `buffer`, or undefined until it has arrived. */
function decodeFrame(buffer: Buffer): { fin: boolean; opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[0] ?? 0;
  const second = buffer[1] ?? 0;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (buffer[maskAt + (i % 4)] ?? 0);
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, size: offset + length };
}
