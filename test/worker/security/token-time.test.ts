import { exports } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../../src/security/dev-secrets.js";
import { secretBytes } from "../../../src/security/jwt.js";
import { call, errorOf } from "../helpers.js";
import { TestSocket, upgradeRequest } from "../ws-client.js";

const nowS = () => Math.floor(Date.now() / 1000);

interface Times {
  exp: number;
  nbf?: number;
  iat?: number;
}

function chatToken(userId: string, times: Times): Promise<string> {
  let jwt = new SignJWT({ scope: "chat" }).setProtectedHeader({ alg: "HS256" }).setSubject(userId).setExpirationTime(times.exp);
  if (times.nbf !== undefined) jwt = jwt.setNotBefore(times.nbf);
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  return jwt.sign(secretBytes(DEV_JWT_SECRET));
}

/** REST: 200, or the 401 message (always with a Bearer challenge). */
async function overRest(token: string): Promise<string> {
  const response = await call("/v1/conversation", { token });
  if (response.status === 200) return "accepted";
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  return (await errorOf(response)).message;
}

/** WebSocket: open and answering `hello` then `ping`, or the code it closed with. */
async function overSocket(token: string): Promise<"accepted" | number> {
  const response = await exports.default.fetch(upgradeRequest({ "sec-websocket-protocol": `parley.v1, bearer.${token}` }));
  expect(response.status).toBe(101);
  const socket = new TestSocket(response.webSocket!);
  let closedWith: number | undefined;
  void socket.closed.then(({ code }) => {
    closedWith = code;
  });
  try {
    socket.send({ type: "hello", since: 0 });
    socket.send({ type: "ping" });
  } catch {
    // Refused at the handshake: the close is already on its way.
  }
  await socket.until((frames) => closedWith !== undefined || frames.some((frame) => frame.type === "pong"), "a pong or a close");
  if (closedWith !== undefined) return closedWith;
  socket.close();
  return "accepted";
}

/** Each token is signed relative to the real clock, far enough from a boundary that no wait is needed. */
const cases: [string, () => Times, RegExp | "accepted"][] = [
  ["exp 10 s ago (within the 30 s tolerance)", () => ({ exp: nowS() - 10 }), "accepted"],
  ["exp 31 s ago", () => ({ exp: nowS() - 31 }), /token expired/],
  ["nbf 20 s ahead", () => ({ nbf: nowS() + 20, exp: nowS() + 600 }), "accepted"],
  ["nbf 2 min ahead", () => ({ nbf: nowS() + 120, exp: nowS() + 600 }), /not valid yet/],
  ["iat 20 s ahead", () => ({ iat: nowS() + 20, exp: nowS() + 600 }), "accepted"],
  ["iat an hour ahead", () => ({ iat: nowS() + 3600, exp: nowS() + 7200 }), /issued in the future/],
];

describe("token times: one rule for REST and the WebSocket", () => {
  cases.forEach(([name, times, expected], index) => {
    it(`${expected === "accepted" ? "accepts" : "refuses"} a token with ${name} on both paths`, async () => {
      const token = await chatToken(`token-time-${index}`, times());
      if (expected === "accepted") {
        expect(await overRest(token)).toBe("accepted");
        expect(await overSocket(token)).toBe("accepted");
      } else {
        expect(await overRest(token)).toMatch(expected);
        expect(await overSocket(token)).toBe(4401);
      }
    });
  });
});
