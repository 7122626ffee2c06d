import type { Principal } from "../../src/security/jwt.js";
import type { Env } from "../env.js";

/** What every gateway handler sees: the Worker's bindings and the per-request values middleware sets. */
export interface GatewayEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by `authenticate` on every authenticated route. */
    principal: Principal;
  };
}
