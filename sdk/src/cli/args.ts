// Command line → a plain command object. No I/O here, so every rule is unit-testable.
import { parseArgs } from "node:util";
import type { OutputOptions } from "../client.js";
import type { components } from "../generated/openapi.js";

type Task = components["schemas"]["Task"];
type OutputFormat = components["schemas"]["OutputFormat"];
type Metadata = components["schemas"]["Metadata"];
type Fit = components["schemas"]["Fit"];

// Runtime copies of the spec's enums; `satisfies` plus the checks below break the build if they drift.
export const TASKS = ["lowlight", "derain", "deblur", "denoise"] as const satisfies readonly Task[];
export const FORMATS = ["png", "jpeg", "webp", "avif"] as const satisfies readonly OutputFormat[];
export const METADATA = ["keep", "copyright", "none"] as const satisfies readonly Metadata[];
export const FITS = ["scale-down", "contain", "cover", "crop", "pad"] as const satisfies readonly Fit[];
type Exhaustive<T extends never> = T;
export type TasksCoverSpec = Exhaustive<Exclude<Task, (typeof TASKS)[number]>>;
export type FormatsCoverSpec = Exhaustive<Exclude<OutputFormat, (typeof FORMATS)[number]>>;
export type MetadataCoverSpec = Exhaustive<Exclude<Metadata, (typeof METADATA)[number]>>;
export type FitsCoverSpec = Exhaustive<Exclude<Fit, (typeof FITS)[number]>>;

export const DEFAULT_URL = "http://127.0.0.1:8787";

export const USAGE = `Usage:
  edge-restore restore <input> --task <task> [-o <output>] [options]
  edge-restore restore <input>... --task <task> [-o <folder>] [-j <n>] [options]
  edge-restore job <job-id> [-o <output>] [--cancel]
  edge-restore models [--url URL] [--json]
  edge-restore --help | --version

Restore options:
  -t, --task <task>      ${TASKS.join(" | ")} (required)
  -o, --output <path>    where to write the result; with several inputs or a folder, the folder
                         for the results (default: <input-name>.restored.<ext> next to each input)
  -j, --concurrency <n>  with several inputs: how many restore at once (default 2)
  -f, --format <format>  ${FORMATS.join(" | ")} (default: the input's format)
  -q, --quality <1-100>  jpeg/webp/avif encoder quality (default 90)
      --metadata <m>     ${METADATA.join(" | ")}: what the result keeps of the input's
                         EXIF/ICC (default copyright: only the EXIF copyright)
  -w, --width <px>       resize the restored image (never the input) to this width
      --height <px>      ... and/or this height
      --fit <fit>        ${FITS.join(" | ")} (default scale-down: never enlarged)
      --dpr <1-4>        multiplies width and height
      --no-refine        base network only, without PTG-RM refinement
      --no-wait          start the job, print its id and exit (then: edge-restore job <id>)
      --sync             one synchronous request instead of a job (no progress; bound by the
                         server's request time limit)
      --key <key>        API key (default: $EDGE_RESTORE_API_KEY)

The restoration runs as a job, with its progress (tiles done, ETA) on stderr. Several inputs (files,
or folders: their .jpg, .jpeg, .png, .webp and .avif files) print a line per file and a summary.

Job options:
  -o, --output <path>    where to write the result (default: <job-id>.<ext>)
      --cancel           cancel the job instead of waiting for it
      --key <key>        API key (default: $EDGE_RESTORE_API_KEY)

Common options:
      --url <url>        API base URL (default: $EDGE_RESTORE_URL or ${DEFAULT_URL})
      --timeout <s>      give up after this many seconds (a job started by restore is
                         canceled); default: no limit
  -h, --help             show this help
  -V, --version          print the CLI's version

Exit codes: 0 success, 1 API or I/O error, 2 usage error.`;

export type CliCommand =
  | { kind: "help" }
  | { kind: "version" }
  | {
      kind: "restore";
      /** Files or folders, as given. */
      inputs: string[];
      /** Inputs restored at once when there are several. */
      concurrency: number;
      /** null: choose from the response's content type. */
      output: string | null;
      task: Task;
      /** format, quality, metadata and resizing: only those given. */
      delivery: OutputOptions;
      refine: boolean;
      /** "job" (default): progress on stderr; "no-wait": print the job id; "sync": one request. */
      mode: "job" | "no-wait" | "sync";
      url: string;
      apiKey: string;
      /** The whole command's limit; Infinity for none. */
      timeoutMs: number;
    }
  | { kind: "job"; id: string; output: string | null; cancel: boolean; url: string; apiKey: string; timeoutMs: number }
  | { kind: "models"; url: string; json: boolean; timeoutMs: number };

/** The command line is wrong: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const OPTIONS = {
  task: { type: "string", short: "t" },
  output: { type: "string", short: "o" },
  concurrency: { type: "string", short: "j" },
  format: { type: "string", short: "f" },
  quality: { type: "string", short: "q" },
  metadata: { type: "string" },
  width: { type: "string", short: "w" },
  height: { type: "string" },
  fit: { type: "string" },
  dpr: { type: "string" },
  // Declared explicitly: parseArgs' `allowNegative` needs Node 20.16+.
  "no-refine": { type: "boolean" },
  "no-wait": { type: "boolean" },
  sync: { type: "boolean" },
  cancel: { type: "boolean" },
  key: { type: "string" },
  url: { type: "string" },
  json: { type: "boolean" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

type OptionName = keyof typeof OPTIONS;
const ALLOWED: Record<"restore" | "job" | "models", ReadonlySet<OptionName>> = {
  restore: new Set([
    "task",
    "output",
    "concurrency",
    "format",
    "quality",
    "metadata",
    "width",
    "height",
    "fit",
    "dpr",
    "no-refine",
    "no-wait",
    "sync",
    "key",
    "url",
    "timeout",
    "help",
    "version",
  ]),
  job: new Set(["output", "cancel", "key", "url", "timeout", "help", "version"]),
  models: new Set(["url", "json", "timeout", "help", "version"]),
};

export type Env = Readonly<Record<string, string | undefined>>;

export function parseCliArgs(argv: readonly string[], env: Env): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === "help") return { kind: "help" };
  if (values.version || command === "version") return { kind: "version" };
  if (command === undefined) throw new UsageError("missing command (restore, job or models)");
  if (command !== "restore" && command !== "job" && command !== "models") throw new UsageError(`unknown command "${command}"`);

  for (const name of Object.keys(values) as OptionName[]) {
    if (!ALLOWED[command].has(name)) throw new UsageError(`option --${name} does not apply to "${command}"`);
  }
  const url = parseUrl(values.url ?? nonEmpty(env.EDGE_RESTORE_URL) ?? DEFAULT_URL);
  const timeoutMs = values.timeout === undefined ? Infinity : parseTimeout(values.timeout);

  if (command === "models") {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    return { kind: "models", url, json: values.json ?? false, timeoutMs };
  }

  const apiKeyOrUsage = () => {
    const key = nonEmpty(values.key) ?? nonEmpty(env.EDGE_RESTORE_API_KEY);
    if (key === undefined) throw new UsageError("missing API key: set EDGE_RESTORE_API_KEY or pass --key");
    return key;
  };
  if (values.output === "") throw new UsageError("--output must not be empty");

  if (command === "job") {
    if (rest.length !== 1) throw new UsageError(rest.length ? `expected one job id, got ${rest.length}` : "missing job id");
    if (values.cancel && values.output !== undefined) throw new UsageError("--cancel and --output do not go together");
    return { kind: "job", id: rest[0]!, output: values.output ?? null, cancel: values.cancel ?? false, url, apiKey: apiKeyOrUsage(), timeoutMs };
  }

  if (rest.length === 0) throw new UsageError("missing input file");
  if (rest.length > 1 && values["no-wait"]) throw new UsageError("--no-wait takes one input");
  if (values.task === undefined) throw new UsageError(`missing --task (${TASKS.join(", ")})`);
  const task = oneOf(values.task, TASKS, "--task");
  const apiKey = apiKeyOrUsage();
  if (values.sync && values["no-wait"]) throw new UsageError("--sync and --no-wait do not go together");

  return {
    kind: "restore",
    inputs: rest,
    concurrency: values.concurrency === undefined ? 2 : parseConcurrency(values.concurrency),
    output: values.output ?? null,
    task,
    delivery: parseDelivery(values),
    refine: !values["no-refine"],
    mode: values.sync ? "sync" : values["no-wait"] ? "no-wait" : "job",
    url,
    apiKey,
    timeoutMs,
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

function parseDelivery(values: { [K in "format" | "quality" | "metadata" | "width" | "height" | "fit" | "dpr"]?: string | undefined }): OutputOptions {
  const delivery: OutputOptions = {};
  if (values.format !== undefined) delivery.format = oneOf(values.format, FORMATS, "--format");
  if (values.quality !== undefined) delivery.quality = parseQuality(values.quality);
  if (values.metadata !== undefined) delivery.metadata = oneOf(values.metadata, METADATA, "--metadata");
  if (values.width !== undefined) delivery.width = parseSide(values.width, "--width");
  if (values.height !== undefined) delivery.height = parseSide(values.height, "--height");
  if (values.fit !== undefined) delivery.fit = oneOf(values.fit, FITS, "--fit");
  if (values.dpr !== undefined) {
    const dpr = /^\d+(\.\d{1,2})?$/.test(values.dpr) ? Number(values.dpr) : NaN;
    if (!(dpr >= 1 && dpr <= 4)) throw new UsageError(`--dpr must be a number from 1 to 4 with at most two decimals (got "${values.dpr}")`);
    delivery.dpr = dpr;
  }
  if ((delivery.fit !== undefined || delivery.dpr !== undefined) && delivery.width === undefined && delivery.height === undefined) {
    throw new UsageError("--fit and --dpr need --width or --height");
  }
  return delivery;
}

function parseSide(value: string, flag: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 12_000)) throw new UsageError(`${flag} must be an integer from 1 to 12000 (got "${value}")`);
  return n;
}

function parseQuality(value: string): number {
  const quality = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(quality >= 1 && quality <= 100)) throw new UsageError(`--quality must be an integer from 1 to 100 (got "${value}")`);
  return quality;
}

function parseConcurrency(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 16)) throw new UsageError(`--concurrency must be an integer from 1 to 16 (got "${value}")`);
  return n;
}

function parseTimeout(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds (got "${value}")`);
  return seconds * 1000;
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url is not a valid URL: "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url must be http or https (got "${value}")`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
