// Reads what a restore response says in its headers into plain fields.

export interface RestoreResult {
  /** The restored image; empty when `notModified`. */
  blob: Blob;
  /** The image bytes (`blob` read into memory). */
  bytes(): Promise<Uint8Array>;
  /** `image/png`, `image/jpeg`, `image/webp` or `image/avif`; empty when `notModified`. */
  contentType: string;
  /** Strong validator of the result: pass it back as `ifNoneMatch` to revalidate a stored copy. */
  etag: string | null;
  /** Raw RFC 9211 `Cache-Status`, e.g. `edge-restore; hit`. */
  cacheStatus: string | null;
  /** Answered from the result cache without running a model. */
  cacheHit: boolean;
  /** `restore-<task>/<version>` that produced the result. */
  modelVersion: string | null;
  /** Whether PTG-RM refined the base result (`X-Refine-Applied: true`). */
  refineApplied: boolean;
  /** Raw `Server-Timing` (per-stage milliseconds). */
  serverTiming: string | null;
  /** 304: the result still matches `ifNoneMatch`, no body was sent. */
  notModified: boolean;
}

export function restoreResult(response: Response, blob: Blob): RestoreResult {
  const headers = response.headers;
  const cacheStatus = headers.get("cache-status");
  const notModified = response.status === 304;
  return {
    blob,
    bytes: async () => new Uint8Array(await blob.arrayBuffer()),
    contentType: notModified ? "" : (headers.get("content-type") ?? blob.type),
    etag: headers.get("etag"),
    cacheStatus,
    cacheHit: isCacheHit(cacheStatus),
    modelVersion: headers.get("x-model-version"),
    refineApplied: headers.get("x-refine-applied")?.trim().toLowerCase() === "true",
    serverTiming: headers.get("server-timing"),
    notModified,
  };
}

/** RFC 9211: a list of `cache; param; param…` entries; `hit` is a bare parameter of one of them. */
export function isCacheHit(cacheStatus: string | null): boolean {
  if (!cacheStatus) return false;
  return cacheStatus
    .split(",")
    .some((entry) => entry.split(";").slice(1).some((param) => param.trim().toLowerCase() === "hit"));
}
