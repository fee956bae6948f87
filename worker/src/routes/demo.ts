// GET /: the demo page (worker/demo/, generated into generated/demoPage.ts). The API key field is pre-filled only
// where DEMO_API_KEY is set, which `npm start` does with the local dev key; deployments leave it unset.
import { Hono } from "hono";
import type { Env } from "../env.js";
import { demoPageCsp, demoPageHtml } from "../generated/demoPage.js";

export const demoRoutes = new Hono<{ Bindings: Env }>();

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderDemoPage(apiKey: string | undefined): string {
  const key = apiKey?.trim() ?? "";
  const hint = key
    ? "Pre-filled with this deployment's demo key (local development)."
    : "Paste an API key of this deployment (sent only to this site, as Authorization: Bearer …).";
  // Functions as replacements: a key containing "$&" must not be read as a pattern.
  return demoPageHtml.replace("{{API_KEY}}", () => escapeHtml(key)).replace("{{KEY_HINT}}", () => hint);
}

demoRoutes.get("/", (c) => {
  // no-store: the page may carry a key, and it is tiny.
  c.header("cache-control", "no-store");
  c.header("content-security-policy", demoPageCsp);
  c.header("referrer-policy", "no-referrer");
  c.header("x-content-type-options", "nosniff");
  return c.html(renderDemoPage(c.env.DEMO_API_KEY));
});
