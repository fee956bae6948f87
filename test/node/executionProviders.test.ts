// Execution provider fallback: asked for webgpu first, the endpoint's models run on whatever works here and say
// which (webgpu on a machine with a GPU adapter, cpu elsewhere, with the failure logged).
import { describe, expect, it } from "vitest";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";

describe("execution providers", () => {
  it("falls back from webgpu to cpu when no adapter exists, and logs it", { timeout: 300_000 }, async () => {
    const events: Record<string, unknown>[] = [];
    const models = await PipelineModels.load({ providers: ["webgpu", "cpu"], log: (e) => events.push(e) });
    const model = await models.model("derain");
    const out = await model.run(new Float32Array(256 * 256 * 3).fill(0.5));
    expect(out.length).toBe(256 * 256 * 3);
    expect(["webgpu", "cpu"]).toContain(models.provider);
    if (models.provider === "cpu") {
      expect(events).toContainEqual(expect.objectContaining({ event: "execution_provider_failed", provider: "webgpu", fallback: "cpu" }));
    }
    expect(events).toContainEqual({ event: "execution_provider", provider: models.provider });
  });
});
