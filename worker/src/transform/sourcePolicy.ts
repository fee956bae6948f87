// Which source URLs a transform may fetch: checked for the URL in the request and again for every redirect
// hop, before any request leaves the worker.
import { ApiError } from "../apiError.js";
import { classifyHost } from "./hostPolicy.js";

export interface SourcePolicy {
  /** Allowed origins or URL prefixes (TRANSFORM_SOURCES). */
  sources: readonly URL[];
  allowLoopback: boolean;
}

/** `details.reason` of source_not_allowed, documented in openapi.yaml. */
export type SourceRefusal = "scheme" | "userinfo" | "local-hostname" | "private-address" | "encoded-path" | "not-listed";

const messages: Record<SourceRefusal, string> = {
  scheme: "The source must be an http or https URL.",
  userinfo: "Source URLs with a user name or password are refused.",
  "local-hostname": "The source host is a local name.",
  "private-address": "The source host is a loopback, private, link-local or reserved address.",
  "encoded-path": "The source path contains a percent-encoded slash, backslash, dot or NUL.",
  "not-listed": "The source is not on this deployment's list of allowed sources.",
};

export function checkSource(url: URL, policy: SourcePolicy): void {
  const refusal = refusalFor(url, policy);
  if (refusal) throw new ApiError("source_not_allowed", messages[refusal], { reason: refusal });
}

/** What any URL the worker sends a request to must pass (transform sources, webhooks): http(s), no user info, a public host. */
export function hostRefusal(url: URL, allowLoopback: boolean): "scheme" | "userinfo" | "local-hostname" | "private-address" | undefined {
  if (url.protocol !== "https:" && url.protocol !== "http:") return "scheme";
  // `https://ok.example@evil.example/` has the host evil.example; refuse the form outright.
  if (url.username !== "" || url.password !== "") return "userinfo";
  const host = classifyHost(url.hostname, allowLoopback);
  return host === "ok" ? undefined : host;
}

function refusalFor(url: URL, policy: SourcePolicy): SourceRefusal | undefined {
  const refusal = hostRefusal(url, policy.allowLoopback);
  if (refusal) return refusal;
  // The parser leaves these encoded, so `/allowed/..%2fprivate` would pass a prefix check here and be decoded
  // into a traversal by many origins.
  if (/%(2f|5c|2e|00)/i.test(url.pathname)) return "encoded-path";
  return isListed(url, policy.sources) ? undefined : "not-listed";
}

/** Same origin, and the path under the prefix's path (a prefix without a trailing `/` ends at a segment boundary). */
export function isListed(url: URL, prefixes: readonly URL[]): boolean {
  return prefixes.some((prefix) => {
    if (url.origin !== prefix.origin) return false;
    const path = prefix.pathname;
    if (path.endsWith("/")) return url.pathname.startsWith(path);
    return url.pathname === path || url.pathname.startsWith(`${path}/`);
  });
}

/** A comma-separated list of http(s) origins or prefixes from configuration; a malformed entry is a deployment error. */
export function parseSourceList(name: string, raw: string | undefined): URL[] {
  return (raw ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password || url.search || url.hash) {
        throw new Error(`${name}: "${entry}" is not an http(s) origin or URL prefix`);
      }
      return url;
    });
}
