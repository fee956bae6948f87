// The transform settings of a deployment (wrangler.toml [vars] and the TRANSFORM_SIGNING_KEYS secret), parsed
// strictly: a malformed value is a deployment error (500), never a silently weaker default.
import { integerSetting, limitsFrom, type Env } from "../env.js";
import { parseSourceList } from "./sourcePolicy.js";

export interface TransformConfig {
  /** Empty: transforms are off. */
  sources: URL[];
  unsignedSources: URL[];
  requireSignature: boolean;
  signingKeys: string[];
  maxSourceBytes: number;
  fetchTimeoutMs: number;
  maxRedirects: number;
  cacheTtlSeconds: number;
  allowLoopback: boolean;
}

/** HMAC keys shorter than this are guessable offline from any signed URL. */
export const minSigningKeyLength = 32;

function flag(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

export function transformConfig(env: Env): TransformConfig {
  const signingKeys = (env.TRANSFORM_SIGNING_KEYS ?? "").split(",").map((k) => k.trim()).filter((k) => k.length > 0);
  // The message names the rule, never the key.
  if (signingKeys.some((k) => k.length < minSigningKeyLength)) throw new Error(`TRANSFORM_SIGNING_KEYS: every key must be at least ${minSigningKeyLength} characters`);
  return {
    sources: parseSourceList("TRANSFORM_SOURCES", env.TRANSFORM_SOURCES),
    unsignedSources: parseSourceList("TRANSFORM_UNSIGNED_SOURCES", env.TRANSFORM_UNSIGNED_SOURCES),
    requireSignature: flag("TRANSFORM_REQUIRE_SIGNATURE", env.TRANSFORM_REQUIRE_SIGNATURE, true),
    signingKeys,
    maxSourceBytes: integerSetting("TRANSFORM_MAX_SOURCE_BYTES", env.TRANSFORM_MAX_SOURCE_BYTES, limitsFrom(env).maxBytes),
    fetchTimeoutMs: integerSetting("TRANSFORM_FETCH_TIMEOUT_MS", env.TRANSFORM_FETCH_TIMEOUT_MS, 10_000),
    maxRedirects: integerSetting("TRANSFORM_MAX_REDIRECTS", env.TRANSFORM_MAX_REDIRECTS, 3, 0),
    cacheTtlSeconds: integerSetting("TRANSFORM_CACHE_TTL_SECONDS", env.TRANSFORM_CACHE_TTL_SECONDS, 86_400),
    allowLoopback: flag("TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS", env.TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS, false),
  };
}
