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
          // JSON log lines stay out of the test output (tests/unit/logger.test.ts reads its own).
          env: { TZ: unitZone, LOG_LEVEL: "silent" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: { TZ: "UTC", LOG_LEVEL: "silent" },
          globalSetup: ["tests/support/global-setup.ts"],
          // Files share one fresh database; each test makes its own artists, so files run one at a time
          // to keep timing-sensitive tests (concurrency, SMTP outage) free of interference.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Proof under faults (scripts/test-all.sh, after the production build): real app instances
          // from `.next` on their own embedded Postgres, faults injected for real, a table of figures.
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          environment: "node",
          env: { TZ: "UTC", LOG_LEVEL: "silent" },
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
