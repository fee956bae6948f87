// Webhooks: a job's end (succeeded, failed, canceled) POSTed to the URL given at submit time, signed the Standard
// Webhooks way with a secret per API key. The URL is the user's, so it passes the same host policy as transform
// sources, at submit time and again at every redirect hop of every delivery. Each delivery is its own workflow
// instance (jobWebhookWorkflow.ts), named after the job and event, so it is retried durably and made at most
// once per event; its `webhook-id` and body stay the same across retries so that receivers can de-duplicate.
import { signWebhook } from "../../../sdk/src/webhookSignature.js";
import { ApiError } from "../apiError.js";
import type { Env } from "../env.js";
import { hostRefusal } from "../transform/sourcePolicy.js";
import type { Job, JobRecord, JobWebhook, WebhookEvent } from "./jobRecords.js";
import { logEvent } from "../requestContext.js";

export const webhookEvents: readonly WebhookEvent[] = ["succeeded", "failed", "canceled"];
const maxUrlLength = 2048;
const maxRedirects = 3;
const attemptTimeoutMs = 10_000;

export interface JobWebhookParams {
  jobId: string;
  /** SHA-256 of the job's API key: which secret signs. */
  owner: string;
  url: string;
  event: WebhookEvent;
  /** The job as it ended: the delivery's `data`, fixed so that every retry sends the same body. */
  job: Job;
  timestamp: string;
}

const allowLoopback = (env: Env) => env.WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS === "true";

/** Throws webhook_not_allowed for a URL a delivery may not go to. */
export function checkWebhookUrl(url: URL, env: Env): void {
  const reason = hostRefusal(url, allowLoopback(env));
  if (reason) throw new ApiError("webhook_not_allowed", `The webhook URL is refused (${reason}): it must be a public http(s) URL.`, { reason });
}

/** POST /v1/jobs's `webhook` and `webhookEvents`; undefined when no webhook is asked for. */
export function parseWebhook(query: URLSearchParams, env: Env): JobWebhook | undefined {
  const raw = query.get("webhook");
  const eventsRaw = query.get("webhookEvents");
  if (raw === null) {
    if (eventsRaw !== null) throw new ApiError("invalid_parameter", "webhookEvents needs a webhook.", { parameter: "webhookEvents" });
    return undefined;
  }
  if (!env.WEBHOOK_SIGNING_KEY) throw new ApiError("not_ready", "Webhooks are not configured on this deployment (no WEBHOOK_SIGNING_KEY).");
  if (raw.length > maxUrlLength) throw new ApiError("invalid_parameter", `webhook is longer than ${maxUrlLength} characters.`, { parameter: "webhook" });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError("webhook_not_allowed", "The webhook is not an absolute URL.", { reason: "invalid-url" });
  }
  checkWebhookUrl(url, env);
  const events = eventsRaw === null ? [...webhookEvents] : eventsRaw.split(",");
  if (!events.length || events.some((e) => !(webhookEvents as readonly string[]).includes(e))) {
    throw new ApiError("invalid_parameter", `webhookEvents takes ${webhookEvents.join(", ")}, comma-separated.`, { parameter: "webhookEvents" });
  }
  url.hash = "";
  return { url: url.href, events: [...new Set(events)] as WebhookEvent[] };
}

/** The API key's signing secret, `whsec_<base64>`: HMAC-SHA256 of its owner hash under WEBHOOK_SIGNING_KEY. */
export async function webhookSecret(env: Env, owner: string): Promise<string> {
  if (!env.WEBHOOK_SIGNING_KEY) throw new ApiError("not_ready", "Webhooks are not configured on this deployment (no WEBHOOK_SIGNING_KEY).");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(env.WEBHOOK_SIGNING_KEY), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`edge-restore webhook secret ${owner}`)));
  return `whsec_${btoa(String.fromCharCode(...mac))}`;
}

/** Starts the delivery of `event` for a job that asked for it (a second call for the same event does nothing). */
export async function queueWebhook(env: Env, record: JobRecord, job: Job, event: WebhookEvent): Promise<void> {
  if (!record.webhook?.events.includes(event)) return;
  const params: JobWebhookParams = { jobId: record.id, owner: record.owner, url: record.webhook.url, event, job, timestamp: new Date().toISOString() };
  try {
    await env.JOB_WEBHOOKS.create({ id: `hook_${record.id}_${event}`, params });
  } catch (error) {
    // Production refuses a duplicate id: that delivery exists already.
    logEvent("info", "webhook_exists", { job: record.id, webhookEvent: event, error: String(error).slice(0, 200) });
  }
}

export type DeliveryOutcome = { delivered: true; status: number } | { delivered: false; reason: string };

/**
 * One delivery attempt. Throws on a network error, a timeout or a non-2xx answer (the workflow retries); a
 * redirect to a refused host ends the delivery without retries.
 */
export async function deliverWebhook(env: Env, params: JobWebhookParams, now = Date.now()): Promise<DeliveryOutcome> {
  const id = `msg_${params.jobId}_${params.event}`;
  const body = JSON.stringify({ type: `job.${params.event}`, timestamp: params.timestamp, data: params.job });
  const timestamp = Math.floor(now / 1000);
  const headers = {
    "content-type": "application/json",
    "user-agent": "edge-restore-webhooks",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signWebhook(await webhookSecret(env, params.owner), id, timestamp, body),
  };
  const signal = AbortSignal.timeout(attemptTimeoutMs);
  let url = new URL(params.url);
  for (let hop = 0; ; hop++) {
    const reason = hostRefusal(url, allowLoopback(env));
    if (reason) return { delivered: false, reason: `redirected to a refused URL (${reason})` };
    const response = await fetch(url, { method: "POST", body, headers, redirect: "manual", signal });
    await response.body?.cancel();
    // 307 and 308 keep the method and body; other redirects would turn the POST into a GET.
    if ((response.status === 307 || response.status === 308) && response.headers.get("location")) {
      if (hop >= maxRedirects) throw new Error(`the webhook redirected more than ${maxRedirects} times`);
      url = new URL(response.headers.get("location")!, url);
      continue;
    }
    if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered ${response.status}`);
    return { delivered: true, status: response.status };
  }
}
