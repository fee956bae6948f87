// Bearer API keys from the API_KEYS secret (comma-separated, so keys can be rotated with overlap), checked by
// hono's bearerAuth. Keys must be RFC 6750 tokens (letters, digits, `._~+/-`, trailing `=`). Keys are compared in
// constant time against every configured key with no early exit (bearerAuth's own list check stops at the first
// match, which would time which key matched), and never logged or echoed. Refusals are the API's Error bodies.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import { ApiError } from "../apiError.js";
import type { Env } from "../env.js";
import { logEvent } from "../requestContext.js";

export type AuthVariables = { apiKey: string };

function configuredKeys(env: Env): string[] {
  return (env.API_KEYS ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0);
}

const realm = "edge-restore";
const challenge = { "www-authenticate": `Bearer realm="${realm}"` };

type AuthContext = Context<{ Bindings: Env; Variables: AuthVariables & { requestId?: string } }>;

const refusal = (message: string) => (c: AuthContext) => new ApiError("unauthorized", message, undefined, challenge).toResponse(c.var.requestId);
const missing = refusal("Send an API key as `Authorization: Bearer <key>`.");

export function apiKeyAuth(): MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }> {
  return bearerAuth({
    realm,
    verifyToken: async (presented, c: AuthContext) => {
      const keys = configuredKeys(c.env);
      if (keys.length === 0) logEvent("error", "no_api_keys_configured");
      let valid = false;
      for (const key of keys) valid = (await timingSafeEqual(presented, key)) || valid;
      if (valid) c.set("apiKey", presented);
      return valid;
    },
    noAuthenticationHeader: { message: missing },
    invalidAuthenticationHeader: { message: missing },
    invalidToken: { message: refusal("The API key is not valid.") },
  }) as MiddlewareHandler<{ Bindings: Env; Variables: AuthVariables }>;
}
