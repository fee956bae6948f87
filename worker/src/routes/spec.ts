// The contract itself, machine- and human-readable.
import { Hono } from "hono";
import type { Env } from "../env.js";
import { apiDocsHtml, openapiYaml } from "../generated/openapiDocument.js";

export const specRoutes = new Hono<{ Bindings: Env }>();

specRoutes.get("/openapi.yaml", (c) => {
  c.header("content-type", "application/yaml; charset=utf-8");
  c.header("cache-control", "public, max-age=300");
  return c.body(openapiYaml);
});

specRoutes.get("/docs", (c) => {
  c.header("cache-control", "public, max-age=300");
  return c.html(apiDocsHtml);
});
