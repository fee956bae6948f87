// Per-API-key rate limiting on the Workers Rate Limiting binding. The limiter sees a hash, never the key.
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../apiError.js";
import type { Env } from "../env.js";
import { sha256Hex } from "../sha256.js";
import type { AuthVariables } from "./apiKeyAuth.js";

/** Seconds a limited client should wait: the binding's period (wrangler.toml `simple.period`). */
const retryAfterSeconds = 60;

export function rateLimitPerKey(): MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }> {
  return async (c, next) => {
    const limiter = c.env.RATE_LIMITER;
    if (limiter) {
      const key = await sha256Hex(new TextEncoder().encode(c.get("apiKey")));
      const { success } = await limiter.limit({ key });
      if (!success) {
        throw new ApiError("rate_limited", "Too many requests for this API key.", undefined, {
          "retry-after": String(retryAfterSeconds),
        });
      }
    }
    await next();
  };
}
