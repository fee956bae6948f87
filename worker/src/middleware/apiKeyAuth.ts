// Bearer API keys from the API_KEYS secret (comma-separated, so keys can be rotated with overlap).
// Keys are compared in constant time and never logged or echoed.
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { ApiError } from "../apiError.js";
import type { Env } from "../env.js";
import { logEvent } from "../requestContext.js";

export type AuthVariables = { apiKey: string };

function configuredKeys(env: Env): string[] {
  return (env.API_KEYS ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0);
}

const challenge = { "www-authenticate": 'Bearer realm="edge-restore"' };

export function apiKeyAuth(): MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) throw new ApiError("unauthorized", "Send an API key as `Authorization: Bearer <key>`.", undefined, challenge);
    const presented = match[1]!;
    const keys = configuredKeys(c.env);
    if (keys.length === 0) logEvent("error", "no_api_keys_configured");
    // Compare against every key (no early exit) so timing does not reveal which key, if any, matched.
    let valid = false;
    for (const key of keys) valid = (await timingSafeEqual(presented, key)) || valid;
    if (!valid) throw new ApiError("unauthorized", "The API key is not valid.", undefined, challenge);
    c.set("apiKey", presented);
    await next();
  };
}
