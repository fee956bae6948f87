// POST /v1/restore: validate → the shared restore core (R2 cache, one inference per identical job) → answer; with
// `Prefer: respond-async`, a job instead (202, as POST /v1/jobs answers).
import { Hono } from "hono";
import type { Env } from "../env.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { createJob } from "../jobs/createJob.js";
import { acceptedJob } from "../jobs/jobResponses.js";
import { apiKeyAuth } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { parsePrefer } from "../request/preferHeader.js";
import { limitBody, parseOptions, readCheckedImage, type RestoreRequestVariables } from "../request/restoreRequest.js";
import { restoreWithCache } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";

export const restoreRoute = new Hono<{ Bindings: Env; Variables: RestoreRequestVariables }>();

restoreRoute.post("/v1/restore", apiKeyAuth(), rateLimitPerKey(), parseOptions(), limitBody(), async (c) => {
  const timing = new ServerTiming();
  const options = c.get("options");
  const { image, format } = await readCheckedImage(c);
  // Prefer: respond-async (RFC 7240): the same as POST /v1/jobs.
  if (parsePrefer(c.req.header("prefer")).respondAsync) {
    const record = await createJob(c.env, { apiKey: c.get("apiKey"), options, image, format });
    return acceptedJob(c.env, record, undefined, { "preference-applied": "respond-async" });
  }
  const { result, cacheStatus } = await restoreWithCache(c.env, c.executionCtx, { ...options, image, format }, timing, c.req.raw.signal);
  return resultResponse(c.req.raw, result, timing, {
    cacheStatus,
    // Content-addressed: the same request always yields these bytes.
    cacheControl: "public, max-age=31536000, immutable",
    varyAccept: !options.format,
    fallbackModelVersion: `${pipelineModelName(options.task)}/${c.env.MODEL_VERSION}`,
  });
});
