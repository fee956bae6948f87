// Query parameters of POST /v1/restore, validated before the body is read.
import { parseAccept } from "hono/utils/accept";
import { ApiError } from "../apiError.js";
import type { components } from "../apiTypes.js";
import type { Limits } from "../env.js";
import type { ImageInfo, ImageFormat } from "../image/inspectImage.js";
import { maxDpr, maxResizeSide, planResize, resizeFits, type Resize } from "../../../common/src/outputSize.js";

export type Task = components["schemas"]["Task"];
export type OutputFormat = components["schemas"]["OutputFormat"];
export type Metadata = components["schemas"]["Metadata"];

export const tasks: readonly Task[] = ["lowlight", "derain", "deblur", "denoise"];
export const outputFormats: readonly OutputFormat[] = ["png", "jpeg", "webp", "avif"];
export const metadataModes: readonly Metadata[] = ["keep", "copyright", "none"];
export const defaultQuality = 90;
/** Cloudflare Images' default: the copyright tag survives, camera data and GPS do not. */
export const defaultMetadata: Metadata = "copyright";

export interface RestoreOptions {
  task: Task;
  /** Undefined: decided from Accept and the input format once the image is known. */
  format: OutputFormat | undefined;
  quality: number;
  refine: boolean;
  metadata: Metadata;
  /** Applied after restoration; undefined: the restored image at its own size. */
  resize: Resize | undefined;
}

const known = new Set(["task", "format", "quality", "refine", "metadata", "width", "height", "fit", "dpr"]);

function invalidParameter(parameter: string, message: string): ApiError {
  return new ApiError("invalid_parameter", message, { parameter });
}

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
  const metadata = query.get("metadata") ?? defaultMetadata;
  if (!(metadataModes as readonly string[]).includes(metadata)) throw invalidParameter("metadata", `metadata must be one of ${metadataModes.join(", ")}.`);
  return { task: task as Task, format: format as OutputFormat | undefined, quality, refine: refineRaw !== "false", metadata: metadata as Metadata, resize: parseResize(query) };
}

/** width, height, fit and dpr (Cloudflare Images' names and meanings); fit and dpr alone resize nothing. */
function parseResize(query: URLSearchParams): Resize | undefined {
  const side = (name: "width" | "height"): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    if (!/^[1-9]\d*$/.test(raw) || value > maxResizeSide) throw invalidParameter(name, `${name} must be an integer from 1 to ${maxResizeSide}.`);
    return value;
  };
  const width = side("width");
  const height = side("height");
  const fit = query.get("fit") ?? "scale-down";
  if (!(resizeFits as readonly string[]).includes(fit)) throw invalidParameter("fit", `fit must be one of ${resizeFits.join(", ")}.`);
  const dprRaw = query.get("dpr");
  const dpr = dprRaw === null ? 1 : Number(dprRaw);
  if (dprRaw !== null && !(/^\d+(\.\d{1,2})?$/.test(dprRaw) && dpr >= 1 && dpr <= maxDpr)) {
    throw invalidParameter("dpr", `dpr must be a number from 1 to ${maxDpr} (at most two decimals).`);
  }
  if (width === undefined && height === undefined) {
    if (query.has("fit") || query.has("dpr")) throw invalidParameter(query.has("fit") ? "fit" : "dpr", "fit and dpr apply to a width or height: give one.");
    return undefined;
  }
  return { ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}), fit: fit as Resize["fit"], dpr };
}

/**
 * Refuses a resize whose output would have more pixels than an input may (an enlargement of a small image),
 * once the input's size is known. Both orientations are tried: the endpoint applies EXIF rotation first.
 */
export function checkOutputSize(resize: Resize | undefined, image: ImageInfo, limits: Limits): void {
  if (!resize) return;
  for (const [w, h] of [[image.width, image.height], [image.height, image.width]] as const) {
    const out = planResize(w, h, resize);
    if (out.width * out.height > limits.maxPixels) {
      throw new ApiError("invalid_parameter", `The resized image would be ${out.width}x${out.height}, over the limit of ${limits.maxPixels} pixels.`, {
        parameter: resize.width !== undefined ? "width" : "height",
        maxPixels: limits.maxPixels,
      });
    }
  }
}

const formatByMediaType: Record<string, OutputFormat> = { "image/avif": "avif", "image/webp": "webp", "image/png": "png", "image/jpeg": "jpeg" };
/** Among types Accept names with equal q: the smaller files first (AVIF, then WebP, then JPEG and PNG as named). */
const preference: Record<OutputFormat, number> = { avif: 0, webp: 1, jpeg: 2, png: 2 };

/** Explicit `format` wins; else the supported type that Accept names with the highest q (AVIF > WebP > JPEG/PNG on a tie); else the input's format. */
export function resolveOutputFormat(requested: OutputFormat | undefined, accept: string | undefined, input: ImageFormat): OutputFormat {
  return requested ?? formatFromAccept(accept) ?? input;
}

/** The supported type that Accept names explicitly with the highest q (wildcards and q=0 do not count). */
export function formatFromAccept(accept: string | undefined): OutputFormat | undefined {
  if (!accept) return undefined;
  const named = parseAccept(accept)
    .filter((a) => a.q > 0 && formatByMediaType[a.type] !== undefined)
    .sort((a, b) => b.q - a.q || preference[formatByMediaType[a.type]!] - preference[formatByMediaType[b.type]!]);
  return named[0] ? formatByMediaType[named[0].type] : undefined;
}
