/**
 * Development-only defaults, used when ENVIRONMENT is "development" and the real
 * secret is not set. Outside development the Worker refuses to serve instead.
 */
export const DEV_SNAPSHOT_MAC_KEY = "parley-development-snapshot-key-do-not-use-in-production";
export const DEV_JWT_SECRET = "parley-development-secret-do-not-use-in-production";
/** 32 bytes, base64: the development slot key ring `{ dev: … }`. */
export const DEV_SLOT_KEYS = JSON.stringify({ dev: "cGFybGV5LWRldmVsb3BtZW50LXNsb3Qta2V5LTMyYnk=" });
export const DEV_SLOT_KEY_ACTIVE = "dev";
export const DEV_PSEUDONYM_KEY = "parley-development-pseudonym-key-do-not-use-in-production";
