// Liveness, readiness and what this deployment serves.
import { Hono } from "hono";
import { ApiError } from "../apiError.js";
import { limitsFrom, type Env } from "../env.js";
import type { components } from "../apiTypes.js";
import { endpointReady, pipelineModelStatus } from "../inference/endpointStatus.js";
import { inferenceEndpoint } from "../inference/inferenceEndpoint.js";
import { pipelineModelName } from "../inference/restoreClient.js";
import { outputFormats, tasks } from "../request/restoreOptions.js";
import { imageMediaTypes } from "../image/inspectImage.js";

type Schemas = components["schemas"];

export const serviceRoutes = new Hono<{ Bindings: Env }>();

serviceRoutes.get("/v1/health", (c) => c.json({ status: "ok" } satisfies Schemas["Health"]));

serviceRoutes.get("/v1/ready", async (c) => {
  const [r2, endpoint] = await Promise.all([
    c.env.RESULTS.head("readiness-probe").then(
      () => "ok" as const,
      () => "failed" as const,
    ),
    endpointReady(inferenceEndpoint(c.env)).then((ok) => (ok ? ("ok" as const) : ("failed" as const))),
  ]);
  const checks = { r2, endpoint };
  if (r2 !== "ok" || endpoint !== "ok") {
    throw new ApiError("not_ready", "A dependency is not ready.", { checks }, { "retry-after": "5" });
  }
  c.header("cache-control", "no-store");
  return c.json({ status: "ready", checks } satisfies Schemas["Readiness"]);
});

serviceRoutes.get("/v1/models", async (c) => {
  const version = c.env.MODEL_VERSION;
  const statuses = await Promise.all(tasks.map((task) => pipelineModelStatus(inferenceEndpoint(c.env), task, version)));
  const body: Schemas["ModelList"] = {
    tasks: tasks.map((task, i) => ({ task, model: pipelineModelName(task), version, ...statuses[i]! })),
    limits: {
      ...limitsFrom(c.env),
      inputFormats: Object.values(imageMediaTypes),
      outputFormats: [...outputFormats],
    },
  };
  c.header("cache-control", "no-store");
  return c.json(body);
});
