// Parses `/cdn-cgi/restore/<options>/<source-url>` (the grammar is documented in openapi.yaml), also served at
// `/v1/transform/<options>/<source-url>`: Cloudflare answers `/cdn-cgi/` paths of proxied hostnames itself, so a
// deployed Worker may never see them. Nothing is decoded or guessed: options are literal `key=value` pairs, the
// source is everything after them.
import { ApiError } from "../apiError.js";
import type { Resize } from "../../../common/src/outputSize.js";
import { parseRestoreOptions, type Metadata, type OutputFormat, type Task } from "../request/restoreOptions.js";

/** The canonical prefix: signatures always cover this one, whichever path served the request. */
export const transformPathPrefix = "/cdn-cgi/restore/";
export const transformPathPrefixes = [transformPathPrefix, "/v1/transform/"] as const;

export interface TransformOptions {
  task: Task;
  /** Undefined: the source's format. `auto`: from Accept, else the source's format. */
  format: OutputFormat | "auto" | undefined;
  quality: number;
  refine: boolean;
  metadata: Metadata;
  resize: Resize | undefined;
  onerror: "redirect" | undefined;
  /** Unix seconds after which a signed URL is refused. */
  exp: number | undefined;
}

export interface TransformRequest {
  options: TransformOptions;
  /** Every option but `sig`, exactly as written: what the signature covers. */
  signedOptions: [string, string][];
  sig: string | undefined;
  /** Parsed by the WHATWG URL parser, fragment removed; its `href` is the canonical source. */
  source: URL;
}

const pair = /^([a-z]+)=([A-Za-z0-9_.-]+)$/;
// The output options mean what they mean for POST /v1/restore and are validated by the same code.
const restoreKeys = ["task", "quality", "refine", "metadata", "width", "height", "fit", "dpr"];
const known = new Set([...restoreKeys, "format", "onerror", "exp", "sig"]);

function invalid(message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError("invalid_transform", message, details);
}

export function parseTransformPath(url: URL): TransformRequest {
  const prefix = transformPathPrefixes.find((p) => url.pathname.startsWith(p));
  const rest = url.pathname.slice((prefix ?? "").length);
  const slash = rest.indexOf("/");
  if (!prefix || slash <= 0 || slash === rest.length - 1) {
    throw invalid("Expected /cdn-cgi/restore/<options>/<source-url>.");
  }
  const pairs = parseOptionPairs(rest.slice(0, slash));
  const values = new Map(pairs);
  return {
    options: parseOptionValues(values),
    signedOptions: pairs.filter(([key]) => key !== "sig"),
    sig: values.get("sig"),
    source: parseSource(rest.slice(slash + 1) + url.search),
  };
}

function parseOptionPairs(segment: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const item of segment.split(",")) {
    const match = pair.exec(item);
    // Never echo the item: it may be the signature.
    if (!match) throw invalid("Options are comma-separated key=value pairs (keys [a-z]+, values [A-Za-z0-9_.-]+).");
    const [, key, value] = match as unknown as [string, string, string];
    if (!known.has(key)) throw invalid(`Unknown option "${key}".`, { option: key });
    if (pairs.some(([k]) => k === key)) throw invalid(`Option "${key}" is given twice.`, { option: key });
    pairs.push([key, value]);
  }
  return pairs;
}

function parseOptionValues(values: Map<string, string>): TransformOptions {
  const format = values.get("format");
  const restoreParams = new URLSearchParams([...values].filter(([key, value]) => restoreKeys.includes(key) || (key === "format" && value !== "auto")));
  let base;
  try {
    base = parseRestoreOptions(restoreParams);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const option = error.code === "invalid_task" ? "task" : error.details?.["parameter"];
    const message = option === "format" ? "format must be one of png, jpeg, webp, avif, auto." : error.message;
    throw invalid(message, { ...error.details, option });
  }
  const onerror = values.get("onerror");
  if (onerror !== undefined && onerror !== "redirect") throw invalid("onerror must be redirect.", { option: "onerror" });
  const expRaw = values.get("exp");
  const exp = expRaw === undefined ? undefined : Number(expRaw);
  if (exp !== undefined && !(/^[1-9]\d{0,11}$/.test(expRaw!) && Number.isSafeInteger(exp))) {
    throw invalid("exp must be a Unix time in seconds.", { option: "exp" });
  }
  return { ...base, format: format === "auto" ? "auto" : base.format, onerror, exp };
}

function parseSource(text: string): URL {
  let source: URL;
  try {
    source = new URL(text);
  } catch {
    throw invalid("The source must be an absolute http(s) URL.", { option: "source" });
  }
  source.hash = "";
  return source;
}
