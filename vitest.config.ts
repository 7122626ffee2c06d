import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Three kinds of tests (DESIGN.md → Layout):
 * - unit:   pure code in plain Node;
 * - worker: the Worker and its Durable Objects inside workerd (real SQLite storage, queues, R2);
 * - e2e:    `wrangler dev` driven over HTTP and by headless Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", environment: "node", include: ["test/unit/**/*.test.ts"] },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { ENVIRONMENT: "development", ROLLOUT_TTL_MS: "100", ALLOWED_ORIGINS: "https://shop.example", RATE_LIMIT_USER_BURST: "50" },
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"] },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
