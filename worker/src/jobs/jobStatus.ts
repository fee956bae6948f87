// What a job looks like right now (the public Job object), from its record, its stored result, the endpoint's
// progress report for the instance's request and its workflow instance's status. Progress never goes backwards: an endpoint call
// that is retried starts its tiles again, so the furthest progress seen is kept in the record.
import type { Env } from "../env.js";
import { endpointProgress } from "../inference/endpointRequests.js";
import { inferenceEndpoint } from "../inference/inferenceEndpoint.js";
import { putJobRecord, type Job, type JobProgress, type JobRecord } from "./jobRecords.js";
import type { RestoreJobOutput } from "./restoreJobWorkflow.js";

const stageOrder: JobProgress["stage"][] = ["queued", "decode", "osf", "tiles", "encode", "done"];

/** The later of two progress reports (stage first, then tiles). */
export function furthest(a: JobProgress, b: JobProgress): JobProgress {
  const rank = (p: JobProgress) => stageOrder.indexOf(p.stage) * 1e9 + p.tilesDone;
  const later = rank(b) > rank(a) ? b : a;
  return { ...later, tilesTotal: Math.max(a.tilesTotal, b.tilesTotal) };
}

export function publicJob(record: JobRecord, status: Job["status"], extra: Partial<Job> = {}): Job {
  const progress = status === "succeeded" ? { stage: "done" as const, tilesDone: record.progress.tilesTotal, tilesTotal: record.progress.tilesTotal } : record.progress;
  return {
    id: record.id,
    status,
    task: record.task,
    progress,
    createdAt: record.createdAt,
    ...(status === "succeeded" ? { result: `/v1/jobs/${record.id}/result` } : {}),
    ...extra,
  };
}

const stoppedError = { code: "upstream_unavailable" as const, message: "The job was stopped before it finished; submit it again." };

export async function currentJob(env: Env, record: JobRecord): Promise<Job> {
  if (record.canceledAt) return publicJob(record, "canceled", { finishedAt: record.canceledAt });
  if (!record.instanceId) return publicJob(record, "succeeded", { finishedAt: record.createdAt });
  // Cheapest first. Clients poll all through a restoration, and on a CPU endpoint every poll's work competes with
  // the model for the same cores. A stored result means success, whatever housekeeping steps (deleting the
  // input, notifying) the instance still has to run; while the endpoint reports the instance's request, the job
  // is running. Only otherwise is Workflows asked.
  if (await env.RESULTS.head(record.resultKey)) return publicJob(record, "succeeded");
  const report = await endpointProgress(inferenceEndpoint(env), record.instanceId);
  if (report) {
    const next = furthest(record.progress, report);
    if (JSON.stringify(next) !== JSON.stringify(record.progress)) {
      record.progress = next;
      await putJobRecord(env.RESULTS, record);
    }
    return publicJob(record, "running");
  }
  let status: InstanceStatus;
  try {
    status = await (await env.RESTORE_JOBS.get(record.instanceId)).status();
  } catch {
    // No instance (gone past the workflow's retention, or never created), and no result.
    return publicJob(record, "failed", { error: stoppedError });
  }
  switch (status.status) {
    case "complete": {
      const output = status.output as RestoreJobOutput | null;
      if (output?.outcome === "failed") return publicJob(record, "failed", { error: output.error });
      return publicJob(record, "succeeded");
    }
    case "errored":
      return publicJob(record, "failed", {
        error: { code: "upstream_unavailable", message: `The inference endpoint could not restore the image: ${status.error?.message ?? "unknown error"}.` },
      });
    case "terminated":
      return publicJob(record, "failed", { error: stoppedError });
    default:
      // Queued, or between the endpoint's attempts.
      return publicJob(record, status.status === "queued" ? "queued" : "running");
  }
}
