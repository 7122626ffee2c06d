import { secureHeaders } from "hono/secure-headers";

/**
 * Every answer of the API gets the headers the OWASP REST Security Cheat Sheet asks of a JSON
 * API: no sniffing, no framing (CSP `frame-ancestors` and X-Frame-Options), HTTPS only, and a
 * CSP that lets a JSON answer do nothing if a browser is tricked into rendering it; no
 * referrer; readable cross-origin by the widget. Not cached either (app.ts): answers are per
 * user. The headers written for HTML documents (COOP, Origin-Agent-Cluster, DNS prefetch,
 * IE8 downloads, Flash policies, the retired XSS auditor) are left out: they do nothing on
 * JSON and every answer would carry them. Static pages set theirs in `public/_headers`.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginResourcePolicy: "cross-origin",
  referrerPolicy: "no-referrer",
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  xFrameOptions: "DENY",
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});
