// The worker's bindings, typed once. Values come from wrangler.toml [vars], secrets and bindings.
export interface Env {
  /** Results cache: restored images, content-addressed. */
  RESULTS: R2Bucket;
  /** Requests per API key; optional so a deployment without the binding still runs. */
  RATE_LIMITER?: RateLimit;
  /** Secret: comma-separated API keys, several valid at once for rotation. */
  API_KEYS?: string;
  INFERENCE_URL: string;
  /** Secret: the bearer token the endpoint expects (one of its EDGE_RESTORE_ENDPOINT_KEYS). Unset: none sent. */
  INFERENCE_API_KEY?: string;
  MODEL_VERSION: string;
  INFERENCE_TIMEOUT_MS: string;
  /** Endpoint failures in a row that open the circuit breaker (default 5). */
  CIRCUIT_FAILURE_THRESHOLD?: string;
  /** How long an open circuit refuses requests before one trial request goes through (default 5000). */
  CIRCUIT_OPEN_MS?: string;
  MAX_BYTES: string;
  MAX_PIXELS: string;
  MAX_DIMENSION: string;
  /** Asynchronous restorations (POST /v1/jobs): one workflow instance per result key. */
  RESTORE_JOBS: Workflow<import("./jobs/restoreJobWorkflow.js").RestoreJobParams>;
  /** Job ends notified to webhooks: one workflow instance per job and event. */
  JOB_WEBHOOKS: Workflow<import("./jobs/webhooks.js").JobWebhookParams>;
  /** Secret: derives each API key's webhook signing secret (GET /v1/webhooks/secret). Unset: no webhooks. */
  WEBHOOK_SIGNING_KEY?: string;
  /** Tests only (their receiver runs on 127.0.0.1): lets webhooks go to 127.0.0.0/8. Never set in wrangler.toml. */
  WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS?: string;
  /** Jobs one API key may have queued or running at once (default 8). */
  JOBS_MAX_LIVE_PER_KEY?: string;
  /** How long one endpoint call of a job may take, in ms (default 55 minutes). */
  JOB_INFERENCE_TIMEOUT_MS?: string;
  /** Local development only (`npm start` passes the dev key): pre-fills the demo page's API key field. Never in wrangler.toml. */
  DEMO_API_KEY?: string;

  // URL transforms (GET /cdn-cgi/restore/…); parsed by transform/transformConfig.ts.
  /** Comma-separated source origins or URL prefixes transforms may fetch; empty: transforms are off. */
  TRANSFORM_SOURCES?: string;
  /** "true" (default, also when unset): every transform URL must be signed. */
  TRANSFORM_REQUIRE_SIGNATURE?: string;
  /** Prefixes (within TRANSFORM_SOURCES) served unsigned when signatures are not required. */
  TRANSFORM_UNSIGNED_SOURCES?: string;
  /** Secret: comma-separated HMAC-SHA256 keys, several valid at once for rotation. */
  TRANSFORM_SIGNING_KEYS?: string;
  /** Largest source download in bytes (default: MAX_BYTES). */
  TRANSFORM_MAX_SOURCE_BYTES?: string;
  /** Limit for the whole source download, redirects included. */
  TRANSFORM_FETCH_TIMEOUT_MS?: string;
  TRANSFORM_MAX_REDIRECTS?: string;
  /** max-age of a transform result at the edge and in shared caches. */
  TRANSFORM_CACHE_TTL_SECONDS?: string;
  /** Tests and local benchmarks only (their origin runs on 127.0.0.1): lets 127.0.0.0/8 through. Never set in wrangler.toml. */
  TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS?: string;
}

export interface Limits {
  maxBytes: number;
  maxPixels: number;
  maxDimension: number;
}

/** A numeric setting; a malformed value is a deployment error (500), never silently replaced. */
export function integerSetting(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

export function limitsFrom(env: Env): Limits {
  return {
    maxBytes: integerSetting("MAX_BYTES", env.MAX_BYTES, 20 * 1024 * 1024),
    maxPixels: integerSetting("MAX_PIXELS", env.MAX_PIXELS, 16_777_216),
    maxDimension: integerSetting("MAX_DIMENSION", env.MAX_DIMENSION, 8192),
  };
}

export function circuitSettings(env: Env): { failureThreshold: number; openMs: number } {
  return {
    failureThreshold: integerSetting("CIRCUIT_FAILURE_THRESHOLD", env.CIRCUIT_FAILURE_THRESHOLD, 5),
    openMs: integerSetting("CIRCUIT_OPEN_MS", env.CIRCUIT_OPEN_MS, 5000),
  };
}

export function inferenceTimeoutMs(env: Env): number {
  return integerSetting("INFERENCE_TIMEOUT_MS", env.INFERENCE_TIMEOUT_MS, 60_000);
}
