// Whole transform results in the edge Cache API (caches.default), keyed by what decides the bytes (task,
// negotiated format and the other output options, refine, model version, source URL), never by sig or exp, so a re-signed URL still
// hits. A hit skips the source download entirely. Like R2 results, entries carry their SHA-256, checked on read.
import { outputVariant, type CachedResult } from "../cache/r2ResultCache.js";
import type { OutputFormat } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";
import { transformPathPrefix, type TransformOptions } from "./transformPath.js";
import { logEvent } from "../requestContext.js";

export interface EdgeKeyParts {
  /** The request's origin: Cache API entries belong to the zone. */
  origin: string;
  options: TransformOptions;
  /** The format chosen before the source is known; "source" when it will be the source's. */
  format: OutputFormat | "source";
  modelVersion: string;
  source: URL;
}

export function edgeCacheKey(p: EdgeKeyParts): string {
  const o = p.options;
  const variant = `v=${encodeURIComponent(p.modelVersion)},task=${o.task},refine=${o.refine},${outputVariant({ ...o, format: p.format })}`;
  return `${p.origin}${transformPathPrefix}_cache/${variant}/${p.source.href}`;
}

export async function getEdgeResult(key: string): Promise<CachedResult | undefined> {
  let response: Response | undefined;
  try {
    response = await caches.default.match(key);
  } catch (error) {
    // The edge cache is an optimization: without it, the R2 cache still answers.
    logEvent("error", "edge_cache_get_failed", { error: String(error) });
    return undefined;
  }
  if (!response) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const sha256 = await sha256Hex(bytes);
  const contentType = response.headers.get("content-type");
  if (sha256 !== response.headers.get("x-result-sha256") || !contentType) {
    logEvent("error", "edge_cache_entry_corrupt");
    await caches.default.delete(key).catch(() => false);
    return undefined;
  }
  return {
    bytes,
    contentType,
    sha256,
    modelVersion: response.headers.get("x-model-version") ?? "",
    refineApplied: response.headers.get("x-refine-applied") === "true",
  };
}

export async function putEdgeResult(key: string, result: CachedResult, ttlSeconds: number): Promise<void> {
  const response = new Response(result.bytes, {
    headers: {
      "content-type": result.contentType,
      "cache-control": `public, max-age=${ttlSeconds}`,
      "x-result-sha256": result.sha256,
      "x-model-version": result.modelVersion,
      "x-refine-applied": String(result.refineApplied),
    },
  });
  try {
    await caches.default.put(key, response);
  } catch (error) {
    logEvent("error", "edge_cache_put_failed", { error: String(error) });
  }
}
