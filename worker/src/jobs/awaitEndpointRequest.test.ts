import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { endpoints, uniquePng } from "../../../test/worker/helpers.js";
import { requestRestoration } from "../inference/restoreClient.js";
import { awaitEndpointRequest } from "./awaitEndpointRequest.js";

describe("awaitEndpointRequest", () => {
  it("returns once the endpoint's request has ended, not before", async () => {
    const slow = { url: endpoints.slow, headers: {} };
    const id = `adopt-${crypto.randomUUID()}`;
    let finished = false;
    const inference = requestRestoration(slow, {
      task: "denoise",
      modelVersion: env.MODEL_VERSION,
      image: uniquePng(),
      refine: true,
      format: "png",
      quality: 85,
      metadata: "none",
      resize: undefined,
      timeoutMs: 20_000,
      requestId: id,
    }).then(() => (finished = true));
    // Until the fake endpoint has the request.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await awaitEndpointRequest(slow, id, { pollMs: 100, deadlineMs: 20_000 })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(true);
    await inference;
  });

  it("returns at once for a request the endpoint does not know", async () => {
    const started = Date.now();
    expect(await awaitEndpointRequest({ url: endpoints.slow, headers: {} }, "no-such-request", { pollMs: 1000, deadlineMs: 20_000 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
