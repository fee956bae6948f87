// The success response for a restored image, shared by POST /v1/restore and the URL transforms: validators,
// cache headers, provenance, timings, and 304 for a matching If-None-Match.
import { etagOf, type CachedResult } from "../cache/r2ResultCache.js";
import type { ServerTiming } from "../serverTiming.js";

export interface ResultResponseOptions {
  cacheStatus: string;
  cacheControl: string;
  /** The format came from Accept, so shared caches must key on it. */
  varyAccept: boolean;
  /** Shown when the endpoint did not report one: `restore-<task>/<pinned version>`. */
  fallbackModelVersion: string;
}

export function resultResponse(request: Request, result: CachedResult, timing: ServerTiming, o: ResultResponseOptions): Response {
  const etag = etagOf(result.sha256);
  const headers = new Headers({
    etag,
    "cache-status": o.cacheStatus,
    "cache-control": o.cacheControl,
    "x-model-version": result.modelVersion || o.fallbackModelVersion,
    "x-refine-applied": String(result.refineApplied),
  });
  if (o.varyAccept) headers.set("vary", "Accept");
  timing.add("total", timing.elapsed());
  headers.set("server-timing", timing.header());

  if (matchesIfNoneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  headers.set("content-type", result.contentType);
  // Served bytes are always an image we produced; no browser may guess otherwise.
  headers.set("x-content-type-options", "nosniff");
  return new Response(result.bytes, { status: 200, headers });
}

function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}
