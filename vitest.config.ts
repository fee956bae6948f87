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
                // URL transforms: the fake image origin (test/fakes/imageOrigin.ts) runs on 127.0.0.1, which the
                // source policy refuses; only here is loopback let through, and tests also check it is refused without.
                TRANSFORM_SOURCES: `${inject("imageOrigin")}/allowed/`,
                TRANSFORM_SIGNING_KEYS: "transform-test-key-1-0123456789abcdef,transform-test-key-2-0123456789abcdef",
                TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "true",
                // Job webhooks go to the same origin's recorder (test/fakes/imageOrigin.ts), on 127.0.0.1 too.
                WEBHOOK_SIGNING_KEY: "webhook-test-signing-key-0123456789abcdef",
                WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS: "true",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["worker/src/**/*.test.ts", "test/worker/**/*.test.ts"],
          globalSetup: ["test/fakes/globalSetup.ts", "test/fakes/imageOriginSetup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["sdk/src/**/*.test.ts", "common/src/**/*.test.ts", "scripts/**/*.test.ts", "test/node/**/*.test.ts", "test/hostile/**/*.test.ts", "endpoint/src/**/*.test.ts", "converter/src/**/*.test.ts", "dataset/src/**/*.test.ts", "bench/**/*.test.ts"],
          globalSetup: ["test/fakes/globalSetup.ts", "test/node/modelsGlobalSetup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
