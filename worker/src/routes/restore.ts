// POST /v1/restore: validate → R2 cache → (miss) inference endpoint → store whole → answer.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../apiError.js";
import { etagOf, getCachedResult, putCachedResult, resultCacheKey, type CachedResult } from "../cache/r2ResultCache.js";
import { inferenceTimeoutMs, limitsFrom, type Env } from "../env.js";
import { inspectImage } from "../image/inspectImage.js";
import { pipelineModelName, requestRestoration, type RestoreCall } from "../inference/restoreClient.js";
import { SingleFlight } from "../inference/singleFlight.js";
import { apiKeyAuth, type AuthVariables } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { readImageBody } from "../request/readImageBody.js";
import { parseRestoreOptions, resolveOutputFormat, type RestoreOptions } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";
import { ServerTiming } from "../serverTiming.js";

interface Miss {
  result: CachedResult;
  stored: boolean;
  stageTimings: Record<string, number>;
}

const inFlight = new SingleFlight<Miss>();
const cacheName = "edge-restore";

type Variables = AuthVariables & { options: RestoreOptions };

export const restoreRoute = new Hono<{ Bindings: Env; Variables: Variables }>();

restoreRoute.post(
  "/v1/restore",
  apiKeyAuth(),
  rateLimitPerKey(),
  // Options are checked before the body is read: a bad query costs no upload.
  async (c, next) => {
    c.set("options", parseRestoreOptions(new URL(c.req.url).searchParams));
    await next();
  },
  // Hono's bodyLimit counts the bytes actually received, so a chunked or lying Content-Length cannot pass.
  (c, next) => {
    const { maxBytes } = limitsFrom(c.env);
    return bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes.`, { maxBytes });
      },
    })(c, next);
  },
  async (c) => {
    const timing = new ServerTiming();
    const options = c.get("options");
    const upload = await readImageBody(c.req.raw);
    const image = inspectImage(upload.bytes, limitsFrom(c.env), upload.declaredType);
    const accept = c.req.header("accept");
    const format = resolveOutputFormat(options.format, accept, image.format);
    const modelVersion = c.env.MODEL_VERSION;
    const key = resultCacheKey({
      inputSha256: await sha256Hex(upload.bytes),
      task: options.task,
      modelVersion,
      refine: options.refine,
      format,
      quality: options.quality,
    });

    let cached: CachedResult | undefined;
    let cacheReadFailed = false;
    try {
      cached = await timing.measure("r2", () => getCachedResult(c.env.RESULTS, key));
    } catch (error) {
      // A cache outage must not stop restorations: answer from the endpoint, skip storing, and say so.
      cacheReadFailed = true;
      console.error(JSON.stringify({ event: "cache_get_failed", key, error: String(error) }));
    }

    let result: CachedResult;
    let cacheStatus: string;
    if (cached) {
      result = cached;
      cacheStatus = `${cacheName}; hit`;
    } else {
      const call = { task: options.task, modelVersion, image: upload.bytes, refine: options.refine, format, quality: options.quality };
      const flight = inFlight.run(key, () => restoreAndStore(c.env, key, call, !cacheReadFailed));
      // Finish (and store) even if this client goes away: others may be waiting on the same flight.
      c.executionCtx.waitUntil(flight.catch(() => undefined));
      const { value, shared } = await timing.measure("infer", () => flight);
      result = value.result;
      for (const [stage, ms] of Object.entries(value.stageTimings)) timing.add(`endpoint-${stage}`, ms);
      cacheStatus = `${cacheName}; fwd=uri-miss${value.stored ? "; stored" : ""}${shared ? "; collapsed" : ""}`;
      if (cacheReadFailed) cacheStatus += '; detail="r2-unavailable"';
    }

    const etag = etagOf(result.sha256);
    const headers = new Headers({
      etag,
      "cache-status": cacheStatus,
      // Content-addressed: the same request always yields these bytes.
      "cache-control": "public, max-age=31536000, immutable",
      "x-model-version": result.modelVersion || `${pipelineModelName(options.task)}/${modelVersion}`,
      "x-refine-applied": String(result.refineApplied),
    });
    if (!options.format) headers.set("vary", "Accept");
    timing.add("total", timing.elapsed());
    headers.set("server-timing", timing.header());

    if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    headers.set("content-type", result.contentType);
    return new Response(result.bytes, { status: 200, headers });
  },
);

/** The miss path: inference, then the result stored whole (R2 checks its SHA-256) before anyone is answered. */
async function restoreAndStore(
  env: Env,
  key: string,
  call: Omit<RestoreCall, "timeoutMs">,
  store: boolean,
): Promise<Miss> {
  const restored = await requestRestoration(env.INFERENCE_URL, { ...call, timeoutMs: inferenceTimeoutMs(env) });
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

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}
