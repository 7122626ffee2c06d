import { secureHeaders } from "hono/secure-headers";

/**
 * Every answer of the API: no sniffing, no framing, no referrer, HTTPS only, and a CSP that
 * lets a JSON answer do nothing if a browser is tricked into rendering it. Not cached either:
 * answers are per user.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginResourcePolicy: "cross-origin",
  referrerPolicy: "no-referrer",
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  xFrameOptions: "DENY",
});
