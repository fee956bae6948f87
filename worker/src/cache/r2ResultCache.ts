// Restored images in R2, content-addressed. R2 stores a put whole or not at all, and verifies the SHA-256 we
// send with it; on read the bytes are hashed again, so a damaged object is dropped instead of served.
import { sha256Hex } from "../sha256.js";
import type { Resize } from "../../../common/src/outputSize.js";
import type { Metadata, OutputFormat, Task } from "../request/restoreOptions.js";
import { logEvent } from "../requestContext.js";

/** What decides a result's bytes besides the input, the task, the model version and refine. */
export interface OutputParts {
  format: OutputFormat;
  quality: number;
  metadata: Metadata;
  resize: Resize | undefined;
}

export interface ResultKeyParts extends OutputParts {
  inputSha256: string;
  task: Task;
  modelVersion: string;
  refine: boolean;
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
  return `results/${p.task}/${encodeURIComponent(p.modelVersion)}/${p.inputSha256}/${p.refine ? "refined" : "base"}.${outputVariant(p)}`;
}

/** e.g. `jpeg.q90.m-copyright` or `png.m-none.r-320x_-scale-down-2`: every output option that changes the bytes. */
export function outputVariant(o: Omit<OutputParts, "format"> & { format: OutputFormat | "source" }): string {
  const resize = o.resize ? `.r-${o.resize.width ?? "_"}x${o.resize.height ?? "_"}-${o.resize.fit}-${o.resize.dpr}` : "";
  return `${o.format}${o.format === "png" ? "" : `.q${o.quality}`}.m-${o.metadata}${resize}`;
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
