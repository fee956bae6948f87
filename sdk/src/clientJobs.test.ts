// The client's job calls against a scripted server: restore() through a job with progress, cancellation on
// abort, failures with the job's own code, and the mode switch.
import { describe, expect, it } from "vitest";
import { createEdgeRestoreClient, JOB_THRESHOLD_BYTES, type FetchLike } from "./client.js";
import { EdgeRestoreError } from "./errors.js";
import type { components } from "./generated/openapi.js";

type Job = components["schemas"]["Job"];
const BASE = "http://api.test";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const RESULT = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 8, 7, 6]);

const job = (status: Job["status"], tilesDone: number, extra: Partial<Job> = {}): Job => ({
  id: "job_1",
  status,
  task: "denoise",
  progress: { stage: status === "succeeded" ? "done" : tilesDone ? "tiles" : "queued", tilesDone, tilesTotal: 3 },
  createdAt: "2026-11-30T00:00:00Z",
  ...extra,
});

/** A server that answers jobs from a list of GET answers (the last repeats) and records requests. */
function jobServer(polls: Job[]) {
  const requests: Request[] = [];
  let poll = 0;
  const fetch: FetchLike = async (request) => {
    requests.push(request);
    const { pathname } = new URL(request.url);
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (request.method === "POST" && pathname === "/v1/jobs") return json(job("queued", 0), 202);
    if (request.method === "POST" && pathname === "/v1/restore") return new Response(RESULT, { headers: { "content-type": "image/png" } });
    if (request.method === "GET" && pathname === "/v1/jobs/job_1") return json(polls[Math.min(poll++, polls.length - 1)]);
    if (request.method === "DELETE" && pathname === "/v1/jobs/job_1") return json(job("canceled", 1));
    if (pathname === "/v1/jobs/job_1/result") return new Response(RESULT, { headers: { "content-type": "image/png", "cache-status": "edge-restore; hit" } });
    return json({ error: { code: "not_found", message: "no" } }, 404);
  };
  return { fetch, requests, calls: () => requests.map((r) => `${r.method} ${new URL(r.url).pathname}`) };
}

const client = (fetch: FetchLike) => createEdgeRestoreClient({ baseUrl: BASE, apiKey: "k", fetch, sleep: async () => {} });

describe("restore through a job", () => {
  it("reports each new progress once, in order, and returns the job's result", async () => {
    const server = jobServer([job("queued", 0), job("running", 1), job("running", 1), job("running", 3), job("succeeded", 3, { result: "/v1/jobs/job_1/result" })]);
    const seen: string[] = [];
    const result = await client(server.fetch).restore(PNG, { task: "denoise", onProgress: (p) => seen.push(`${p.stage} ${p.tilesDone}/${p.tilesTotal}`) });
    expect(seen).toEqual(["queued 0/3", "tiles 1/3", "tiles 3/3", "done 3/3"]);
    expect(await result.bytes()).toEqual(RESULT);
    expect(result.cacheHit).toBe(true);
    expect(server.calls()).toEqual(["POST /v1/jobs", ...Array(5).fill("GET /v1/jobs/job_1"), "GET /v1/jobs/job_1/result"]);
    expect(new URL(server.requests[0]!.url).searchParams.get("task")).toBe("denoise");
    expect(server.requests[0]!.headers.get("authorization")).toBe("Bearer k");
  });

  it("cancels the job when the caller aborts, and rejects with the caller's reason", async () => {
    const server = jobServer([job("running", 1)]);
    const controller = new AbortController();
    const reason = new Error("user left");
    const pending = client(server.fetch).restore(PNG, { task: "denoise", signal: controller.signal, onProgress: (p) => p.tilesDone === 1 && controller.abort(reason) });
    await expect(pending).rejects.toBe(reason);
    expect(server.calls().at(-1)).toBe("DELETE /v1/jobs/job_1");
  });

  it("throws the failed job's own error code, and job_canceled for a job canceled elsewhere", async () => {
    const failed = jobServer([job("failed", 0, { error: { code: "invalid_image", message: "The image could not be decoded." } })]);
    const error = await client(failed.fetch).restore(PNG, { task: "denoise", mode: "job" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeRestoreError);
    expect(error).toMatchObject({ code: "invalid_image", message: "The image could not be decoded." });
    const canceled = jobServer([job("canceled", 1)]);
    await expect(client(canceled.fetch).waitForJob("job_1")).rejects.toMatchObject({ code: "job_canceled" });
  });

  it("uses one synchronous request for a small image without onProgress, a job past the threshold", async () => {
    const small = jobServer([]);
    await client(small.fetch).restore(PNG, { task: "denoise" });
    expect(small.calls()).toEqual(["POST /v1/restore"]);
    const large = jobServer([job("succeeded", 3)]);
    await client(large.fetch).restore(new Uint8Array(JOB_THRESHOLD_BYTES + 1), { task: "denoise" });
    expect(large.calls()[0]).toBe("POST /v1/jobs");
    const forced = jobServer([]);
    await client(forced.fetch).restore(new Uint8Array(JOB_THRESHOLD_BYTES + 1), { task: "denoise", mode: "sync" });
    expect(forced.calls()).toEqual(["POST /v1/restore"]);
  });

  it("passes webhook options to POST /v1/jobs", async () => {
    const server = jobServer([]);
    await client(server.fetch).createJob(PNG, { task: "denoise", webhook: "https://hooks.example/x", webhookEvents: ["succeeded", "failed"] });
    const query = new URL(server.requests[0]!.url).searchParams;
    expect(query.get("webhook")).toBe("https://hooks.example/x");
    expect(query.get("webhookEvents")).toBe("succeeded,failed");
  });
});
