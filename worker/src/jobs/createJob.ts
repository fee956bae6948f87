// POST /v1/jobs, after the request's checks: the job's record, and its work. A cached result makes a job that has
// succeeded already. Otherwise the input is stored in R2 first, then the workflow instance for the result key is
// found or created (another job for the same input and options shares it; one that failed or was stopped is
// restarted), and the job takes a reference on it. A key with JOBS_MAX_LIVE_PER_KEY jobs queued or running
// already is refused (429) before anything is stored.
import { resultCacheKey } from "../cache/r2ResultCache.js";
import { ApiError } from "../apiError.js";
import { integerSetting, type Env } from "../env.js";
import type { OutputFormat, RestoreOptions } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";
import { addJobRef, countLiveJobs, inputKey, instanceIdFor, jobRetentionDays, markLive, newJobId, ownerOf, putJobRecord, type JobRecord, type JobWebhook } from "./jobRecords.js";
import { publicJob } from "./jobStatus.js";
import { queueWebhook } from "./webhooks.js";
import type { RestoreJobParams } from "./restoreJobWorkflow.js";

export interface NewJob {
  apiKey: string;
  options: RestoreOptions;
  image: Uint8Array;
  format: OutputFormat;
  webhook?: JobWebhook;
}

/** Seconds a key at its live-job limit is told to wait. */
const liveLimitRetryAfter = 10;

export async function createJob(env: Env, job: NewJob, now = Date.now()): Promise<JobRecord> {
  const { task, refine, quality, metadata, resize } = job.options;
  const output = { format: job.format, quality, metadata, resize };
  const resultKey = resultCacheKey({ inputSha256: await sha256Hex(job.image), task, modelVersion: env.MODEL_VERSION, refine, ...output });
  const record: JobRecord = {
    id: newJobId(),
    owner: await ownerOf(job.apiKey),
    task,
    refine,
    format: job.format,
    quality,
    resultKey,
    instanceId: null,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + jobRetentionDays * 86_400_000).toISOString(),
    progress: { stage: "queued", tilesDone: 0, tilesTotal: 0 },
    ...(job.webhook ? { webhook: job.webhook } : {}),
  };
  const cached = (await env.RESULTS.head(resultKey)) !== null;
  if (!cached) {
    const maxLive = integerSetting("JOBS_MAX_LIVE_PER_KEY", env.JOBS_MAX_LIVE_PER_KEY, 8);
    if ((await countLiveJobs(env.RESULTS, record.owner, maxLive)) >= maxLive) {
      throw new ApiError("rate_limited", `This API key has ${maxLive} jobs queued or running already.`, { reason: "live_jobs", limit: maxLive }, { "retry-after": String(liveLimitRetryAfter) });
    }
    const instanceId = await instanceIdFor(resultKey);
    record.instanceId = instanceId;
    // The input first: the instance may start before this request ends.
    if (!(await env.RESULTS.head(inputKey(instanceId)))) await env.RESULTS.put(inputKey(instanceId), job.image);
    await addJobRef(env.RESULTS, instanceId, record.id);
    await markLive(env.RESULTS, record.owner, record.id);
    // The record before the instance: the instance reads it when it ends.
    await putJobRecord(env.RESULTS, record);
    await startInstance(env, instanceId, { resultKey, task, refine, ...output, modelVersion: env.MODEL_VERSION });
    return record;
  }
  await putJobRecord(env.RESULTS, record);
  await queueWebhook(env, record, publicJob(record, "succeeded", { finishedAt: record.createdAt }), "succeeded");
  return record;
}

/**
 * A synchronous restoration that ran out of time goes on as a job with no public record: its input is stored and
 * the result key's instance started (or joined), so the result lands in the cache and the client's retry is a hit.
 */
export async function continueAsJob(env: Env, resultKey: string, image: Uint8Array, params: Omit<RestoreJobParams, "resultKey">): Promise<string> {
  const instanceId = await instanceIdFor(resultKey);
  if (!(await env.RESULTS.head(inputKey(instanceId)))) await env.RESULTS.put(inputKey(instanceId), image);
  await startInstance(env, instanceId, { ...params, resultKey });
  return instanceId;
}

/** Creates the instance for this result key, or finds it and keeps it going. */
async function startInstance(env: Env, id: string, params: RestoreJobParams): Promise<void> {
  try {
    await env.RESTORE_JOBS.create({ id, params });
    return;
  } catch {
    // It exists already (production refuses a duplicate id; the local engine hands back the existing one).
  }
  const instance = await env.RESTORE_JOBS.get(id);
  const { status } = await instance.status();
  // A finished instance whose result is not cached (it failed, was stopped, or its result was removed) runs again.
  if (status === "errored" || status === "terminated" || status === "complete") await instance.restart();
}
