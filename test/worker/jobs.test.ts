// The job API in workerd with the real local R2 and Cloudflare Workflows (the workflow runs here, calling the
// fake inference endpoint): a job's result equals what POST /v1/restore answers; a cached result makes a job
// that has succeeded already; identical jobs share one instance and one inference; jobs are private to their
// key; failures keep their stable code; cancellation stops the instance. Every answer is checked against the
// spec.
import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../worker/src/jobs/jobRecords.js";
import { callWorker, callWorkerWith, endpoints, inferenceCount, restoreRequest, uniquePng } from "./helpers.js";
import { expectConformsToSpec } from "./openapiConformance.js";

type Introspector = Awaited<ReturnType<typeof introspectWorkflow>>;
let workflows: Introspector;

beforeEach(async () => {
  workflows = await introspectWorkflow(env.RESTORE_JOBS);
});
afterEach(async () => {
  await workflows.dispose();
});

function jobRequest(method: string, path: string, { body = null as BodyInit | null, key = "test-key-1", query = "task=denoise" } = {}): Request {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body) headers["content-type"] = "image/png";
  return new Request(`https://edge.test${path}${method === "POST" ? `?${query}` : ""}`, { method, body, headers });
}

async function submit(image: Uint8Array, options: { key?: string; query?: string } = {}): Promise<Job> {
  const response = await callWorker(jobRequest("POST", "/v1/jobs", { body: image, ...options }));
  expect(response.status).toBe(202);
  await expectConformsToSpec(response, "/v1/jobs", "POST");
  const job = (await response.json()) as Job;
  expect(response.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
  return job;
}

async function getJob(id: string, key = "test-key-1"): Promise<Response> {
  return callWorker(jobRequest("GET", `/v1/jobs/${id}`, { key }));
}

/** Waits for every workflow instance created so far to reach `status`. */
async function instancesReach(status: "complete" | "errored" | "terminated"): Promise<void> {
  for (const instance of workflows.get()) await instance.waitForStatus(status);
}

describe("POST /v1/jobs", () => {
  it("runs a job to the same bytes and headers as POST /v1/restore", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const job = await submit(image, { query: "task=denoise&format=png" });
    expect(job.id).toMatch(/^job_[0-9a-f]{32}$/);
    expect(["queued", "running"]).toContain(job.status);
    await instancesReach("complete");

    const done = await getJob(job.id);
    await expectConformsToSpec(done, "/v1/jobs/{id}", "GET");
    const finished = (await done.json()) as Job;
    expect(finished).toMatchObject({ id: job.id, status: "succeeded", task: "denoise", result: `/v1/jobs/${job.id}/result` });
    expect(finished.progress.stage).toBe("done");

    const result = await callWorker(jobRequest("GET", `/v1/jobs/${job.id}/result`));
    expect(result.status).toBe(200);
    await expectConformsToSpec(result, "/v1/jobs/{id}/result", "GET");
    const sync = await callWorker(restoreRequest(image, { query: "task=denoise&format=png" }));
    expect(sync.headers.get("cache-status")).toContain("hit"); // the job stored it
    expect(new Uint8Array(await result.arrayBuffer())).toEqual(new Uint8Array(await sync.arrayBuffer()));
    for (const header of ["etag", "x-model-version", "x-refine-applied", "content-type"]) expect(result.headers.get(header)).toBe(sync.headers.get(header));
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
  });

  it("answers a job for a cached result as succeeded at once, with no inference and no workflow", async () => {
    const image = uniquePng();
    expect((await callWorker(restoreRequest(image))).status).toBe(200);
    const job = await submit(image);
    expect(job.status).toBe("succeeded");
    expect(workflows.get()).toHaveLength(0);
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
    expect((await callWorker(jobRequest("GET", `/v1/jobs/${job.id}/result`))).status).toBe(200);
  });

  it("shares one workflow instance and one inference among identical jobs, from different keys too", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const [a, b] = [await submit(image), await submit(image, { key: "test-key-2" })];
    expect(a.id).not.toBe(b.id);
    await instancesReach("complete");
    expect(((await (await getJob(a.id)).json()) as Job).status).toBe("succeeded");
    expect(((await (await getJob(b.id, "test-key-2")).json()) as Job).status).toBe("succeeded");
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
  });

  it("refuses what POST /v1/restore refuses, before any job exists", async () => {
    const before = await env.RESULTS.list({ prefix: "jobs/" });
    const bad = await callWorker(jobRequest("POST", "/v1/jobs", { body: uniquePng(), query: "task=sharpen" }));
    expect(bad.status).toBe(400);
    await expectConformsToSpec(bad, "/v1/jobs", "POST");
    const truncated = await callWorker(jobRequest("POST", "/v1/jobs", { body: uniquePng().slice(0, 60) }));
    expect(truncated.status).toBe(422);
    const anonymous = await callWorker(new Request("https://edge.test/v1/jobs?task=denoise", { method: "POST", body: uniquePng() }));
    expect(anonymous.status).toBe(401);
    expect((await env.RESULTS.list({ prefix: "jobs/" })).objects.length).toBe(before.objects.length);
  });
});

describe("Prefer (RFC 7240)", () => {
  it("POST /v1/restore with respond-async answers a job, as POST /v1/jobs does", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const request = restoreRequest(image, { query: "task=denoise&format=png" });
    request.headers.set("prefer", "respond-async");
    const response = await callWorker(request);
    expect(response.status).toBe(202);
    expect(response.headers.get("preference-applied")).toBe("respond-async");
    await expectConformsToSpec(response, "/v1/restore", "POST");
    const job = (await response.json()) as Job;
    expect(response.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
    await instancesReach("complete");
    expect(await (await getJob(job.id)).json()).toMatchObject({ status: "succeeded" });
  });

  it("POST /v1/jobs with wait=N answers the result itself when the job ends in time", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const request = jobRequest("POST", "/v1/jobs", { body: image, query: "task=denoise&format=png" });
    request.headers.set("prefer", "wait=20");
    const response = await callWorker(request);
    expect(response.status).toBe(200);
    await expectConformsToSpec(response, "/v1/jobs", "POST");
    expect(response.headers.get("preference-applied")).toBe("wait=20");
    expect(response.headers.get("content-location")).toMatch(/^\/v1\/jobs\/job_[0-9a-f]{32}\/result$/);
    const sync = await callWorker(restoreRequest(image, { query: "task=denoise&format=png" }));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(await sync.arrayBuffer()));
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
  });

  it("POST /v1/jobs with wait=N answers the job (202) when it is still running after N s", async () => {
    // The endpoint call fails once and waits its 5 s retry delay.
    await workflows.modifyAll(async (m) => m.mockStepError({ name: "restore" }, new Error("The inference endpoint could not be reached."), 1));
    const request = jobRequest("POST", "/v1/jobs", { body: uniquePng() });
    request.headers.set("prefer", "wait=1");
    const started = Date.now();
    const response = await callWorker(request);
    expect(response.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(response.headers.get("preference-applied")).toBe("wait=1");
    expect(((await response.json()) as Job).status).toMatch(/queued|running/);
  });
});

describe("a synchronous request that times out while the endpoint works on it", () => {
  it("goes on as a job, so the retry is a cache hit; such timeouts do not open the circuit", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    // Threshold 1: a single counted failure would open the circuit for the slow endpoint.
    const overrides = { INFERENCE_URL: endpoints.slow, INFERENCE_TIMEOUT_MS: "300", CIRCUIT_FAILURE_THRESHOLD: "1" };
    const first = await callWorkerWith(restoreRequest(image), overrides);
    expect(first.status).toBe(504);
    expect(first.headers.get("retry-after")).toBe("30");
    expect(await first.clone().json()).toMatchObject({ error: { code: "upstream_timeout", details: { continuing: true } } });
    await expectConformsToSpec(first, "/v1/restore", "POST");
    const second = await callWorkerWith(restoreRequest(uniquePng()), overrides);
    expect(await second.json()).toMatchObject({ error: { code: "upstream_timeout" } }); // not upstream_unavailable: closed
    // The continued work (here on the fast endpoint the workflow calls) lands in the cache.
    await instancesReach("complete");
    const retry = await callWorker(restoreRequest(image));
    expect(retry.status).toBe(200);
    expect(retry.headers.get("cache-status")).toContain("hit");
  });
});

describe("a synchronous request whose client leaves", () => {
  it("goes on as a job, so the retry is a cache hit", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const client = new AbortController();
    const request = new Request(restoreRequest(image), { signal: client.signal });
    // The slow endpoint takes 3 s; the client leaves after 300 ms (in production, the request's signal aborts
    // when the client disconnects: the enable_request_signal compatibility flag).
    const answered = callWorkerWith(request, { INFERENCE_URL: endpoints.slow });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(workflows.get()).toHaveLength(0);
    client.abort();
    await answered;
    expect(workflows.get()).toHaveLength(1);
    await instancesReach("complete");
    const retry = await callWorker(restoreRequest(image));
    expect(retry.status).toBe(200);
    expect(retry.headers.get("cache-status")).toContain("hit");
  });

  it("does not start a job for a client that stays", async () => {
    const response = await callWorker(restoreRequest(uniquePng()));
    expect(response.status).toBe(200);
    expect(workflows.get()).toHaveLength(0);
  });
});

describe("GET and DELETE /v1/jobs/{id}", () => {
  it("answers 404 to every other key, and to ids that do not exist", async () => {
    await workflows.modifyAll(async (m) => m.disableRetryDelays());
    const job = await submit(uniquePng());
    for (const request of [
      jobRequest("GET", `/v1/jobs/${job.id}`, { key: "test-key-2" }),
      jobRequest("GET", `/v1/jobs/${job.id}/result`, { key: "test-key-2" }),
      jobRequest("DELETE", `/v1/jobs/${job.id}`, { key: "test-key-2" }),
      jobRequest("GET", `/v1/jobs/job_${"0".repeat(32)}`),
      jobRequest("GET", "/v1/jobs/not-a-job-id"),
    ]) {
      const response = await callWorker(request);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    await instancesReach("complete");
  });

  it("fails a job with the endpoint's stable code when it refuses the image, and keeps the result route closed", async () => {
    await workflows.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepResult({ name: "restore" }, { outcome: "failed", error: { code: "invalid_image", message: "The image could not be decoded." } });
    });
    const job = await submit(uniquePng());
    await instancesReach("complete");
    const response = await getJob(job.id);
    await expectConformsToSpec(response, "/v1/jobs/{id}", "GET");
    expect(await response.json()).toMatchObject({ status: "failed", error: { code: "invalid_image" } });
    const result = await callWorker(jobRequest("GET", `/v1/jobs/${job.id}/result`));
    expect(result.status).toBe(409);
    await expectConformsToSpec(result, "/v1/jobs/{id}/result", "GET");
    expect(await result.json()).toMatchObject({ error: { code: "job_not_succeeded", details: { status: "failed" } } });
  });

  it("fails a job as upstream_unavailable when the endpoint keeps failing after every retry", async () => {
    await workflows.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: "restore" }, new Error("The inference endpoint could not be reached."));
    });
    const job = await submit(uniquePng());
    // The instance ends normally, with the failure as its output, so that the jobs' webhooks still go out.
    await instancesReach("complete");
    expect(await (await getJob(job.id)).json()).toMatchObject({
      status: "failed",
      error: { code: "upstream_unavailable", message: expect.stringContaining("could not be reached") },
    });
  });

  it("cancels a running job: status canceled, its instance terminated, no result", async () => {
    // The restore step fails and waits 5 s before its retry: the job is running meanwhile.
    await workflows.modifyAll(async (m) => m.mockStepError({ name: "restore" }, new Error("The inference endpoint could not be reached."), 1));
    const job = await submit(uniquePng());
    const canceled = await callWorker(jobRequest("DELETE", `/v1/jobs/${job.id}`));
    expect(canceled.status).toBe(200);
    await expectConformsToSpec(canceled, "/v1/jobs/{id}", "DELETE");
    expect(await canceled.json()).toMatchObject({ id: job.id, status: "canceled" });
    await instancesReach("terminated");
    expect(await (await getJob(job.id)).json()).toMatchObject({ status: "canceled" });
    const result = await callWorker(jobRequest("GET", `/v1/jobs/${job.id}/result`));
    expect(result.status).toBe(409);
    // Cancelling a finished job answers it as it is.
    expect(await (await callWorker(jobRequest("DELETE", `/v1/jobs/${job.id}`))).json()).toMatchObject({ status: "canceled" });
  });
});
