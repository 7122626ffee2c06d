/** Development tokens for the benchmark's users, minted with the repository's own signer. */
import { DEV_JWT_SECRET } from "../src/security/dev-secrets.js";
import { secretBytes, signToken } from "../src/security/jwt.js";

const SECRET = secretBytes(DEV_JWT_SECRET);
const TTL_SECONDS = 4 * 3600;

/** Tokens by user id: minted ahead of a run (outside the measurement), or on demand beyond that. */
export class TokenBook {
  private readonly tokens = new Map<string, string>();

  async mint(userIds: Iterable<string>): Promise<void> {
    for (const userId of userIds) {
      if (!this.tokens.has(userId)) this.tokens.set(userId, await mintToken(userId));
    }
  }

  async get(userId: string): Promise<string> {
    let token = this.tokens.get(userId);
    if (token === undefined) {
      token = await mintToken(userId);
      this.tokens.set(userId, token);
    }
    return token;
  }
}

export async function mintToken(userId: string): Promise<string> {
  return (await signToken({ userId, scopes: ["chat"], ttlSeconds: TTL_SECONDS, secret: SECRET })).token;
}
