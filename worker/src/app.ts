// The edge API: routes in the order a request meets them, and one place that turns failures into Errors.
import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import { HTTPException } from "hono/http-exception";
import { requestId, type RequestIdVariables } from "hono/request-id";
import { ApiError } from "./apiError.js";
import { accessLogLine, logEvent } from "./requestContext.js";
import type { Env } from "./env.js";
import { demoRoutes } from "./routes/demo.js";
import { jobRoutes } from "./routes/jobs.js";
import { restoreRoute } from "./routes/restore.js";
import { serviceRoutes } from "./routes/service.js";
import { specRoutes } from "./routes/spec.js";
import { transformRoute } from "./routes/transform.js";
import { transformPathPrefixes } from "./transform/transformPath.js";

export const app = new Hono<{ Bindings: Env; Variables: RequestIdVariables }>();

app.use(contextStorage());
// At most 100 characters: with the suffix restoreWithCache adds, the endpoint's id limit (128) holds.
app.use(requestId({ limitLength: 100 }));
app.use(async (c, next) => {
  const started = Date.now();
  await next();
  // Every response gets the id here, once: routes that answer a Response of their own (images, cached results,
  // errors) bypass the header the requestId middleware set.
  if (!c.res.headers.has("x-request-id")) {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("x-request-id", c.var.requestId);
  }
  logEvent(c.res.status >= 500 ? "error" : "info", "request", accessLogLine(c, started));
});

app.route("/", serviceRoutes);
app.route("/", specRoutes);
app.route("/", restoreRoute);
app.route("/", jobRoutes);
app.route("/", transformRoute);
app.route("/", demoRoutes);

const allowedMethods: Record<string, string> = {
  "/": "GET, HEAD",
  "/v1/restore": "POST",
  "/v1/jobs": "POST",
  "/v1/models": "GET, HEAD",
  "/v1/health": "GET, HEAD",
  "/v1/ready": "GET, HEAD",
  "/openapi.yaml": "GET, HEAD",
  "/docs": "GET, HEAD",
};

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  const allow = transformPathPrefixes.some((p) => path.startsWith(p))
    ? "GET, HEAD"
    : /^\/v1\/jobs\/[^/]+$/.test(path)
      ? "GET, DELETE"
      : /^\/v1\/jobs\/[^/]+\/result$/.test(path)
        ? "GET"
        : allowedMethods[path];
  if (allow) {
    return new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${path}.`, undefined, { allow }).toResponse(c.var.requestId);
  }
  return new ApiError("not_found", `No route for ${path}.`).toResponse(c.var.requestId);
});

app.onError((error, c) => {
  if (error instanceof ApiError) return error.toResponse(c.var.requestId);
  // Middleware from hono (bearerAuth) refuses with an HTTPException carrying our Error response.
  if (error instanceof HTTPException && error.res) return error.getResponse();
  logEvent("error", "unhandled_error", { error: error instanceof Error ? error.stack : String(error) });
  return new ApiError("internal_error", "Something went wrong on our side.").toResponse(c.var.requestId);
});
