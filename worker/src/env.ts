// The worker's bindings, typed once. Values come from wrangler.toml [vars], secrets and bindings.
export interface Env {
  /** Results cache: restored images, content-addressed. */
  RESULTS: R2Bucket;
  /** Requests per API key; optional so a deployment without the binding still runs. */
  RATE_LIMITER?: RateLimit;
  /** Secret: comma-separated API keys, several valid at once for rotation. */
  API_KEYS?: string;
  INFERENCE_URL: string;
  MODEL_VERSION: string;
  INFERENCE_TIMEOUT_MS: string;
  MAX_BYTES: string;
  MAX_PIXELS: string;
  MAX_DIMENSION: string;
}

export interface Limits {
  maxBytes: number;
  maxPixels: number;
  maxDimension: number;
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function limitsFrom(env: Env): Limits {
  return {
    maxBytes: positiveInteger("MAX_BYTES", env.MAX_BYTES, 20 * 1024 * 1024),
    maxPixels: positiveInteger("MAX_PIXELS", env.MAX_PIXELS, 16_777_216),
    maxDimension: positiveInteger("MAX_DIMENSION", env.MAX_DIMENSION, 8192),
  };
}

export function inferenceTimeoutMs(env: Env): number {
  return positiveInteger("INFERENCE_TIMEOUT_MS", env.INFERENCE_TIMEOUT_MS, 60_000);
}
