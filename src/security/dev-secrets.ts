/**
 * Development-only defaults, used when ENVIRONMENT is "development" and the real
 * secret is not set. Outside development the Worker refuses to serve instead.
 */
export const DEV_SNAPSHOT_MAC_KEY = "parley-development-snapshot-key-do-not-use-in-production";
export const DEV_JWT_SECRET = "parley-development-secret-do-not-use-in-production";
