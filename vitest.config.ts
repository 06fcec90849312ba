import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Three projects: pure unit tests (and the simulators' contract tests) once, and every integration
// test twice, against a real SQLite file and a real PostgreSQL server; each integration test file
// gets a migrated database of its own (test/setup/database.ts).
const testEnv: Record<string, string> = {
  NODE_ENV: "test",
  LOG_LEVEL: "error",
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "http://localhost:3000",
  // A fixed key for tests only (32 bytes, base64); production keys come from the environment.
  TALLYSYNC_ENCRYPTION_KEY: "dGFsbHlzeW5jLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc=",
};

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: testEnv,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/sim/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          env: { ...testEnv, TEST_DATABASE: "sqlite" },
          setupFiles: ["test/setup/database.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgresql",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          env: { ...testEnv, TEST_DATABASE: "postgresql" },
          setupFiles: ["test/setup/database.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
