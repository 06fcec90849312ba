import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Three projects: pure unit tests once, and every integration test twice, against a real SQLite
// file and a real PostgreSQL server (each test file gets a database of its own).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          env: { TEST_DATABASE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgresql",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          env: { TEST_DATABASE: "postgresql" },
        },
      },
    ],
  },
});
