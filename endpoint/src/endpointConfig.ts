// The endpoint's settings: each one a flag and an environment variable (the flag wins), with its default, checked
// before anything loads. `settings` is the one table: main.ts parses it, the README lists it (a test compares).
import { parseArgs } from "node:util";
import { parseTileShapes, type TileShape } from "../../common/src/modelRepository.js";
import type { ExecutionProvider } from "./pipelineModels.js";

export interface Setting {
  flag: string;
  env: string;
  /** As the README shows it; "" for none. */
  default: string;
  description: string;
}

export const settings = [
  { flag: "port", env: "PORT", default: "8000", description: "TCP port" },
  { flag: "host", env: "EDGE_RESTORE_HOST", default: "127.0.0.1", description: "address to listen on (0.0.0.0 in a container)" },
  { flag: "keys", env: "EDGE_RESTORE_ENDPOINT_KEYS", default: "", description: "comma-separated bearer keys required on model and request routes; unset: open to anyone who reaches it" },
  { flag: "ep", env: "EDGE_RESTORE_EP", default: "cpu", description: "execution providers in preference order: webgpu, cuda, cpu" },
  { flag: "precision", env: "EDGE_RESTORE_PRECISION", default: "fp32", description: "base networks' weights: fp32 or fp16" },
  { flag: "manifest", env: "EDGE_RESTORE_MANIFEST", default: "models/manifest.json", description: "model repository to serve" },
  { flag: "tiles", env: "EDGE_RESTORE_TILES", default: "", description: "base-network tile shapes to use, e.g. 256,384x512; unset: every shape built" },
  { flag: "concurrency", env: "EDGE_RESTORE_CONCURRENCY", default: "2", description: "requests in the pipeline at once" },
  { flag: "max-queue", env: "EDGE_RESTORE_MAX_QUEUE", default: "16", description: "requests waiting beyond those; more are answered 503 with Retry-After" },
  { flag: "max-batch", env: "EDGE_RESTORE_MAX_BATCH", default: "4", description: "tiles per batch for networks with a dynamic batch dimension" },
  { flag: "batch-delay-ms", env: "EDGE_RESTORE_BATCH_DELAY_MS", default: "5", description: "how long a tile waits for others to fill a batch" },
  { flag: "max-pixels", env: "EDGE_RESTORE_MAX_PIXELS", default: "16777216", description: "largest image, in pixels" },
  { flag: "warmup", env: "EDGE_RESTORE_WARMUP", default: "all", description: "all: ready only once every served model is loaded and each task has run once; none: models load on first use" },
] as const satisfies readonly Setting[];

type Flag = (typeof settings)[number]["flag"];

export interface EndpointConfig {
  port: number;
  host: string;
  keys: string | undefined;
  providers: ExecutionProvider[];
  precision: "fp32" | "fp16";
  manifest: string | undefined;
  tiles: TileShape[] | undefined;
  concurrency: number;
  maxQueue: number;
  maxBatch: number;
  batchDelayMs: number;
  maxPixels: number;
  warmup: "all" | "none";
}

/** A setting is wrong: the endpoint says which and exits 2. */
export class ConfigError extends Error {}

export function parseEndpointConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): EndpointConfig {
  let values: Partial<Record<Flag, string>>;
  try {
    values = parseArgs({ args: [...argv], options: Object.fromEntries(settings.map((s) => [s.flag, { type: "string" }])), strict: true }).values as Partial<Record<Flag, string>>;
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const raw = (flag: Flag): string | undefined => {
    const setting = settings.find((s) => s.flag === flag)!;
    const value = values[flag] ?? env[setting.env];
    return value === undefined || value === "" ? (setting.default === "" ? undefined : setting.default) : value;
  };
  const integer = (flag: Flag, min: number): number => {
    const text = raw(flag)!;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new ConfigError(`--${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ""}, got "${text}"`);
    }
    return value;
  };
  const providers = raw("ep")!.split(",").map((p) => p.trim()) as ExecutionProvider[];
  if (providers.some((p) => !["webgpu", "cuda", "cpu"].includes(p))) throw new ConfigError("--ep takes webgpu, cuda and cpu, comma-separated");
  const precision = raw("precision");
  if (precision !== "fp32" && precision !== "fp16") throw new ConfigError(`--precision must be fp32 or fp16, got "${precision}"`);
  let tiles: TileShape[] | undefined;
  try {
    tiles = raw("tiles") === undefined ? undefined : parseTileShapes(raw("tiles")!);
  } catch (error) {
    throw new ConfigError(`--tiles: ${error instanceof Error ? error.message : String(error)}`);
  }
  const warmup = raw("warmup");
  if (warmup !== "all" && warmup !== "none") throw new ConfigError(`--warmup must be all or none, got "${warmup}"`);
  const manifest = values.manifest ?? env["EDGE_RESTORE_MANIFEST"];
  return {
    port: integer("port", 1),
    host: raw("host")!,
    keys: raw("keys"),
    providers,
    precision,
    manifest: manifest === "" ? undefined : manifest,
    tiles,
    concurrency: integer("concurrency", 1),
    maxQueue: integer("max-queue", 0),
    maxBatch: integer("max-batch", 1),
    batchDelayMs: integer("batch-delay-ms", 0),
    maxPixels: integer("max-pixels", 1),
    warmup,
  };
}
