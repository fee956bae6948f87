// Checks a real worker response against openapi.yaml: the status is declared for the operation, the body's
// media type is one the spec lists, JSON bodies validate against the declared schema, declared headers exist.
import { Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
import { parse } from "yaml";
import { openapiYaml } from "../../worker/src/generated/openapiDocument.js";

type Json = Record<string, any>;
export const spec = parse(openapiYaml) as Json;

function resolve(node: Json): Json {
  let current = node;
  while (current["$ref"]) {
    current = String(current["$ref"]).slice(2).split("/").reduce((n: Json, k: string) => n[k], spec);
  }
  return current;
}

/** Headers every response of this kind must carry although OpenAPI cannot mark response headers required. */
const alwaysExpected: Record<string, string[]> = {
  "200 POST /v1/restore": ["etag", "cache-status", "x-model-version", "x-refine-applied", "server-timing", "content-type"],
  "200 GET /cdn-cgi/restore/{options}/{source}": ["etag", "cache-status", "cache-control", "x-model-version", "x-refine-applied", "server-timing", "content-type"],
  "302 GET /cdn-cgi/restore/{options}/{source}": ["location", "x-restore-error"],
};

export async function expectConformsToSpec(response: Response, path: string, method: string): Promise<void> {
  const operation = spec["paths"][path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is in the spec`).toBeDefined();
  const declared = operation["responses"][String(response.status)];
  expect(declared, `status ${response.status} is declared for ${method} ${path}`).toBeDefined();
  const definition = resolve(declared);

  for (const header of Object.keys(definition["headers"] ?? {})) {
    if (["Retry-After", "WWW-Authenticate", "ETag", "Cache-Status"].includes(header) || response.status === 200) {
      expect(response.headers.has(header), `${response.status} ${method} ${path} has ${header}`).toBe(true);
    }
  }
  for (const header of alwaysExpected[`${response.status} ${method} ${path}`] ?? []) {
    expect(response.headers.has(header), `${header} present`).toBe(true);
  }

  const body = new Uint8Array(await response.clone().arrayBuffer());
  const content = definition["content"] as Json | undefined;
  if (!content) {
    expect(body.length, `${response.status} has no body`).toBe(0);
    return;
  }
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  expect(Object.keys(content), `content-type of ${response.status} ${method} ${path}`).toContain(mediaType);
  if (mediaType === "application/json") {
    const schema = { ...content[mediaType]["schema"], components: spec["components"] };
    const result = new Validator(schema, "2020-12", false).validate(JSON.parse(new TextDecoder().decode(body)));
    expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`), `${method} ${path} ${response.status} body`).toEqual([]);
  }
}

/** Every stable error code the spec defines. */
export const specErrorCodes: string[] = spec["components"]["schemas"]["ErrorCode"]["enum"];

/** Codes only the URL transforms answer: test/worker/transformErrors.test.ts covers these, restoreErrors.test.ts the rest. */
export const transformOnlyErrorCodes: string[] = [
  "invalid_transform",
  "signature_required",
  "invalid_signature",
  "signature_expired",
  "source_not_allowed",
  "source_too_large",
  "source_unavailable",
  "source_timeout",
];

/** Codes only the job API answers: test/worker/jobs.test.ts and jobWebhooks.test.ts cover these. */
export const jobOnlyErrorCodes: string[] = ["job_not_succeeded", "webhook_not_allowed"];
