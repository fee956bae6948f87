// The edge API: routes in the order a request meets them, and one place that turns failures into Errors.
import { Hono } from "hono";
import { ApiError } from "./apiError.js";
import type { Env } from "./env.js";
import { demoRoutes } from "./routes/demo.js";
import { jobRoutes } from "./routes/jobs.js";
import { restoreRoute } from "./routes/restore.js";
import { serviceRoutes } from "./routes/service.js";
import { specRoutes } from "./routes/spec.js";
import { transformRoute } from "./routes/transform.js";
import { transformPathPrefixes } from "./transform/transformPath.js";

export const app = new Hono<{ Bindings: Env }>();

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
    return new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${path}.`, undefined, { allow }).toResponse();
  }
  return new ApiError("not_found", `No route for ${path}.`).toResponse();
});

app.onError((error) => {
  if (error instanceof ApiError) return error.toResponse();
  console.error(JSON.stringify({ event: "unhandled_error", error: error instanceof Error ? error.stack : String(error) }));
  return new ApiError("internal_error", "Something went wrong on our side.").toResponse();
});
