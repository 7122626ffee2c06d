import { describe, expect, it } from "vitest";
import { call, errorOf, tokenFor } from "../helpers.js";

/** Every bad input is refused with the error shape of docs/api.md and leaves the conversation untouched. */
describe("bad input on POST /v1/messages", () => {
  const cases: { name: string; init: RequestInit; status: number; code: string; message: RegExp }[] = [
    { name: "non-JSON", init: { body: "{text: hi", headers: { "content-type": "application/json" } }, status: 400, code: "invalid_request", message: /JSON/ },
    { name: "text of the wrong type", init: { body: JSON.stringify({ text: 42 }) }, status: 400, code: "invalid_request", message: /^text:/ },
    { name: "missing text", init: { body: JSON.stringify({ clientMessageId: "x" }) }, status: 400, code: "invalid_request", message: /^text:/ },
    { name: "blank text", init: { body: JSON.stringify({ text: "   " }) }, status: 400, code: "invalid_request", message: /^text: must not be empty/ },
    { name: "text over 2000 characters", init: { body: JSON.stringify({ text: "a".repeat(2001) }) }, status: 400, code: "invalid_request", message: /^text:/ },
    {
      name: "bad clientMessageId",
      init: { body: JSON.stringify({ text: "hi", clientMessageId: "no spaces!" }) },
      status: 400,
      code: "invalid_request",
      message: /^clientMessageId:/,
    },
    {
      name: "clientMessageId over 64 characters",
      init: { body: JSON.stringify({ text: "hi", clientMessageId: "x".repeat(65) }) },
      status: 400,
      code: "invalid_request",
      message: /^clientMessageId:/,
    },
    { name: "an unknown field", init: { body: JSON.stringify({ text: "hi", userId: "bob" }) }, status: 400, code: "invalid_request", message: /userId/ },
    { name: "a JSON array", init: { body: "[]" }, status: 400, code: "invalid_request", message: /./ },
    { name: "a body over the limit", init: { body: JSON.stringify({ text: "a".repeat(20_000) }) }, status: 413, code: "payload_too_large", message: /at most/ },
    {
      name: "a wrong content type",
      init: { body: "<text>hi</text>", headers: { "content-type": "application/xml" } },
      status: 415,
      code: "unsupported_media_type",
      message: /application\/json/,
    },
  ];

  for (const { name, init, status, code, message } of cases) {
    it(`${name} → ${status} ${code}, nothing stored`, async () => {
      const userId = `bad-${name.replaceAll(/\W+/g, "-")}`;
      const token = await tokenFor(userId);
      const headers = { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) };
      const response = await call("/v1/messages", { method: "POST", token, ...init, headers });
      expect(response.status).toBe(status);
      const error = await errorOf(response);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.requestId).toBe(response.headers.get("x-request-id"));
      const view = await call("/v1/conversation", { token });
      expect(((await view.json()) as { seq: number }).seq).toBe(0);
    });
  }

  it("accepts curl's default form content type when the body is JSON", async () => {
    const token = await tokenFor("curl-user");
    const response = await call("/v1/messages", {
      method: "POST",
      token,
      body: JSON.stringify({ text: "hello", clientMessageId: "c1" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(200);
  });
});

describe("bad input elsewhere", () => {
  it.each([
    ["limit=0", /^limit:/],
    ["limit=201", /^limit:/],
    ["limit=abc", /^limit:/],
    ["after=-1", /^after:/],
  ])("GET /v1/conversation/messages?%s → 400 naming the parameter", async (query, message) => {
    const response = await call(`/v1/conversation/messages?${query}`, { token: await tokenFor("query-user") });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: "invalid_request", message: expect.stringMatching(message) });
  });

  it("answers an unknown route with 404 not_found", async () => {
    const response = await call("/v1/nothing-here", { token: await tokenFor("lost-user") });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
  });

  it("echoes a sane x-request-id and continues the caller's trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await call("/healthz", { headers: { "x-request-id": "req-123", traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(response.headers.get("x-request-id")).toBe("req-123");
    expect(response.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
  });
});

describe("GET /openapi.json", () => {
  it("documents every route of this gateway from the zod schemas", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/healthz",
        "/v1/messages",
        "/v1/conversation",
        "/v1/conversation/messages",
        "/v1/conversation/export",
        "/v1/sessions/anonymous",
      ]),
    );
    expect(JSON.stringify(doc.paths["/v1/messages"])).toContain("clientMessageId");
  });
});
