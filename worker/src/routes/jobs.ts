// The job API: POST /v1/jobs (same checks as POST /v1/restore, answered 202 at once), GET /v1/jobs/{id} (status
// and progress), GET /v1/jobs/{id}/result (the same bytes and headers POST /v1/restore gives), DELETE
// /v1/jobs/{id} (cancel), GET /v1/webhooks/secret (what signs the key's webhooks). A job is visible only to the
// key that created it: any other key gets 404, never 403.
import { Hono } from "hono";
import { ApiError } from "../apiError.js";
import { getCachedResult } from "../cache/r2ResultCache.js";
import type { Env } from "../env.js";
import { cancelEndpointRequest } from "../inference/endpointRequests.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { createJob } from "../jobs/createJob.js";
import { dropJobRef, getJobRecord, ownerOf, putJobRecord, unmarkLive, type Job, type JobRecord } from "../jobs/jobRecords.js";
import { parseWebhook, queueWebhook, webhookSecret } from "../jobs/webhooks.js";
import { currentJob } from "../jobs/jobStatus.js";
import { apiKeyAuth, type AuthVariables } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { limitBody, parseOptions, readCheckedImage, type RestoreRequestVariables } from "../request/restoreRequest.js";
import { cacheName } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";

export const jobRoutes = new Hono<{ Bindings: Env; Variables: RestoreRequestVariables }>();

const jobJson = (job: Job, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(job), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

/** Seconds a client should wait before polling a live job again. */
const pollAfterSeconds = 2;

jobRoutes.post("/v1/jobs", apiKeyAuth(), rateLimitPerKey(), parseOptions(["webhook", "webhookEvents"]), limitBody(), async (c) => {
  const webhook = parseWebhook(new URL(c.req.url).searchParams, c.env);
  const { image, format } = await readCheckedImage(c);
  const record = await createJob(c.env, { apiKey: c.get("apiKey"), options: c.get("options"), image, format, ...(webhook ? { webhook } : {}) });
  const job = await currentJob(c.env, record);
  return jobJson(job, 202, { location: `/v1/jobs/${record.id}`, ...(job.status === "succeeded" ? {} : { "retry-after": String(pollAfterSeconds) }) });
});

async function ownJob(c: { env: Env; req: { param(name: "id"): string }; get(key: "apiKey"): string }): Promise<JobRecord> {
  const record = await getJobRecord(c.env.RESULTS, c.req.param("id"), await ownerOf(c.get("apiKey")));
  if (!record) throw new ApiError("not_found", "No such job for this API key.");
  return record;
}

const jobAuth = [apiKeyAuth(), rateLimitPerKey()] as const;

jobRoutes.get("/v1/jobs/:id", ...jobAuth, async (c) => {
  const job = await currentJob(c.env, await ownJob(c));
  const live = job.status === "queued" || job.status === "running";
  return jobJson(job, 200, live ? { "retry-after": String(pollAfterSeconds) } : {});
});

jobRoutes.get("/v1/jobs/:id/result", ...jobAuth, async (c) => {
  const record = await ownJob(c);
  const job = await currentJob(c.env, record);
  if (job.status !== "succeeded") {
    const live = job.status === "queued" || job.status === "running";
    throw new ApiError("job_not_succeeded", `The job is ${job.status}.`, { status: job.status }, live ? { "retry-after": String(pollAfterSeconds) } : undefined);
  }
  const timing = new ServerTiming();
  const result = await timing.measure("r2", () => getCachedResult(c.env.RESULTS, record.resultKey));
  if (!result) throw new ApiError("not_found", "The job's result is no longer stored.");
  return resultResponse(c.req.raw, result, timing, {
    cacheStatus: `${cacheName}; hit`,
    cacheControl: "private, max-age=31536000, immutable",
    varyAccept: false,
    fallbackModelVersion: `${pipelineModelName(record.task)}/${c.env.MODEL_VERSION}`,
  });
});

jobRoutes.delete("/v1/jobs/:id", ...jobAuth, async (c) => {
  const record = await ownJob(c);
  const job = await currentJob(c.env, record);
  if (job.status !== "queued" && job.status !== "running") return jobJson(job);
  record.canceledAt = new Date().toISOString();
  await putJobRecord(c.env.RESULTS, record);
  await unmarkLive(c.env.RESULTS, record.owner, record.id);
  // The shared work stops only when no other job still wants it.
  if (record.instanceId && (await dropJobRef(c.env.RESULTS, record.instanceId, record.id)) === 0) {
    try {
      await (await c.env.RESTORE_JOBS.get(record.instanceId)).terminate();
    } catch (error) {
      console.error(JSON.stringify({ event: "job_terminate_failed", job: record.id, error: String(error) }));
    }
    await cancelEndpointRequest(c.env.INFERENCE_URL, record.instanceId);
  }
  const canceled = await currentJob(c.env, record);
  await queueWebhook(c.env, record, canceled, "canceled");
  return jobJson(canceled);
});

jobRoutes.get("/v1/webhooks/secret", ...jobAuth, async (c) => {
  const secret = await webhookSecret(c.env, await ownerOf(c.get("apiKey")));
  return new Response(JSON.stringify({ secret }), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
});
