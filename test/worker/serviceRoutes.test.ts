// Health, readiness, model list, and the served contract.
import { describe, expect, it } from "vitest";
// The endpoint's version: the worker's MODEL_VERSION (wrangler.toml) must agree with it.
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import { openapiYaml } from "../../worker/src/generated/openapiDocument.js";
import { expectConformsToSpec } from "./openapiConformance.js";
import { callWorker, callWorkerWith, endpoints } from "./helpers.js";

const get = (path: string) => new Request(`https://edge.test${path}`);

describe("service routes", () => {
  it("GET /v1/health", async () => {
    const response = await callWorker(get("/v1/health"));
    expect(await response.clone().json()).toEqual({ status: "ok" });
    await expectConformsToSpec(response, "/v1/health", "GET");
  });

  it("GET /v1/ready checks R2 and the endpoint", async () => {
    const response = await callWorker(get("/v1/ready"));
    expect(response.status).toBe(200);
    expect(await response.clone().json()).toEqual({ status: "ready", checks: { r2: "ok", endpoint: "ok" } });
    await expectConformsToSpec(response, "/v1/ready", "GET");

    const down = await callWorkerWith(get("/v1/ready"), { INFERENCE_URL: endpoints.down });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: "not_ready", details: { checks: { r2: "ok", endpoint: "failed" } } } });
  });

  it("GET /v1/models lists tasks, pinned versions and limits", async () => {
    const response = await callWorker(get("/v1/models"));
    expect(response.status).toBe(200);
    const body = (await response.clone().json()) as { tasks: { task: string; version: string; available: boolean }[]; limits: Record<string, unknown> };
    expect(body.tasks.map((t) => t.task)).toEqual(["lowlight", "derain", "deblur", "denoise"]);
    expect(body.tasks.every((t) => t.version === pipelineVersion && t.available)).toBe(true);
    expect(body.limits).toMatchObject({ maxBytes: 20971520, maxPixels: 16777216, maxDimension: 8192 });
    await expectConformsToSpec(response, "/v1/models", "GET");

    const down = await callWorkerWith(get("/v1/models"), { INFERENCE_URL: endpoints.down });
    const downBody = (await down.clone().json()) as { tasks: { available: boolean; parameters: unknown }[] };
    expect(downBody.tasks.every((t) => !t.available && t.parameters === null)).toBe(true);
    await expectConformsToSpec(down, "/v1/models", "GET");
  });

  it("serves openapi.yaml verbatim and HTML docs generated from it", async () => {
    const spec = await callWorker(get("/openapi.yaml"));
    expect(spec.headers.get("content-type")).toContain("application/yaml");
    expect(await spec.clone().text()).toBe(openapiYaml);
    await expectConformsToSpec(spec, "/openapi.yaml", "GET");

    const docs = await callWorker(get("/docs"));
    const html = await docs.clone().text();
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("<code>/v1/restore</code>");
    expect(html).toContain("media_type_mismatch");
    // Self-contained: no scripts, no external assets or links (example URLs in the prose are only text).
    expect(html).not.toMatch(/<script|(?:src|href)\s*=\s*["']?https?:\/\/(?!127\.0\.0\.1)/);
    expect(html).toContain("<code>/cdn-cgi/restore/{options}/{source}</code>");
    await expectConformsToSpec(docs, "/docs", "GET");
  });
});
