// The typed client: openapi-fetch does URL, query and header building from the spec's types; this
// file adds what the API needs on top: raw image bodies, auth, error mapping, retries and timeouts.
import createClient from "openapi-fetch";
import { startCallSignal } from "./callSignal.js";
import { EdgeRestoreError, errorFromResponse } from "./errors.js";
import type { components, paths } from "./generated/openapi.js";
import { type ImageInput, toImageBody } from "./imageBody.js";
import { type RestoreResult, restoreResult } from "./restoreResult.js";
import { type RetryPolicy, type Sleep, sleep as abortableSleep, withRetry } from "./retry.js";

type Schemas = components["schemas"];

/** Any fetch-compatible function: `globalThis.fetch`, a Workers service binding's `fetch`, a test fake. */
export type FetchLike = (request: Request) => Promise<Response>;

export interface EdgeRestoreClientOptions {
  /** e.g. `https://restore.example.com` (no trailing `/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` on restore only (the other endpoints are public). */
  apiKey?: string;
  fetch?: FetchLike;
  /** Retries after the first attempt for 429, 503 and network errors. Default 2. */
  retries?: number;
  /** Limit for a whole call, retries and waits included. Default 120 000 ms; Infinity disables it. */
  timeoutMs?: number;
  /** How to wait between retries (tests pass one that records and returns at once). */
  sleep?: Sleep;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** How the result is delivered (the spec's query parameters of the same names). */
export interface OutputOptions {
  /** Default: the input's format (the server also honours `Accept`: avif, then webp, on a tie). */
  format?: Schemas["OutputFormat"];
  /** 1–100, jpeg, webp and avif only. */
  quality?: number;
  /** Which metadata survives: `copyright` (default, only the EXIF copyright), `keep` (EXIF with GPS, XMP, ICC profile), `none`. */
  metadata?: Schemas["Metadata"];
  /** Resize the restored image (never the input) to this width, as `fit` says; times `dpr`. */
  width?: number;
  height?: number;
  /** Cloudflare Images' fits: `scale-down` (default), `contain`, `cover`, `crop`, `pad`. */
  fit?: Schemas["Fit"];
  /** Device pixel ratio, 1–4: multiplies width and height. */
  dpr?: number;
}

export interface RestoreOptions extends CallOptions, OutputOptions {
  task: Schemas["Task"];
  /** false: base network only. Default true. */
  refine?: boolean;
  /** An ETag from an earlier result: answered 304 (`notModified`) when it still matches. */
  ifNoneMatch?: string;
}

/** What a job reports while it runs. */
export type JobProgress = Schemas["Job"]["progress"];

export interface JobOptions extends Omit<RestoreOptions, "ifNoneMatch"> {
  /** Public http(s) URL notified when the job ends (signed: see `verifyWebhook`). */
  webhook?: string;
  /** Which ends to notify; default all three. */
  webhookEvents?: ("succeeded" | "failed" | "canceled")[];
}

export interface WaitOptions extends CallOptions {
  /** Called with every new progress report (never going backwards). */
  onProgress?: (progress: JobProgress, job: Schemas["Job"]) => void;
  /** Time between polls. Default 2000 ms. */
  pollIntervalMs?: number;
}

export interface RestoreWithProgressOptions extends RestoreOptions {
  /** Given: the restoration runs as a job and reports its progress here. */
  onProgress?: WaitOptions["onProgress"];
  /**
   * "auto" (default): a job when `onProgress` is given or the image is larger than JOB_THRESHOLD_BYTES, else
   * one synchronous request. "job" / "sync" force one or the other.
   */
  mode?: "auto" | "job" | "sync";
}

export interface EdgeRestoreClient {
  /**
   * Restores one image. Large images (see `mode`) go through a job, so they are not bound by one request's time
   * limit; aborting `signal` then cancels the job.
   */
  restore(image: ImageInput, options: RestoreWithProgressOptions): Promise<RestoreResult>;
  /** POST /v1/jobs: starts an asynchronous restoration and returns the job at once. */
  createJob(image: ImageInput, options: JobOptions): Promise<Schemas["Job"]>;
  getJob(id: string, options?: CallOptions): Promise<Schemas["Job"]>;
  /** Cancels a queued or running job; a finished one is returned as it is. */
  cancelJob(id: string, options?: CallOptions): Promise<Schemas["Job"]>;
  /** A succeeded job's image (EdgeRestoreError `job_not_succeeded` otherwise). */
  jobResult(id: string, options?: CallOptions): Promise<RestoreResult>;
  /**
   * Polls until the job ends. Resolves with the succeeded job; throws EdgeRestoreError with the job's error code
   * when it failed, `job_canceled` when it was canceled. Aborting `signal` stops waiting (the job goes on).
   */
  waitForJob(id: string, options?: WaitOptions): Promise<Schemas["Job"]>;
  /** The `whsec_…` secret that signs this API key's webhooks. */
  webhookSecret(options?: CallOptions): Promise<string>;
  models(options?: CallOptions): Promise<Schemas["ModelList"]>;
  health(options?: CallOptions): Promise<Schemas["Health"]>;
  /** Throws EdgeRestoreError `not_ready` (503) with `details.checks` when a dependency is down. */
  ready(options?: CallOptions): Promise<Schemas["Readiness"]>;
}

/** restore() in "auto" mode runs a job for images larger than this (about a 2-megapixel JPEG). */
export const JOB_THRESHOLD_BYTES = 1024 * 1024;
export const DEFAULT_POLL_INTERVAL_MS = 2000;

export const DEFAULT_RETRIES = 2;
export const DEFAULT_TIMEOUT_MS = 120_000;

// Restore is a pure function of its input (content-addressed results), so it is as safe to repeat as a GET.
const TRANSIENT: RetryPolicy = { retries: DEFAULT_RETRIES, retryStatuses: [429, 503], retryNetworkErrors: true };
// For readiness a 503 is the answer, not a hiccup.
const READINESS: RetryPolicy = { ...TRANSIENT, retryStatuses: [429] };

export function createEdgeRestoreClient(options: EdgeRestoreClientOptions): EdgeRestoreClient {
  const { baseUrl, apiKey, retries = DEFAULT_RETRIES, timeoutMs = DEFAULT_TIMEOUT_MS, sleep } = options;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError("retries must be a non-negative integer");
  if (!(timeoutMs > 0)) throw new RangeError("timeoutMs must be positive (Infinity for none)");
  new URL(baseUrl); // fail at construction on a malformed URL rather than on the first call

  const userFetch = options.fetch;
  const api = createClient<paths>({
    baseUrl,
    // Looked up per call (not captured): some runtimes reject a detached `fetch`, and tests may stub it.
    fetch: (request) => (userFetch ? userFetch(request) : globalThis.fetch(request)),
  });

  async function send<T>(signal: AbortSignal | undefined, policy: RetryPolicy, attempt: (signal: AbortSignal) => Promise<T>) {
    const call = startCallSignal(timeoutMs, signal);
    return withRetry(
      async () => {
        try {
          return await attempt(call.signal);
        } catch (error) {
          call.throwIfAborted();
          throw toClientError(error);
        }
      },
      { policy: { ...policy, retries }, call, ...(sleep ? { sleep } : {}) },
    );
  }

  const auth = (): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {});

  const client: EdgeRestoreClient = {
    async restore(image, options) {
      const { signal, ifNoneMatch, onProgress, mode = "auto", ...query } = options;
      const { body, contentType } = await toImageBody(image);
      const size = body instanceof Blob ? body.size : body.byteLength;
      if (mode === "job" || (mode === "auto" && (onProgress !== undefined || size > JOB_THRESHOLD_BYTES))) {
        const job = await client.createJob(body, { ...query, signal });
        try {
          await client.waitForJob(job.id, { signal, onProgress });
        } catch (error) {
          // The caller gave up: so does the job (best effort; the caller gets their own abort reason).
          if (signal?.aborted) await client.cancelJob(job.id).catch(() => undefined);
          throw error;
        }
        return client.jobResult(job.id, { signal });
      }
      return send(signal, TRANSIENT, async (callSignal) => {
        const { data, error, response } = await api.POST("/v1/restore", {
          params: {
            query,
            header: ifNoneMatch === undefined ? undefined : { "If-None-Match": ifNoneMatch },
          },
          // openapi-typescript types binary bodies as string; the bytes go out untouched.
          body: body as unknown as string,
          bodySerializer: (raw) => raw,
          headers: {
            "content-type": contentType,
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          parseAs: "blob",
          signal: callSignal,
        });
        if (response.status === 304) return restoreResult(response, new Blob([]));
        if (!response.ok) throw errorFromResponse(response, error);
        const blob = data instanceof Blob ? data : new Blob([]);
        const type = response.headers.get("content-type") ?? "";
        if (blob.size === 0 || !type.toLowerCase().startsWith("image/")) {
          throw invalidResponse(response, `expected an image, got ${type || "no content type"} (${blob.size} bytes)`);
        }
        return restoreResult(response, blob);
      });
    },

    models: ({ signal } = {}) =>
      send(signal, TRANSIENT, async (callSignal) =>
        json(await api.GET("/v1/models", { signal: callSignal, headers: { accept: "application/json" } })),
      ),

    health: ({ signal } = {}) =>
      send(signal, TRANSIENT, async (callSignal) =>
        json(await api.GET("/v1/health", { signal: callSignal, headers: { accept: "application/json" } })),
      ),

    ready: ({ signal } = {}) =>
      send(signal, READINESS, async (callSignal) =>
        json(await api.GET("/v1/ready", { signal: callSignal, headers: { accept: "application/json" } })),
      ),

    async createJob(image, { webhook, webhookEvents, signal, ...query }) {
      const { body, contentType } = await toImageBody(image);
      // Not retried on 503/429 blindly: a second POST would be a second job (the same work, shared, but two ids).
      // Without Prefer: wait the answer is always the Job (202); json() refuses anything but an object.
      return send(signal, { ...TRANSIENT, retryStatuses: [429] }, async (callSignal) =>
        json<Schemas["Job"] | string>(
          await api.POST("/v1/jobs", {
            params: { query: { ...query, webhook, webhookEvents: webhookEvents?.join(",") } },
            body: body as unknown as string,
            bodySerializer: (raw) => raw,
            headers: { "content-type": contentType, ...auth() },
            signal: callSignal,
          }),
        ) as Schemas["Job"],
      );
    },

    getJob: (id, { signal } = {}) =>
      send(signal, TRANSIENT, async (callSignal) => json(await api.GET("/v1/jobs/{id}", { params: { path: { id } }, headers: auth(), signal: callSignal }))),

    cancelJob: (id, { signal } = {}) =>
      send(signal, TRANSIENT, async (callSignal) => json(await api.DELETE("/v1/jobs/{id}", { params: { path: { id } }, headers: auth(), signal: callSignal }))),

    jobResult: (id, { signal } = {}) =>
      send(signal, TRANSIENT, async (callSignal) => {
        const { data, error, response } = await api.GET("/v1/jobs/{id}/result", { params: { path: { id } }, headers: auth(), parseAs: "blob", signal: callSignal });
        if (!response.ok) throw errorFromResponse(response, error);
        const blob = data instanceof Blob ? data : new Blob([]);
        if (blob.size === 0) throw invalidResponse(response, "expected an image, got an empty body");
        return restoreResult(response, blob);
      }),

    async waitForJob(id, { signal, onProgress, pollIntervalMs = DEFAULT_POLL_INTERVAL_MS } = {}) {
      let last = "";
      for (;;) {
        const job = await client.getJob(id, { signal });
        const seen = JSON.stringify(job.progress);
        if (seen !== last) {
          last = seen;
          onProgress?.(job.progress, job);
        }
        if (job.status === "succeeded") return job;
        if (job.status === "failed") {
          throw new EdgeRestoreError({ status: 0, code: job.error?.code ?? "upstream_unavailable", message: job.error?.message ?? "The job failed.", details: job.error?.details ?? null });
        }
        if (job.status === "canceled") throw new EdgeRestoreError({ status: 0, code: "job_canceled", message: `Job ${id} was canceled.` });
        await (sleep ?? abortableSleep)(pollIntervalMs, signal);
      }
    },

    webhookSecret: async ({ signal } = {}) =>
      (await send(signal, TRANSIENT, async (callSignal) => json(await api.GET("/v1/webhooks/secret", { headers: auth(), signal: callSignal })))).secret,
  };
  return client;
}


/** The body of a JSON 2xx, or the EdgeRestoreError for anything else. */
function json<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  // Checked on the status, not on `error`: openapi-fetch leaves `error` undefined for an empty error body.
  if (!response.ok) throw errorFromResponse(response, error);
  if (typeof data !== "object" || data === null) throw invalidResponse(response, "expected a JSON object");
  return data;
}

function invalidResponse(response: Response, what: string): EdgeRestoreError {
  return new EdgeRestoreError({ status: response.status, code: "invalid_response", message: `HTTP ${response.status}: ${what}` });
}

/** Anything thrown while sending or reading, once aborts are ruled out. */
function toClientError(error: unknown): EdgeRestoreError {
  if (error instanceof EdgeRestoreError) return error;
  if (error instanceof SyntaxError) {
    return new EdgeRestoreError({ status: 0, code: "invalid_response", message: `unreadable JSON response: ${error.message}`, cause: error });
  }
  return new EdgeRestoreError({ status: 0, code: "network_error", message: `network error: ${describe(error)}`, cause: error });
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED …) is in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  if (!cause) return error.message;
  const code = (cause as { code?: unknown }).code;
  return `${error.message} (${typeof code === "string" && !cause.message.includes(code) ? `${code}: ` : ""}${cause.message})`;
}
