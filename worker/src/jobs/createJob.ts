// POST /v1/jobs, after the request's checks: the job's record, and its work. A cached result makes a job that has
// succeeded already. Otherwise the input is stored in R2 first, then the workflow instance for the result key is
// found or created (another job for the same input and options shares it; one that failed or was stopped is
// restarted), and the job takes a reference on it.
import { resultCacheKey } from "../cache/r2ResultCache.js";
import type { Env } from "../env.js";
import type { OutputFormat, RestoreOptions } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";
import { addJobRef, inputKey, instanceIdFor, jobRetentionDays, newJobId, ownerOf, putJobRecord, type JobRecord } from "./jobRecords.js";
import type { RestoreJobParams } from "./restoreJobWorkflow.js";

export interface NewJob {
  apiKey: string;
  options: RestoreOptions;
  image: Uint8Array;
  format: OutputFormat;
}

export async function createJob(env: Env, job: NewJob, now = Date.now()): Promise<JobRecord> {
  const { task, refine, quality } = job.options;
  const resultKey = resultCacheKey({ inputSha256: await sha256Hex(job.image), task, modelVersion: env.MODEL_VERSION, refine, format: job.format, quality });
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
  };
  if (!(await env.RESULTS.head(resultKey))) {
    const instanceId = await instanceIdFor(resultKey);
    record.instanceId = instanceId;
    // The input first: the instance may start before this request ends.
    if (!(await env.RESULTS.head(inputKey(instanceId)))) await env.RESULTS.put(inputKey(instanceId), job.image);
    await addJobRef(env.RESULTS, instanceId, record.id);
    await startInstance(env, instanceId, { resultKey, task, refine, format: job.format, quality, modelVersion: env.MODEL_VERSION });
  }
  await putJobRecord(env.RESULTS, record);
  return record;
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
