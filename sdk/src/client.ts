// The typed client: openapi-fetch does URL, query and header building from the spec's types; this
// file adds what the API needs on top: raw image bodies, auth, error mapping, retries and timeouts.
import createClient from "openapi-fetch";
import { startCallSignal } from "./callSignal.js";
import { EdgeRestoreError, errorFromResponse } from "./errors.js";
import type { components, paths } from "./generated/openapi.js";
import { type ImageInput, toImageBody } from "./imageBody.js";
import { type RestoreResult, restoreResult } from "./restoreResult.js";
import { type RetryPolicy, type Sleep, withRetry } from "./retry.js";

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

export interface RestoreOptions extends CallOptions {
  task: Schemas["Task"];
  /** Default: the input's format (the server also honours `Accept`). */
  format?: Schemas["OutputFormat"];
  /** 1–100, jpeg and webp only. */
  quality?: number;
  /** false: base network only. Default true. */
  refine?: boolean;
  /** An ETag from an earlier result: answered 304 (`notModified`) when it still matches. */
  ifNoneMatch?: string;
}

export interface EdgeRestoreClient {
  restore(image: ImageInput, options: RestoreOptions): Promise<RestoreResult>;
  models(options?: CallOptions): Promise<Schemas["ModelList"]>;
  health(options?: CallOptions): Promise<Schemas["Health"]>;
  /** Throws EdgeRestoreError `not_ready` (503) with `details.checks` when a dependency is down. */
  ready(options?: CallOptions): Promise<Schemas["Readiness"]>;
}

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

  return {
    async restore(image, { task, format, quality, refine, signal, ifNoneMatch }) {
      const { body, contentType } = await toImageBody(image);
      return send(signal, TRANSIENT, async (callSignal) => {
        const { data, error, response } = await api.POST("/v1/restore", {
          params: {
            query: { task, format, quality, refine },
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
  };
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
