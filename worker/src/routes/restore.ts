// POST /v1/restore: validate → the shared restore core (R2 cache, one inference per identical job) → answer.
import { Hono } from "hono";
import type { Env } from "../env.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { apiKeyAuth } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { limitBody, parseOptions, readCheckedImage, type RestoreRequestVariables } from "../request/restoreRequest.js";
import { restoreWithCache } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";

export const restoreRoute = new Hono<{ Bindings: Env; Variables: RestoreRequestVariables }>();

restoreRoute.post("/v1/restore", apiKeyAuth(), rateLimitPerKey(), parseOptions(), limitBody(), async (c) => {
  const timing = new ServerTiming();
  const options = c.get("options");
  const { image, format } = await readCheckedImage(c);
  const { result, cacheStatus } = await restoreWithCache(c.env, c.executionCtx, { ...options, image, format }, timing);
  return resultResponse(c.req.raw, result, timing, {
    cacheStatus,
    // Content-addressed: the same request always yields these bytes.
    cacheControl: "public, max-age=31536000, immutable",
    varyAccept: !options.format,
    fallbackModelVersion: `${pipelineModelName(options.task)}/${c.env.MODEL_VERSION}`,
  });
});
