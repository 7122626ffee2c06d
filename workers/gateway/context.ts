import type { Env } from "../../platform/env.js";
import type { TraceContext } from "../../src/metrics/trace.js";
import type { Principal } from "../../src/security/jwt.js";

/** What every gateway handler sees: the Worker's bindings and the per-request values middleware sets. */
export interface GatewayEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** This request's W3C traceparent (its span is the gateway's): see middleware/request-id.ts. */
    traceparent: string;
    /** Set by `authenticate` on every authenticated route. */
    principal: Principal;
    /** This request's trace as handed on, once computed (middleware/telemetry.ts → traceOf). */
    trace: TraceContext;
  };
}
