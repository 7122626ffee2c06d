/**
 * Prints a development JWT on stdout, nothing else:
 *   npm run token -- alice [--scope "chat voice admin agent"] [--ttl 3600] [--name "Anna K."]
 * Signed with JWT_SECRET from the environment, or the development secret `wrangler dev` uses.
 */
import { parseArgs } from "node:util";
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../src/security/jwt.js";
import { isScope } from "../src/security/scopes.js";

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- <userId> [--scope "chat voice admin agent"] [--ttl 3600] [--name "display name"]\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { scope: { type: "string", default: "chat" }, ttl: { type: "string", default: "3600" }, name: { type: "string" } },
});
const userId = positionals[0] ?? fail("a user id is required");
const scopes = values.scope.split(/\s+/).filter(Boolean);
const unknown = scopes.find((scope) => !isScope(scope));
if (unknown !== undefined) fail(`unknown scope "${unknown}" (chat, voice, admin, agent)`);
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) fail("--ttl must be a positive number of seconds");

const { token } = await signToken({
  userId,
  scopes: scopes.filter(isScope),
  ttlSeconds,
  ...(values.name ? { name: values.name } : {}),
  secret: secretBytes(process.env["JWT_SECRET"] || DEV_JWT_SECRET),
  ...(process.env["JWT_ISSUER"] ? { issuer: process.env["JWT_ISSUER"] } : {}),
  ...(process.env["JWT_AUDIENCE"] ? { audience: process.env["JWT_AUDIENCE"] } : {}),
});
process.stdout.write(`${token}\n`);
