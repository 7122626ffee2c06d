/**
 * Diagnostic probe: the baseline, plus one JSON log line per request of the size Parley's
 * telemetry middleware writes (~220 bytes), at the same level (`console.info`). Locally every
 * console line leaves workerd for wrangler; this measures what that costs per request.
 */
import baseline from "../../baseline/index.js";

export { UserActor } from "../../baseline/index.js";

type Env = Parameters<typeof baseline.fetch>[1];

export default {
  async fetch(request, env) {
    const started = Date.now();
    const response = await baseline.fetch(request, env);
    console.info(
      JSON.stringify({
        level: "info",
        message: "request",
        requestId: crypto.randomUUID(),
        traceId: "daaf4816a9f55e922f8455f8ca3edde2",
        user: "bc2dfc0164d59ea5",
        method: request.method,
        route: new URL(request.url).pathname,
        status: response.status,
        latencyMs: Date.now() - started,
      }),
    );
    return response;
  },
} satisfies ExportedHandler<Env>;
