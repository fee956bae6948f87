// One id per request, in every log line, in error bodies and in what the worker asks of the endpoint, so that one
// request can be followed from the edge to the model server. hono's requestId middleware takes a client's
// `X-Request-Id` (letters, digits, `_-=`, at most 100: see app.ts) or makes one up, and answers it; contextStorage (the
// runtime's AsyncLocalStorage, compatibility flag `nodejs_als`) makes it reachable without threading it through
// every call. W3C `traceparent` is passed on to the endpoint as it came.
import type { Context } from "hono";
import { tryGetContext } from "hono/context-storage";

export interface RequestContext {
  requestId: string;
  traceparent?: string;
}

/** The request being handled, if any (workflow steps and tests outside a request have none). */
export function currentRequest(): RequestContext | undefined {
  const c = tryGetContext<{ Variables: { requestId: string } }>();
  if (!c) return undefined;
  const traceparent = c.req.header("traceparent");
  return { requestId: c.var.requestId, ...(traceparent ? { traceparent } : {}) };
}

/** A structured log line: JSON with `event`, and the request's id when there is one. */
export function logEvent(level: "info" | "error", event: string, fields: Record<string, unknown> = {}): void {
  const requestId = currentRequest()?.requestId;
  const line = JSON.stringify({ event, ...(requestId ? { requestId } : {}), ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

/** The path only (queries, and a transform's source URL query, stay out), with a transform URL's signature
 * masked: a signed URL is a capability, not something to leave in logs. */
export function logPath(url: string): string {
  return new URL(url).pathname.replace(/([/,]sig=)[^,/]*/, "$1…");
}

/** The access log: one line per request, after it is answered. */
export function accessLogLine(c: Context, startedMs: number): Record<string, unknown> {
  return {
    method: c.req.method,
    path: logPath(c.req.url),
    status: c.res.status,
    ms: Date.now() - startedMs,
    ...(c.res.headers.get("cache-status") ? { cache: c.res.headers.get("cache-status") } : {}),
  };
}
