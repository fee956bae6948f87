// Job records in R2 (jobs/<id>.json): what a job is, whose it is, and where its work runs. A record belongs to
// the API key that created it (stored as its SHA-256, never the key); for any other key it does not exist.
// Several jobs for the same input and options (from any key, any isolate) share one workflow instance, named
// after the content-addressed result key; each job keeps a reference object (job-refs/<instance>/<job>) so that
// cancelling one job stops the shared work only when no other job still wants it.
import type { components } from "../apiTypes.js";
import type { OutputFormat, Task } from "../request/restoreOptions.js";
import { sha256Hex } from "../sha256.js";

export type Job = components["schemas"]["Job"];
export type JobProgress = Job["progress"];

/** How long a job record and its input are kept (the deploy docs add an R2 lifecycle rule to match). */
export const jobRetentionDays = 7;

export interface JobRecord {
  id: string;
  /** SHA-256 of the API key that created the job. */
  owner: string;
  task: Task;
  refine: boolean;
  format: OutputFormat;
  quality: number;
  /** Where the result lands in the results cache. */
  resultKey: string;
  /** The workflow instance doing the work; null when the result was already cached at creation. */
  instanceId: string | null;
  createdAt: string;
  expiresAt: string;
  canceledAt?: string;
  /** The furthest progress reported so far (progress never goes backwards, even across endpoint retries). */
  progress: JobProgress;
  /** Where the job's end is notified (webhooks.ts). */
  webhook?: JobWebhook;
}

export type WebhookEvent = "succeeded" | "failed" | "canceled";

export interface JobWebhook {
  url: string;
  events: WebhookEvent[];
}

/** 128 random bits: `job_` and 32 hex digits. */
export function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `job_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export const jobIdPattern = /^job_[0-9a-f]{32}$/;

/** The workflow instance for a result key: the same for every job with the same input and options. */
export async function instanceIdFor(resultKey: string): Promise<string> {
  return `restore_${await sha256Hex(new TextEncoder().encode(resultKey))}`;
}

export function ownerOf(apiKey: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(apiKey));
}

const recordKey = (id: string) => `jobs/${id}.json`;
export const inputKey = (instanceId: string) => `job-inputs/${instanceId}`;
const refKey = (instanceId: string, jobId: string) => `job-refs/${instanceId}/${jobId}`;
/** One object per job that is queued or running, per owner: what the per-key limit counts. */
const liveKey = (owner: string, jobId: string) => `job-live/${owner}/${jobId}`;
/** A marker older than this is a leftover (a job cannot run that long: its endpoint calls time out first). */
const liveMarkerMaxAgeMs = 6 * 3_600_000;

export async function putJobRecord(bucket: R2Bucket, record: JobRecord): Promise<void> {
  await bucket.put(recordKey(record.id), JSON.stringify(record), { httpMetadata: { contentType: "application/json" } });
}

/** The record if it exists, belongs to `owner` and has not expired; otherwise undefined (the caller says 404). */
export async function getJobRecord(bucket: R2Bucket, id: string, owner: string, now = Date.now()): Promise<JobRecord | undefined> {
  if (!jobIdPattern.test(id)) return undefined;
  const object = await bucket.get(recordKey(id));
  if (!object) return undefined;
  const record = (await object.json()) as JobRecord;
  if (record.owner !== owner || Date.parse(record.expiresAt) <= now) return undefined;
  return record;
}

/** The record, whoever owns it (the job's own workflows; requests use getJobRecord). */
export async function readJobRecord(bucket: R2Bucket, id: string): Promise<JobRecord | undefined> {
  const object = await bucket.get(recordKey(id));
  return object ? ((await object.json()) as JobRecord) : undefined;
}

export async function markLive(bucket: R2Bucket, owner: string, jobId: string): Promise<void> {
  await bucket.put(liveKey(owner, jobId), "");
}

export async function unmarkLive(bucket: R2Bucket, owner: string, jobId: string): Promise<void> {
  await bucket.delete(liveKey(owner, jobId));
}

/** How many of the owner's jobs are queued or running, counting up to `upTo`. */
export async function countLiveJobs(bucket: R2Bucket, owner: string, upTo: number, now = Date.now()): Promise<number> {
  const listing = await bucket.list({ prefix: `job-live/${owner}/`, limit: Math.min(1000, upTo * 4) });
  return Math.min(upTo, listing.objects.filter((o) => now - o.uploaded.getTime() < liveMarkerMaxAgeMs).length);
}

/** The jobs that share an instance's work. */
export async function listJobRefs(bucket: R2Bucket, instanceId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const listing = await bucket.list({ prefix: `job-refs/${instanceId}/`, ...(cursor ? { cursor } : {}) });
    ids.push(...listing.objects.map((o) => o.key.slice(o.key.lastIndexOf("/") + 1)));
    cursor = listing.truncated ? listing.cursor : undefined;
  } while (cursor);
  return ids;
}

export async function addJobRef(bucket: R2Bucket, instanceId: string, jobId: string): Promise<void> {
  await bucket.put(refKey(instanceId, jobId), "");
}

/** Drops this job's reference; returns how many other jobs still reference the instance. */
export async function dropJobRef(bucket: R2Bucket, instanceId: string, jobId: string): Promise<number> {
  await bucket.delete(refKey(instanceId, jobId));
  const listing = await bucket.list({ prefix: `job-refs/${instanceId}/`, limit: 1 });
  return listing.objects.length;
}
