// POST /v1/restore: validate → the shared restore core (R2 cache, one inference per identical job) → answer.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../apiError.js";
import { limitsFrom, type Env } from "../env.js";
import { inspectImage } from "../image/inspectImage.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { apiKeyAuth, type AuthVariables } from "../middleware/apiKeyAuth.js";
import { rateLimitPerKey } from "../middleware/rateLimit.js";
import { readImageBody } from "../request/readImageBody.js";
import { parseRestoreOptions, resolveOutputFormat, type RestoreOptions } from "../request/restoreOptions.js";
import { restoreWithCache } from "../restore/restoreWithCache.js";
import { resultResponse } from "../restore/resultResponse.js";
import { ServerTiming } from "../serverTiming.js";

type Variables = AuthVariables & { options: RestoreOptions };

export const restoreRoute = new Hono<{ Bindings: Env; Variables: Variables }>();

restoreRoute.post(
  "/v1/restore",
  apiKeyAuth(),
  rateLimitPerKey(),
  // Options are checked before the body is read: a bad query costs no upload.
  async (c, next) => {
    c.set("options", parseRestoreOptions(new URL(c.req.url).searchParams));
    await next();
  },
  // Hono's bodyLimit counts the bytes actually received, so a chunked or lying Content-Length cannot pass.
  (c, next) => {
    const { maxBytes } = limitsFrom(c.env);
    return bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes.`, { maxBytes });
      },
    })(c, next);
  },
  async (c) => {
    const timing = new ServerTiming();
    const options = c.get("options");
    const upload = await readImageBody(c.req.raw);
    const image = inspectImage(upload.bytes, limitsFrom(c.env), upload.declaredType);
    const format = resolveOutputFormat(options.format, c.req.header("accept"), image.format);
    const { result, cacheStatus } = await restoreWithCache(c.env, c.executionCtx, { ...options, image: upload.bytes, format }, timing);
    return resultResponse(c.req.raw, result, timing, {
      cacheStatus,
      // Content-addressed: the same request always yields these bytes.
      cacheControl: "public, max-age=31536000, immutable",
      varyAccept: !options.format,
      fallbackModelVersion: `${pipelineModelName(options.task)}/${c.env.MODEL_VERSION}`,
    });
  },
);
