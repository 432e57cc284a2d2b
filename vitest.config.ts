import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the bundle against a loopback sandbox; some wait on purpose.
    testTimeout: 30_000,
  },
});
