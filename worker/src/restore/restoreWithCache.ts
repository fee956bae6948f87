// The restore core shared by POST /v1/restore and the URL transforms: R2 result cache by input content →
// (miss) one inference per identical concurrent job → result stored whole before anyone is answered.
import { ApiError } from "../apiError.js";
import { getCachedResult, putCachedResult, resultCacheKey, type CachedResult, type OutputParts } from "../cache/r2ResultCache.js";
import { circuitSettings, inferenceTimeoutMs, type Env } from "../env.js";
import { circuitBreakerFor } from "../inference/circuitBreaker.js";
import { endpointProgress } from "../inference/endpointRequests.js";
import { inferenceEndpoint } from "../inference/inferenceEndpoint.js";
import { endpointUnwell, requestRestoration, type RestoreCall } from "../inference/restoreClient.js";
import { SingleFlight } from "../inference/singleFlight.js";
import { continueAsJob } from "../jobs/createJob.js";
import type { Task } from "../request/restoreOptions.js";
import type { ServerTiming } from "../serverTiming.js";
import { sha256Hex } from "../sha256.js";
import { currentRequest, logEvent } from "../requestContext.js";

export interface RestoreJob extends OutputParts {
  /** A validated image (inspectImage passed). */
  image: Uint8Array;
  task: Task;
  refine: boolean;
}

export interface RestoreOutcome {
  result: CachedResult;
  /** RFC 9211 Cache-Status value. */
  cacheStatus: string;
}

interface Miss {
  result: CachedResult;
  stored: boolean;
  stageTimings: Record<string, number>;
}

export const cacheName = "edge-restore";
const inFlight = new SingleFlight<Miss>();
/** What a timed-out request that goes on as a job tells its client to wait before retrying. */
const continueRetryAfterSeconds = 30;

export async function restoreWithCache(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  job: RestoreJob,
  timing: ServerTiming,
  /** The client's request signal: aborted when it disconnects (the enable_request_signal compatibility flag). */
  clientSignal?: AbortSignal,
): Promise<RestoreOutcome> {
  const modelVersion = env.MODEL_VERSION;
  const { image, ...options } = job;
  const key = resultCacheKey({ inputSha256: await sha256Hex(image), modelVersion, ...options });

  let cached: CachedResult | undefined;
  let cacheReadFailed = false;
  try {
    cached = await timing.measure("r2", () => getCachedResult(env.RESULTS, key));
  } catch (error) {
    // A cache outage must not stop restorations: answer from the endpoint, skip storing, and say so.
    cacheReadFailed = true;
    logEvent("error", "cache_get_failed", { key, error: String(error) });
  }
  if (cached) return { result: cached, cacheStatus: `${cacheName}; hit` };

  const call = { ...job, modelVersion };
  const flight = inFlight.run(key, () => restoreAndStore(env, key, call, !cacheReadFailed));
  // Finish (and store) even if this client goes away: others may be waiting on the same flight.
  ctx.waitUntil(flight.catch(() => undefined));
  if (clientSignal && !cacheReadFailed) continueIfClientLeaves(env, ctx, key, call, flight, clientSignal);
  const { value, shared } = await timing.measure("infer", () => flight);
  for (const [stage, ms] of Object.entries(value.stageTimings)) timing.add(`endpoint-${stage}`, ms);
  let cacheStatus = `${cacheName}; fwd=uri-miss${value.stored ? "; stored" : ""}${shared ? "; collapsed" : ""}`;
  if (cacheReadFailed) cacheStatus += '; detail="r2-unavailable"';
  return { result: value.result, cacheStatus };
}

/**
 * A client that leaves before its result is ready does not throw the work away: the work goes on as a job (one
 * per result key), so its retry is a cache hit. The invocation that keeps the flight going ends some seconds
 * after the client (waitUntil's limit); the job first waits for the flight's endpoint request to end (it may
 * finish and store the result) instead of starting a second inference beside it.
 */
function continueIfClientLeaves(env: Env, ctx: Pick<ExecutionContext, "waitUntil">, key: string, call: Omit<RestoreCall, "timeoutMs" | "requestId">, flight: Promise<unknown>, signal: AbortSignal): void {
  const handOver = () => {
    const { image, ...params } = call;
    const adoptRequestId = flightRequestIds.get(key);
    ctx.waitUntil(
      continueAsJob(env, key, image, { ...params, ...(adoptRequestId ? { adoptRequestId } : {}) }).then(
        (instanceId) => logEvent("info", "sync_continued_as_job", { key, instanceId, reason: "client_disconnected", adoptRequestId }),
        (error: unknown) => logEvent("error", "sync_continue_failed", { key, error: String(error) }),
      ),
    );
  };
  if (signal.aborted) return handOver();
  signal.addEventListener("abort", handOver, { once: true });
  flight.then(
    () => signal.removeEventListener("abort", handOver),
    () => signal.removeEventListener("abort", handOver),
  );
}

/** The endpoint request id of each flight in this isolate, for a job that takes the flight over. */
const flightRequestIds = new Map<string, string>();

/** Timeouts of requests the endpoint was still working on: slow, not unwell, so the circuit breaker ignores them. */
const healthyTimeouts = new WeakSet<object>();

/** The miss path under this flight's endpoint request id, registered for a job that may take the flight over. */
async function restoreAndStore(env: Env, key: string, call: Omit<RestoreCall, "timeoutMs">, store: boolean): Promise<Miss> {
  // The endpoint's id for this inference: the edge request's id (so one grep finds both sides) plus a suffix, as
  // ids must be unique there and a client may reuse its X-Request-Id.
  const requestId = `${currentRequest()?.requestId ?? "sync"}.${crypto.randomUUID().slice(0, 8)}`;
  flightRequestIds.set(key, requestId);
  try {
    return await inferAndStore(env, key, { ...call, requestId }, store);
  } finally {
    flightRequestIds.delete(key);
  }
}

/**
 * Inference, then the result stored whole (R2 checks its SHA-256) before anyone is answered. A request that
 * times out while the endpoint is still computing it is not wasted: it goes on as a job (the client is told to
 * retry, and the retry finds the result cached), and it does not count against the endpoint.
 */
async function inferAndStore(env: Env, key: string, call: Omit<RestoreCall, "timeoutMs"> & { requestId: string }, store: boolean): Promise<Miss> {
  const timeoutMs = inferenceTimeoutMs(env);
  const breaker = circuitBreakerFor(env.INFERENCE_URL, circuitSettings(env));
  const { requestId } = call;
  const edge = currentRequest();
  const attempt = () =>
    requestRestoration(inferenceEndpoint(env), { ...call, timeoutMs, ...(edge?.traceparent ? { traceparent: edge.traceparent } : {}) }).catch(async (error: unknown) => {
      if (!(error instanceof ApiError) || error.code !== "upstream_timeout" || !store) throw error;
      const working = (await endpointProgress(inferenceEndpoint(env), requestId)) !== undefined;
      if (!working) throw error;
      const { image, requestId: _sameAsTheFlight, ...params } = call;
      const instanceId = await continueAsJob(env, key, image, params);
      logEvent("info", "sync_continued_as_job", { key, instanceId, timeoutMs });
      const continued = new ApiError(
        "upstream_timeout",
        `The restoration takes longer than ${timeoutMs} ms. It goes on in the background and its result will be cached: send the same request again later, or use POST /v1/jobs to follow its progress.`,
        { timeoutMs, continuing: true },
        { "retry-after": String(continueRetryAfterSeconds) },
      );
      healthyTimeouts.add(continued);
      throw continued;
    });
  const restored = await breaker.run(attempt, (error) => endpointUnwell(error) && !healthyTimeouts.has(error as object));
  const result: CachedResult = {
    bytes: restored.bytes,
    contentType: restored.contentType,
    sha256: await sha256Hex(restored.bytes),
    modelVersion: restored.modelVersion,
    refineApplied: restored.refineApplied,
  };
  const stored = store && (await putCachedResult(env.RESULTS, key, result));
  return { result, stored, stageTimings: restored.stageTimings };
}
