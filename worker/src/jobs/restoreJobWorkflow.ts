// The durable half of a job, on Cloudflare Workflows: one instance per result key (see jobRecords.ts). Its input
// was stored in R2 before the instance was created. An instance that took over a synchronous request whose client
// left first waits for that request to end on the endpoint (it may store the result itself). The "restore" step calls the endpoint (with the instance id
// as the endpoint request's id, so progress and cancellation can find it), stores the result in the results
// cache whole, and is retried with backoff while the endpoint is unreachable, overloaded or restarting; a
// request the endpoint refuses (an image it cannot decode) fails the job at once. Then every job sharing the
// instance is told: its webhook is queued and it stops counting against its key's live-job limit. Step
// results stay small: the bytes live in R2.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { ApiError, type ErrorCode } from "../apiError.js";
import { putCachedResult } from "../cache/r2ResultCache.js";
import { integerSetting, type Env } from "../env.js";
import { requestRestoration } from "../inference/restoreClient.js";
import { inferenceEndpoint } from "../inference/inferenceEndpoint.js";
import type { OutputParts } from "../cache/r2ResultCache.js";
import type { Task } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";
import { awaitEndpointRequest } from "./awaitEndpointRequest.js";
import { dropJobRef, inputKey, listJobRefs, readJobRecord, unmarkLive } from "./jobRecords.js";
import { publicJob } from "./jobStatus.js";
import { queueWebhook } from "./webhooks.js";

export interface RestoreJobParams extends OutputParts {
  resultKey: string;
  task: Task;
  refine: boolean;
  modelVersion: string;
  /** A synchronous request whose client left (restoreWithCache.ts): its endpoint request, awaited before inferring. */
  adoptRequestId?: string;
}

export type RestoreJobOutput =
  | { outcome: "succeeded" }
  | { outcome: "failed"; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/** How long one endpoint call of a job may take (default 55 minutes: a 12-megapixel photo on a CPU endpoint). */
export function jobInferenceTimeoutMs(env: Env): number {
  return integerSetting("JOB_INFERENCE_TIMEOUT_MS", env.JOB_INFERENCE_TIMEOUT_MS, 55 * 60_000);
}

/** Errors worth another attempt: the endpoint was unreachable, overloaded, failed or too slow. */
function retryable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.code === "upstream_unavailable" || error.code === "upstream_timeout";
}

export const restoreStepConfig = {
  // limit counts retries: 8 more attempts, 5 s doubling (about 21 minutes in all) before the job fails.
  retries: { limit: 8, delay: "5 seconds", backoff: "exponential" },
  timeout: "1 hour",
} as const;

export class RestoreJob extends WorkflowEntrypoint<Env, RestoreJobParams> {
  override async run(event: Readonly<WorkflowEvent<RestoreJobParams>>, step: WorkflowStep): Promise<RestoreJobOutput> {
    const params = event.payload;
    const instanceId = event.instanceId;
    if (params.adoptRequestId) {
      const adopted = params.adoptRequestId;
      await step.do("wait for the synchronous request", { retries: { limit: 0, delay: "1 second" }, timeout: "1 hour" }, () =>
        awaitEndpointRequest(inferenceEndpoint(this.env), adopted, { deadlineMs: jobInferenceTimeoutMs(this.env) }),
      );
    }
    const outcome = await step.do<RestoreJobOutput>("restore", restoreStepConfig, async (): Promise<RestoreJobOutput> => {
      // Another instance (or a synchronous request) may have stored the result meanwhile.
      if (await this.env.RESULTS.head(params.resultKey)) return { outcome: "succeeded" };
      const input = await this.env.RESULTS.get(inputKey(instanceId));
      if (!input) return { outcome: "failed", error: { code: "internal_error", message: "The job's input is no longer stored." } };
      const image = new Uint8Array(await input.arrayBuffer());
      try {
        const restored = await requestRestoration(inferenceEndpoint(this.env), {
          task: params.task,
          modelVersion: params.modelVersion,
          image,
          refine: params.refine,
          format: params.format,
          quality: params.quality,
          metadata: params.metadata,
          resize: params.resize,
          timeoutMs: jobInferenceTimeoutMs(this.env),
          requestId: instanceId,
        });
        const stored = await putCachedResult(this.env.RESULTS, params.resultKey, {
          bytes: restored.bytes,
          contentType: restored.contentType,
          sha256: await sha256Hex(restored.bytes),
          modelVersion: restored.modelVersion,
          refineApplied: restored.refineApplied,
        });
        if (!stored) throw new Error("the result could not be stored in R2");
        return { outcome: "succeeded" };
      } catch (error) {
        if (retryable(error)) throw error;
        const { code, message, details } = error as ApiError;
        return { outcome: "failed", error: { code, message, ...(details ? { details } : {}) } };
      }
    }).catch((error: unknown): RestoreJobOutput => ({
      // Every retry failed: the job fails, and its webhooks still say so.
      outcome: "failed",
      error: { code: "upstream_unavailable", message: `The inference endpoint could not restore the image: ${error instanceof Error ? error.message : String(error)}.` },
    }));
    await step.do("delete the input", async () => {
      await this.env.RESULTS.delete(inputKey(instanceId));
      return true;
    });
    await step.do("notify the jobs", async () => {
      const finishedAt = new Date().toISOString();
      const jobIds = await listJobRefs(this.env.RESULTS, instanceId);
      for (const jobId of jobIds) {
        const record = await readJobRecord(this.env.RESULTS, jobId);
        if (record && !record.canceledAt) {
          await unmarkLive(this.env.RESULTS, record.owner, record.id);
          const job = outcome.outcome === "succeeded" ? publicJob(record, "succeeded", { finishedAt }) : publicJob(record, "failed", { finishedAt, error: outcome.error });
          await queueWebhook(this.env, record, job, outcome.outcome);
        }
        // Done with: a later job for the same key (after a failure) starts a fresh set.
        await dropJobRef(this.env.RESULTS, instanceId, jobId);
      }
      return jobIds.length;
    });
    return outcome;
  }
}
