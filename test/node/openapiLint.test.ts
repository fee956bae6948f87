// openapi.yaml against Redocly's "recommended" ruleset (@redocly/openapi-core, pinned): no errors, and no
// warnings beyond the ones accepted below, each for a reason.
import { createConfig, lint } from "@redocly/openapi-core";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const spec = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));

const accepted = [
  // The production server is a placeholder that each deployment replaces with its own hostname.
  "no-server-example.com #/servers/0/url",
  // These answer no client error: they take no parameters, body or key (a wrong path is the app's 404).
  ...["/v1/models", "/v1/health", "/v1/ready", "/openapi.yaml", "/docs", "/"].map((path) => `operation-4xx-response #/paths/${path.replaceAll("/", "~1")}/get/responses`),
];

describe("openapi.yaml", () => {
  it("passes Redocly's recommended lint with no errors and only the accepted warnings", { timeout: 60_000 }, async () => {
    const problems = await lint({ ref: spec, config: await createConfig({ extends: ["recommended"] }) });
    const found = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`);
    expect(found.filter((p) => p.startsWith("error"))).toEqual([]);
    const warnings = problems.filter((p) => p.severity === "warn").map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ""}`);
    expect(warnings.filter((w) => !accepted.includes(w))).toEqual([]);
  });
});
