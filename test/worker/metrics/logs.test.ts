import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { userPseudonym } from "../../../platform/pseudonym.js";
import { call, tokenFor } from "../helpers.js";

/** The JSON lines the Worker logs while `run` runs, each with the console method that wrote it. */
async function logsOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: { method: string; line: string }[] = [];
  for (const method of ["debug", "info", "log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push({ method, line: args.map(String).join(" ") }));
  }
  await run();
  await new Promise((resolve) => setTimeout(resolve, 20));
  vi.restoreAllMocks();
  return lines.flatMap(({ method, line }) => (line.startsWith("{") ? [{ ...(JSON.parse(line) as Record<string, unknown>), consoleMethod: method }] : []));
}

describe("request logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("one JSON line per request: level, message, request id, trace id, hashed user, route pattern, status, latency", async () => {
    const userId = "logs-user-raw-id";
    const token = await tokenFor(userId);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    let response: Response | undefined;
    const logged = await logsOf(async () => {
      response = await call("/v1/messages", { method: "POST", token, json: { text: "hello" }, headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    });
    const lines = logged.filter((line) => line["message"] === "request");
    // console.info, not console.log: the platform records the level, and `wrangler dev` prints
    // info lines without first scanning them for stack traces to source-map.
    expect(lines).toEqual([
      {
        consoleMethod: "info",
        level: "info",
        message: "request",
        requestId: response?.headers.get("x-request-id"),
        traceId,
        user: await userPseudonym(env, userId),
        method: "POST",
        route: "/v1/messages",
        status: 200,
        latencyMs: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain(userId);
  });

  it("labels a request no route matched 'unmatched', and starts a trace when none came", async () => {
    let response: Response | undefined;
    const logged = await logsOf(async () => {
      response = await call("/v1/conversations/some-user-id/secrets");
    });
    const traceId = response?.headers.get("traceparent")?.split("-")[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(logged).toContainEqual(expect.objectContaining({ message: "request", route: "unmatched", status: 404, traceId }));
    expect(JSON.stringify(logged)).not.toContain("some-user-id");
  });
});
