// The job API: POST /v1/jobs (same checks as POST /v1/restore, answered 202 at once), GET /v1/jobs/{id} (status
// and progress), GET /v1/jobs/{id}/result (the same bytes and headers POST /v1/restore gives), DELETE
// /v1/jobs/{id} (cancel), GET /v1/webhooks/secret (what signs the key's webhooks). A job is visible only to the
// key that created it: any other key gets 404, never 403.
import { Hono } from "hono";
import { ApiError } from "../apiError.js";
import type { Env } from "../env.js";
import { cancelEndpointRequest } from "../inference/endpointRequests.js";
import { inferenceEndpoint } from "../inference/inferenceEndpoint.js";
import { createJob } from "../jobs/createJob.js";
import { acceptedJob, jobJson, jobResultResponse, pollAfterSeconds } from "../jobs/jobResponses.js";
import { dropJobRef, getJobRecord, ownerOf, putJobRecord, unmarkLive, type Job, type JobRecord } from "../jobs/jobRecords.js";
import { parseWebhook, queueWebhook, webhookSecret } from "../jobs/webhooks.js";
import { currentJob } from "../jobs/jobStatus.js";
import { apiKeyAuth, type AuthVariables } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { parsePrefer } from "../request/preferHeader.js";
import { limitBody, parseOptions, readCheckedImage, type RestoreRequestVariables } from "../request/restoreRequest.js";
import { logEvent } from "../requestContext.js";

export const jobRoutes = new Hono<{ Bindings: Env; Variables: RestoreRequestVariables }>();

jobRoutes.post("/v1/jobs", apiKeyAuth(), rateLimitPerKey(), parseOptions(["webhook", "webhookEvents"]), limitBody(), async (c) => {
  const webhook = parseWebhook(new URL(c.req.url).searchParams, c.env);
  const { wait } = parsePrefer(c.req.header("prefer"));
  const { image, format } = await readCheckedImage(c);
  const record = await createJob(c.env, { apiKey: c.get("apiKey"), options: c.get("options"), image, format, ...(webhook ? { webhook } : {}) });
  if (wait === undefined) return acceptedJob(c.env, record);
  // Prefer: wait=N: the result itself when the job ends in time, else the job as usual.
  const deadline = Date.now() + wait * 1000;
  let job = await currentJob(c.env, record);
  while ((job.status === "queued" || job.status === "running") && Date.now() < deadline) {
    await scheduler.wait(Math.min(waitPollMs, Math.max(0, deadline - Date.now())));
    job = await currentJob(c.env, record);
  }
  if (job.status !== "succeeded") return acceptedJob(c.env, record, job, { "preference-applied": `wait=${wait}` });
  const response = await jobResultResponse(c.req.raw, c.env, record);
  response.headers.set("preference-applied", `wait=${wait}`);
  response.headers.set("content-location", `/v1/jobs/${record.id}/result`);
  return response;
});

/** How often a Prefer: wait request looks at its job. */
const waitPollMs = 1000;

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
  return jobResultResponse(c.req.raw, c.env, record);
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
      logEvent("error", "job_terminate_failed", { job: record.id, error: String(error) });
    }
    await cancelEndpointRequest(inferenceEndpoint(c.env), record.instanceId);
  }
  const canceled = await currentJob(c.env, record);
  await queueWebhook(c.env, record, canceled, "canceled");
  return jobJson(canceled);
});

jobRoutes.get("/v1/webhooks/secret", ...jobAuth, async (c) => {
  const secret = await webhookSecret(c.env, await ownerOf(c.get("apiKey")));
  return new Response(JSON.stringify({ secret }), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
});
