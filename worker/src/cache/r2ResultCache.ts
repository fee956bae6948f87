// Restored images in R2, content-addressed. R2 stores a put whole or not at all, and verifies the SHA-256 we
// send with it; on read the bytes are hashed again, so a damaged object is dropped instead of served.
import { sha256Hex } from "../sha256.js";
import type { OutputFormat, Task } from "../request/restoreOptions.js";
import { logEvent } from "../requestContext.js";

export interface ResultKeyParts {
  inputSha256: string;
  task: Task;
  modelVersion: string;
  refine: boolean;
  format: OutputFormat;
  quality: number;
}

export interface CachedResult {
  bytes: Uint8Array;
  contentType: string;
  sha256: string;
  modelVersion: string;
  refineApplied: boolean;
}

/** Readable and listable: results/<task>/<model version>/<input sha256>/<variant>. */
export function resultCacheKey(p: ResultKeyParts): string {
  const variant = `${p.refine ? "refined" : "base"}.${p.format}${p.format === "png" ? "" : `.q${p.quality}`}`;
  return `results/${p.task}/${encodeURIComponent(p.modelVersion)}/${p.inputSha256}/${variant}`;
}

export function etagOf(sha256: string): string {
  return `"${sha256.slice(0, 32)}"`;
}

export async function getCachedResult(bucket: R2Bucket, key: string): Promise<CachedResult | undefined> {
  const object = await bucket.get(key);
  if (!object) return undefined;
  const bytes = new Uint8Array(await object.arrayBuffer());
  const meta = object.customMetadata ?? {};
  const actual = await sha256Hex(bytes);
  if (!meta["sha256"] || actual !== meta["sha256"] || !object.httpMetadata?.contentType) {
    logEvent("error", "cache_object_corrupt", { key });
    await bucket.delete(key);
    return undefined;
  }
  return {
    bytes,
    contentType: object.httpMetadata.contentType,
    sha256: actual,
    modelVersion: meta["modelVersion"] ?? "",
    refineApplied: meta["refineApplied"] === "true",
  };
}

/** Stores a result; false when R2 refused it (the caller still answers, only uncached). */
export async function putCachedResult(bucket: R2Bucket, key: string, result: CachedResult): Promise<boolean> {
  try {
    await bucket.put(key, result.bytes, {
      sha256: result.sha256,
      httpMetadata: { contentType: result.contentType },
      customMetadata: {
        sha256: result.sha256,
        modelVersion: result.modelVersion,
        refineApplied: String(result.refineApplied),
      },
    });
    return true;
  } catch (error) {
    logEvent("error", "cache_put_failed", { key, error: String(error) });
    return false;
  }
}
