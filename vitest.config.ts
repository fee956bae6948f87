// Two projects: worker tests run inside workerd with a real local R2 binding; everything else runs in Node.
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                // Real HTTP server speaking the Open Inference Protocol, started by test/fakes/globalSetup.ts.
                INFERENCE_URL: inject("fakeEndpoints").ok,
                API_KEYS: "test-key-1,test-key-2",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["worker/src/**/*.test.ts", "test/worker/**/*.test.ts"],
          globalSetup: ["test/fakes/globalSetup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["sdk/src/**/*.test.ts", "scripts/**/*.test.ts", "test/node/**/*.test.ts", "endpoint/src/**/*.test.ts", "converter/src/**/*.test.ts"],
          globalSetup: ["test/fakes/globalSetup.ts", "test/node/modelsGlobalSetup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
