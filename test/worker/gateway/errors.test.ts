import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { GatewayEnv } from "../../../workers/gateway/context.js";
import { onError } from "../../../workers/gateway/errors.js";

/** An error as workerd hands it over when an actor call fails in the runtime, flags included. */
function runtimeError(message: string, flags: { retryable?: boolean; overloaded?: boolean }): Error {
  return Object.assign(new Error(message), flags);
}

function appThrowing(error: Error): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.onError(onError);
  app.post("/v1/messages", () => {
    throw error;
  });
  return app;
}

async function answerTo(error: Error): Promise<{ status: number; retryAfter: string | null; code: string }> {
  const response = await appThrowing(error).request("/v1/messages", { method: "POST" });
  const body = (await response.json()) as { error: { code: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error.code };
}

describe("the gateway's answer when an actor call fails in the runtime", () => {
  it("is 503 unavailable with Retry-After when the connection to the actor was lost (found by npm run chaos: 'Network connection lost.' answered 500)", async () => {
    expect(await answerTo(runtimeError("Network connection lost.", { retryable: true }))).toEqual({ status: 503, retryAfter: "1", code: "unavailable" });
  });

  it("is 503 unavailable with Retry-After when the actor is overloaded", async () => {
    expect(await answerTo(runtimeError("Durable Object is overloaded.", { overloaded: true }))).toEqual({ status: 503, retryAfter: "1", code: "unavailable" });
  });

  it("is 503 unavailable with Retry-After when SQLite's memory budget ran out under a burst of new actors (found by npm run chaos: answered 500)", async () => {
    // The error as the gateway got it from an actor whose constructor failed on its schema statement.
    expect(await answerTo(new Error("out of memory: SQLITE_NOMEM"))).toEqual({ status: 503, retryAfter: "1", code: "unavailable" });
  });

  it("is 503 unavailable with Retry-After when the runtime failed the call with its internal error (the same burst: SQLite out of memory in the dev runtime's actor wrapper)", async () => {
    expect(await answerTo(new Error("internal error; reference = 163ltu0pqf7ahb3ff2rf0l4d"))).toEqual({ status: 503, retryAfter: "1", code: "unavailable" });
  });

  it("stays 500 internal, with no Retry-After, for an error of Parley's own code", async () => {
    expect(await answerTo(new TypeError("Cannot read properties of undefined (reading 'seq')"))).toEqual({ status: 500, retryAfter: null, code: "internal" });
    expect(await answerTo(new Error("the internal error of a bug, reference = none"))).toEqual({ status: 500, retryAfter: null, code: "internal" });
  });
});
