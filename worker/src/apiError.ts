// Every 4xx/5xx body is the spec's Error schema; the status follows from the stable code.
import type { components } from "./apiTypes.js";

export type ErrorCode = components["schemas"]["ErrorCode"];
export type ErrorBody = components["schemas"]["Error"];

const statusByCode = {
  invalid_task: 400,
  invalid_parameter: 400,
  empty_body: 400,
  invalid_multipart: 400,
  invalid_transform: 400,
  webhook_not_allowed: 400,
  unauthorized: 401,
  signature_required: 401,
  invalid_signature: 403,
  signature_expired: 403,
  source_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  job_not_succeeded: 409,
  payload_too_large: 413,
  image_too_large: 413,
  source_too_large: 413,
  unsupported_media_type: 415,
  media_type_mismatch: 415,
  heic_not_supported: 415,
  invalid_image: 422,
  rate_limited: 429,
  internal_error: 500,
  source_unavailable: 502,
  upstream_unavailable: 503,
  not_ready: 503,
  upstream_timeout: 504,
  source_timeout: 504,
} as const satisfies Record<ErrorCode, number>;

export type ErrorStatus = (typeof statusByCode)[ErrorCode];

/** Thrown anywhere in request handling; the app's error handler turns it into the Error response. */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = statusByCode[code];
  }

  /** `requestId`: the request's id (also in its `X-Request-Id` header and log lines), to quote in a report. */
  toResponse(requestId?: string): Response {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details) body.error.details = this.details;
    if (requestId) body.error.requestId = requestId;
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        ...this.headers,
      },
    });
  }
}
