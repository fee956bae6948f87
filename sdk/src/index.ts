// Public entry point. Web-standard APIs only, so it runs in Node 20.3+, browsers, Workers and Deno.
import type { components } from "./generated/openapi.js";

export {
  createEdgeRestoreClient,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_RETRIES,
  JOB_THRESHOLD_BYTES,
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
  type EdgeRestoreClient,
  type EdgeRestoreClientOptions,
  type FetchLike,
  type JobOptions,
  type JobProgress,
  type OutputOptions,
  type RestoreOptions,
  type RestoreWithProgressOptions,
  type WaitOptions,
} from "./client.js";
export {
  EdgeRestoreError,
  isErrorBody,
  type ClientErrorCode,
  type EdgeRestoreErrorCode,
  type EdgeRestoreErrorInit,
  type ErrorCode,
} from "./errors.js";
export type { ImageInput } from "./imageBody.js";
export type { RestoreResult } from "./restoreResult.js";
export { MAX_RETRY_AFTER_MS, type Sleep } from "./retry.js";
export { signWebhook, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from "./webhookSignature.js";
export { transformUrl, type TransformOptions, type TransformPath, type TransformSigning } from "./transformUrl.js";
export type { components, operations, paths } from "./generated/openapi.js";

type Schemas = components["schemas"];
export type Task = Schemas["Task"];
export type OutputFormat = Schemas["OutputFormat"];
export type Metadata = Schemas["Metadata"];
export type Fit = Schemas["Fit"];
export type ModelList = Schemas["ModelList"];
export type TaskModel = Schemas["TaskModel"];
export type Limits = Schemas["Limits"];
export type Health = Schemas["Health"];
export type Readiness = Schemas["Readiness"];
export type ErrorBody = Schemas["Error"];
export type Job = Schemas["Job"];
export type WebhookEvent = Schemas["WebhookEvent"];
