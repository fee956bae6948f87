// One error type for everything that can go wrong in a call, so callers need a single `catch` branch.
import type { components } from "./generated/openapi.js";
import { parseRetryAfter } from "./retryAfter.js";

/** Codes the API sends in `error.code` (from openapi.yaml). */
export type ErrorCode = components["schemas"]["ErrorCode"];
/** Codes the client uses when there is no usable API error body. */
export type ClientErrorCode = "network_error" | "timeout" | "invalid_response" | "job_canceled";
export type EdgeRestoreErrorCode = ErrorCode | ClientErrorCode;

type ErrorBody = components["schemas"]["Error"];

export interface EdgeRestoreErrorInit {
  status: number;
  // The API may add codes ("new codes may be added"), so unknown strings are kept rather than rejected.
  code: EdgeRestoreErrorCode | (string & {});
  message: string;
  details?: Record<string, unknown> | null;
  retryAfterSeconds?: number | null;
  cause?: unknown;
}

export class EdgeRestoreError extends Error {
  override readonly name = "EdgeRestoreError";
  /** HTTP status, or 0 when no response was received (network error, timeout). */
  readonly status: number;
  readonly code: EdgeRestoreErrorCode | (string & {});
  /** `error.details` from the response: limits, failed readiness checks, … */
  readonly details: Record<string, unknown> | null;
  /** Parsed `Retry-After` (seconds), uncapped, or null when the response had none. */
  readonly retryAfterSeconds: number | null;

  constructor(init: EdgeRestoreErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

/** Whether a value has the shape of the spec's `Error` body. */
export function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message, details } = error as Record<string, unknown>;
  return (
    typeof code === "string" &&
    typeof message === "string" &&
    (details === undefined || (typeof details === "object" && details !== null && !Array.isArray(details)))
  );
}

const SNIPPET_CHARS = 200;

/**
 * Builds the error for a non-2xx response. `body` is what openapi-fetch read: the parsed JSON when
 * the body was JSON, else the raw text (a proxy's HTML page, say), or undefined when it was empty.
 */
export function errorFromResponse(response: Response, body: unknown, now: number = Date.now()): EdgeRestoreError {
  const status = response.status;
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"), now);
  if (isErrorBody(body)) {
    return new EdgeRestoreError({
      status,
      code: body.error.code,
      message: body.error.message,
      details: body.error.details ?? null,
      retryAfterSeconds,
    });
  }
  // Not an API error body (an intermediary answered, or the server broke its contract): say what came back.
  const label = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  let shown: string;
  if (body === undefined || body === null || body === "") shown = "empty body";
  else if (typeof body === "string") shown = truncate(body.replace(/\s+/g, " ").trim());
  else shown = truncate(JSON.stringify(body));
  return new EdgeRestoreError({
    status,
    code: "invalid_response",
    message: `${label} without an API error body (${shown})`,
    retryAfterSeconds,
  });
}

function truncate(text: string): string {
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}
