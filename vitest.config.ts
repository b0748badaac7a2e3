import path from "node:path";
import { defineConfig } from "vitest/config";

// Modules that hold secrets or the database `import "server-only"` (a marker Next resolves); tests,
// like every process outside Next, load its empty module (see scripts/allow-server-only.mjs).
const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") };
// Unit tests run in UTC; scripts/test-all.sh runs them again with HOLDFAST_TEST_TZ set to other
// zones, so a result that depends on the machine's zone fails there.
const unitZone = process.env.HOLDFAST_TEST_TZ || "UTC";

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "lib/**/*.test.ts"],
          environment: "node",
          env: { TZ: unitZone },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: { TZ: "UTC" },
          globalSetup: ["tests/support/global-setup.ts"],
          // Files share one fresh database; each test makes its own artists, so files run one at a time
          // to keep timing-sensitive tests (concurrency, SMTP outage) free of interference.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
