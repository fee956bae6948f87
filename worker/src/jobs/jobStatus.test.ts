import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../env.js";
import type { JobRecord } from "./jobRecords.js";
import { currentJob } from "./jobStatus.js";

const record = (): JobRecord => ({
  id: "job_0123456789abcdef0123456789abcdef",
  owner: "owner",
  task: "denoise",
  refine: true,
  format: "png",
  quality: 90,
  resultKey: "results/denoise/6/abc/refined.png.m-copyright",
  instanceId: "instance-1",
  createdAt: "2026-11-30T00:00:00.000Z",
  expiresAt: "2026-12-07T00:00:00.000Z",
  progress: { stage: "queued", tilesDone: 0, tilesTotal: 0 },
});

/** What a poll asks of each: R2 (the result's head), the endpoint (its request's progress), Workflows. */
function world(o: { stored: boolean; report?: { stage: string; tiles_done: number; tiles_total: number }; instance: string }) {
  const asked = { workflow: 0, endpoint: 0, puts: 0 };
  vi.stubGlobal("fetch", async () => {
    asked.endpoint++;
    return o.report ? Response.json(o.report) : new Response("no such request", { status: 404 });
  });
  const env = {
    INFERENCE_URL: "http://endpoint.test",
    RESULTS: { head: async () => (o.stored ? {} : null), put: async () => void asked.puts++ },
    RESTORE_JOBS: { get: async () => (asked.workflow++, { status: async () => ({ status: o.instance }) }) },
  } as unknown as Env;
  return { env, asked };
}

afterEach(() => vi.unstubAllGlobals());

describe("currentJob", () => {
  it("a stored result is success, even while the instance still runs its housekeeping steps: nothing else is asked", async () => {
    const { env, asked } = world({ stored: true, instance: "running" });
    expect((await currentJob(env, record())).status).toBe("succeeded");
    expect(asked).toEqual({ workflow: 0, endpoint: 0, puts: 0 });
  });

  it("while the endpoint reports the request, the job is running with its progress, and Workflows is not asked", async () => {
    const { env, asked } = world({ stored: false, report: { stage: "tiles", tiles_done: 3, tiles_total: 12 }, instance: "running" });
    const job = await currentJob(env, record());
    expect(job).toMatchObject({ status: "running", progress: { stage: "tiles", tilesDone: 3, tilesTotal: 12 } });
    expect(asked).toEqual({ workflow: 0, endpoint: 1, puts: 1 });
  });

  it("otherwise the instance's status decides", async () => {
    expect((await currentJob(world({ stored: false, instance: "queued" }).env, record())).status).toBe("queued");
    expect((await currentJob(world({ stored: false, instance: "waiting" }).env, record())).status).toBe("running");
    expect((await currentJob(world({ stored: false, instance: "terminated" }).env, record())).status).toBe("failed");
  });
});
