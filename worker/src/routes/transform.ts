// GET /cdn-cgi/restore/<options>/<source-url> (and the same at /v1/transform/): restorations by URL, for <img src> behind a CDN. Checks run in
// this order, and no request leaves the worker before all of them pass: transforms enabled → grammar →
// signature → source policy. Then the edge cache; on a miss one download and one restore per identical
// transform (concurrent requests share it), through the same restore core as POST /v1/restore.
import { Hono, type Context } from "hono";
import { ApiError } from "../apiError.js";
import type { CachedResult } from "../cache/r2ResultCache.js";
import { limitsFrom, type Env } from "../env.js";
import { inspectImage } from "../image/inspectImage.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { SingleFlight } from "../inference/singleFlight.js";
import { checkOutputSize, formatFromAccept, type OutputFormat } from "../request/restoreOptions.js";
import { cacheName, restoreWithCache } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";
import { authorizeTransform } from "../transform/authorizeTransform.js";
import { edgeCacheKey, getEdgeResult, putEdgeResult } from "../transform/edgeCache.js";
import { fetchSource } from "../transform/fetchSource.js";
import { checkSource, type SourcePolicy } from "../transform/sourcePolicy.js";
import { transformConfig, type TransformConfig } from "../transform/transformConfig.js";
import { parseTransformPath, transformPathPrefixes, type TransformRequest } from "../transform/transformPath.js";
import { logEvent } from "../requestContext.js";

interface Restored {
  result: CachedResult;
  cacheStatus: string;
  /** Stages of the shared work, copied into every waiting request's Server-Timing. */
  timing: ServerTiming;
}

const inFlight = new SingleFlight<Restored>();

export const transformRoute = new Hono<{ Bindings: Env }>();

const handleTransform = async (c: Context<{ Bindings: Env }>) => {
  const timing = new ServerTiming();
  const config = transformConfig(c.env);
  if (config.sources.length === 0) throw new ApiError("not_found", "URL transforms are not enabled on this deployment.");
  const t = parseTransformPath(new URL(c.req.url));
  await authorizeTransform(t, config, Math.floor(Date.now() / 1000));
  const policy: SourcePolicy = { sources: config.sources, allowLoopback: config.allowLoopback };
  checkSource(t.source, policy);
  try {
    return await restoreTransform(c, t, config, policy, timing);
  } catch (error) {
    if (t.options.onerror !== "redirect") throw error;
    // Only an authorized URL with an allowed source gets here, so this is no open redirect.
    const code = error instanceof ApiError ? error.code : "internal_error";
    logEvent("error", "transform_failed_redirected", { code, sourceOrigin: t.source.origin });
    return new Response(null, { status: 302, headers: { location: t.source.href, "cache-control": "no-store", "x-restore-error": code } });
  }
};

for (const prefix of transformPathPrefixes) transformRoute.get(`${prefix}*`, handleTransform);

async function restoreTransform(
  c: Context<{ Bindings: Env }>,
  t: TransformRequest,
  config: TransformConfig,
  policy: SourcePolicy,
  timing: ServerTiming,
): Promise<Response> {
  const { task, format: requested } = t.options;
  const format = requested === "auto" ? (formatFromAccept(c.req.header("accept")) ?? "source") : (requested ?? "source");
  const key = edgeCacheKey({ origin: new URL(c.req.url).origin, options: t.options, format, modelVersion: c.env.MODEL_VERSION, source: t.source });

  let result = await timing.measure("edge", () => getEdgeResult(key));
  let cacheStatus = `${cacheName}; hit; detail=edge`;
  if (!result) {
    const flight = inFlight.run(key, () => downloadAndRestore(c, t, format, key, config, policy));
    // Finish (and store) even if this client goes away: others may be waiting on the same flight.
    c.executionCtx.waitUntil(flight.catch(() => undefined));
    const { value, shared } = await flight;
    timing.absorb(value.timing);
    result = value.result;
    cacheStatus = shared && !value.cacheStatus.includes("collapsed") ? `${value.cacheStatus}; collapsed` : value.cacheStatus;
  }

  // A signed URL stops working at exp, so shared caches must not keep serving it past then.
  const ttl = t.options.exp === undefined ? config.cacheTtlSeconds : Math.min(config.cacheTtlSeconds, t.options.exp - Math.floor(Date.now() / 1000));
  return resultResponse(c.req.raw, result, timing, {
    cacheStatus,
    cacheControl: `public, max-age=${ttl}`,
    varyAccept: requested === "auto",
    fallbackModelVersion: `${pipelineModelName(task)}/${c.env.MODEL_VERSION}`,
  });
}

/** The miss: download (each redirect hop re-checked), inspect, restore through the shared core, store at the edge. */
async function downloadAndRestore(
  c: Context<{ Bindings: Env }>,
  t: TransformRequest,
  format: OutputFormat | "source",
  key: string,
  config: TransformConfig,
  policy: SourcePolicy,
): Promise<Restored> {
  const timing = new ServerTiming();
  const limits = limitsFrom(c.env);
  const bytes = await timing.measure("source", () =>
    fetchSource(t.source, (hop) => checkSource(hop, policy), {
      maxBytes: config.maxSourceBytes,
      timeoutMs: config.fetchTimeoutMs,
      maxRedirects: config.maxRedirects,
      image: limits,
    }),
  );
  if (bytes.length === 0) throw new ApiError("invalid_image", "The source is empty.");
  const image = inspectImage(bytes, limits, undefined);
  checkOutputSize(t.options.resize, image, limits);
  const { task, refine, quality, metadata, resize } = t.options;
  const job = { image: bytes, task, refine, quality, metadata, resize, format: format === "source" ? image.format : format };
  const outcome = await restoreWithCache(c.env, c.executionCtx, job, timing, c.req.raw.signal);
  // Awaited, not deferred: the next identical request should find it.
  await putEdgeResult(key, outcome.result, config.cacheTtlSeconds);
  return { ...outcome, timing };
}
