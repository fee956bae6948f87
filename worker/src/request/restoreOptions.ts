// Query parameters of POST /v1/restore, validated before the body is read.
import { parseAccept } from "hono/utils/accept";
import { ApiError } from "../apiError.js";
import type { components } from "../apiTypes.js";
import type { ImageFormat } from "../image/inspectImage.js";

export type Task = components["schemas"]["Task"];
export type OutputFormat = components["schemas"]["OutputFormat"];

export const tasks: readonly Task[] = ["lowlight", "derain", "deblur", "denoise"];
export const outputFormats: readonly OutputFormat[] = ["png", "jpeg", "webp"];
export const defaultQuality = 90;

export interface RestoreOptions {
  task: Task;
  /** Undefined: decided from Accept and the input format once the image is known. */
  format: OutputFormat | undefined;
  quality: number;
  refine: boolean;
}

const known = new Set(["task", "format", "quality", "refine"]);

/** `alsoKnown`: further parameters the route reads itself (POST /v1/jobs: webhook, webhookEvents). */
export function parseRestoreOptions(query: URLSearchParams, alsoKnown: readonly string[] = []): RestoreOptions {
  for (const name of query.keys()) {
    if (!known.has(name) && !alsoKnown.includes(name)) throw new ApiError("invalid_parameter", `Unknown query parameter "${name}".`, { parameter: name });
  }
  const task = query.get("task");
  if (!task || !(tasks as readonly string[]).includes(task)) {
    throw new ApiError("invalid_task", `task must be one of ${tasks.join(", ")}.`, { allowed: tasks });
  }
  const format = query.get("format") ?? undefined;
  if (format !== undefined && !(outputFormats as readonly string[]).includes(format)) {
    throw new ApiError("invalid_parameter", `format must be one of ${outputFormats.join(", ")}.`, { parameter: "format" });
  }
  const qualityRaw = query.get("quality");
  const quality = qualityRaw === null ? defaultQuality : Number(qualityRaw);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new ApiError("invalid_parameter", "quality must be an integer from 1 to 100.", { parameter: "quality" });
  }
  const refineRaw = query.get("refine");
  if (refineRaw !== null && refineRaw !== "true" && refineRaw !== "false") {
    throw new ApiError("invalid_parameter", "refine must be true or false.", { parameter: "refine" });
  }
  return { task: task as Task, format: format as OutputFormat | undefined, quality, refine: refineRaw !== "false" };
}

const formatByMediaType: Record<string, OutputFormat> = { "image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp" };

/** Explicit `format` wins; else the supported type that Accept names with the highest q; else the input's format. */
export function resolveOutputFormat(requested: OutputFormat | undefined, accept: string | undefined, input: ImageFormat): OutputFormat {
  return requested ?? formatFromAccept(accept) ?? input;
}

/** The supported type that Accept names explicitly with the highest q (wildcards and q=0 do not count). */
export function formatFromAccept(accept: string | undefined): OutputFormat | undefined {
  if (!accept) return undefined;
  const named = parseAccept(accept)
    .filter((a) => a.q > 0 && formatByMediaType[a.type] !== undefined)
    .sort((a, b) => b.q - a.q);
  return named[0] ? formatByMediaType[named[0].type] : undefined;
}
