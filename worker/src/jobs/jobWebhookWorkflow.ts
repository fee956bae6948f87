// One webhook delivery, durable on Cloudflare Workflows: retried with exponential backoff until the receiver
// answers 2xx (10 attempts, 10 s doubling: about 3 hours), so each event is delivered at least once.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { Env } from "../env.js";
import { deliverWebhook, type DeliveryOutcome, type JobWebhookParams } from "./webhooks.js";
import { logEvent } from "../requestContext.js";

export const deliveryStepConfig = {
  retries: { limit: 9, delay: "10 seconds", backoff: "exponential" },
  timeout: "30 seconds",
} as const;

export class JobWebhook extends WorkflowEntrypoint<Env, JobWebhookParams> {
  override async run(event: Readonly<WorkflowEvent<JobWebhookParams>>, step: WorkflowStep): Promise<DeliveryOutcome> {
    const outcome = await step.do("deliver", deliveryStepConfig, () => deliverWebhook(this.env, event.payload));
    logEvent("info", "webhook_delivery", { job: event.payload.jobId, webhookEvent: event.payload.event, ...outcome });
    return outcome;
  }
}
