// How the API answers with a job: the Job as JSON (202 with Location when just accepted, Retry-After while it is
// live), and a succeeded job's result with the same bytes and headers POST /v1/restore gives.
import { ApiError } from "../apiError.js";
import { getCachedResult } from "../cache/r2ResultCache.js";
import type { Env } from "../env.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { cacheName } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";
import type { Job, JobRecord } from "./jobRecords.js";
import { currentJob } from "./jobStatus.js";

/** Seconds a client should wait before polling a live job again. */
export const pollAfterSeconds = 2;

export const jobJson = (job: Job, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(job), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

/** 202 Accepted with the job (as it is now, unless given) and its Location. */
export async function acceptedJob(env: Env, record: JobRecord, job?: Job, headers: Record<string, string> = {}): Promise<Response> {
  const now = job ?? (await currentJob(env, record));
  const live = now.status === "queued" || now.status === "running";
  return jobJson(now, 202, { location: `/v1/jobs/${record.id}`, ...(live ? { "retry-after": String(pollAfterSeconds) } : {}), ...headers });
}

/** The succeeded job's stored result. */
export async function jobResultResponse(request: Request, env: Env, record: JobRecord): Promise<Response> {
  const timing = new ServerTiming();
  const result = await timing.measure("r2", () => getCachedResult(env.RESULTS, record.resultKey));
  if (!result) throw new ApiError("not_found", "The job's result is no longer stored.");
  return resultResponse(request, result, timing, {
    cacheStatus: `${cacheName}; hit`,
    cacheControl: "private, max-age=31536000, immutable",
    varyAccept: false,
    fallbackModelVersion: `${pipelineModelName(record.task)}/${env.MODEL_VERSION}`,
  });
}
