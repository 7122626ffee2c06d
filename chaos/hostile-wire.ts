/**
 * Hostile bytes below HTTP clients and WebSocket libraries: malformed requests on a bare TCP
 * connection (answered — or held — by the runtime before Parley's code runs), and WebSocket
 * frames no library would send.
 */
import type { ClientRequest } from "node:http";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import type { HttpAnswer, HttpRequest } from "../bench/load.js";
import { encodeFrame } from "./raw-socket.js";

/** What the runtime did with one malformed request. */
export interface WireOutcome {
  name: string;
  /** the status line, or what happened instead */
  answer: string;
}

const WIRE_WAIT_MS = 4_000;

/** Requests that HTTP clients refuse to build, each on its own connection. */
export function wireCases(host: string, token: string): { name: string; bytes: string }[] {
  const json = '{"text":"hi","clientMessageId":"wire"}';
  const auth = `Authorization: Bearer ${token}`;
  const post = (extra: string, body: string) =>
    `POST /v1/messages HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\nContent-Type: application/json\r\n${extra}\r\n${body}`;
  return [
    { name: "Content-Length: -1", bytes: post("Content-Length: -1\r\n", json) },
    { name: "declared length longer than the body", bytes: post("Content-Length: 400\r\n", json) },
    {
      name: "Content-Length and chunked both",
      bytes: post(`Content-Length: 5\r\nTransfer-Encoding: chunked\r\n`, `${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`),
    },
    { name: "bad chunk size", bytes: post("Transfer-Encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n") },
    { name: "two Content-Lengths", bytes: post("Content-Length: 5\r\nContent-Length: 38\r\n", json) },
    { name: "CONNECT", bytes: `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n` },
    { name: "TRACE", bytes: `TRACE /v1/messages HTTP/1.1\r\nHost: ${host}\r\n\r\n` },
    { name: "header without a colon", bytes: `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nnonsense\r\n\r\n` },
    { name: "HTTP/1.0 without Host", bytes: "GET /healthz HTTP/1.0\r\n\r\n" },
    { name: "request line garbage", bytes: "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n" },
    { name: "100 KB URL", bytes: `GET /v1/conversation/messages?after=${"9".repeat(100_000)} HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\n\r\n` },
    { name: "absolute-form URL to another host", bytes: `GET http://169.254.169.254/latest HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n` },
    { name: "Expect: 100-continue, no body", bytes: post("Content-Length: 38\r\nExpect: 100-continue\r\n", "") },
  ];
}

/** Sends `bytes` on a fresh connection and reads the status line, or says the connection was held or closed. */
export function sendWire(origin: string, name: string, bytes: string): Promise<WireOutcome> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = "";
    const done = (answer: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ name, answer });
    };
    const timer = setTimeout(() => done(received === "" ? `no answer in ${WIRE_WAIT_MS / 1000} s (connection held)` : statusLine(received)), WIRE_WAIT_MS);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) setTimeout(() => done(statusLine(received)), 100);
    });
    socket.on("error", (error) => done(`connection error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    socket.on("end", () => done(received === "" ? "closed without an answer" : statusLine(received)));
    socket.write(Buffer.from(bytes, "latin1"));
  });
}

/** The status line, and the start of the body when it has come: whose answer it is shows there. */
function statusLine(received: string): string {
  const status = received.split("\r\n")[0]?.slice(0, 60) ?? "";
  const body = received.split("\r\n\r\n")[1]?.trim().slice(0, 60);
  return body ? `${status} "${body}"` : status;
}

/**
 * WebSocket frames for the reference user's socket: none may run a turn. Text frames carry
 * JSON that no frame schema accepts, or a `say` that breaks a rule; the others break the
 * protocol itself (after which the runtime may close the socket).
 */
export function hostileFrames(): { name: string; frame: Buffer }[] {
  const text = (value: string) => encodeFrame(1, Buffer.from(value, "utf8"));
  const say = (extra: Record<string, unknown>) => text(JSON.stringify({ type: "say", text: "hi", clientMessageId: "ws-hostile", ...extra }));
  return [
    { name: "not JSON", frame: text("{nope") },
    { name: "JSON array", frame: text("[1,2,3]") },
    { name: "unknown type", frame: text('{"type":"sudo"}') },
    { name: "say with an unknown field", frame: say({ admin: true }) },
    { name: "say with blank text", frame: say({ text: "   " }) },
    { name: "say with 2,001 characters", frame: say({ text: "x".repeat(2001) }) },
    { name: "say with a bad clientMessageId", frame: say({ clientMessageId: "../../x" }) },
    { name: "say with text a number", frame: say({ text: 42 }) },
    { name: "hello since -1", frame: text('{"type":"hello","since":-1}') },
    { name: "hello since a string", frame: text('{"type":"hello","since":"0"}') },
    { name: "17 KB frame", frame: text(JSON.stringify({ type: "say", text: "x".repeat(17_000), clientMessageId: "big" })) },
    { name: "binary frame", frame: encodeFrame(2, Buffer.from([0, 1, 2, 255])) },
    { name: "__proto__ pollution", frame: text('{"type":"say","__proto__":{"admin":true},"text":"hi"}') },
  ];
}

/** Frames that break RFC 6455 itself: sent last, each may end the connection. */
export function protocolBreakingFrames(): { name: string; frame: Buffer }[] {
  return [
    { name: "unmasked client frame", frame: encodeFrame(1, Buffer.from('{"type":"ping"}'), { masked: false }) },
    { name: "reserved opcode 3", frame: encodeFrame(3, Buffer.from("x")) },
    { name: "ping with a 200-byte payload", frame: encodeFrame(9, Buffer.alloc(200)) },
    { name: "invalid UTF-8", frame: encodeFrame(1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])) },
    { name: "fragment never finished", frame: encodeFrame(1, Buffer.from('{"type":'), { fin: false }) },
  ];
}

/**
 * One request on its own connection (node:http, no pool): a request the server holds cannot
 * hold up the next one, and `timeoutMs` after it was sent the connection is destroyed.
 */
export function sendOnce(origin: string, request: HttpRequest, timeoutMs: number): Promise<HttpAnswer | { hang: true }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    let outgoing: ClientRequest;
    try {
      outgoing = httpRequest({
        host: url.hostname,
        port: Number(url.port),
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: false,
      });
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy();
      resolve({ hang: true });
    }, timeoutMs);
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") });
      });
      response.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(request.body === undefined ? undefined : Buffer.from(request.body));
  });
}
