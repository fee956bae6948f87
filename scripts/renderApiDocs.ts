// Renders openapi.yaml as one self-contained HTML page (no external assets) for the worker's /docs.
import { parse } from "yaml";

type Json = Record<string, any>;

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** Escapes, then turns `code` spans and blank lines into markup: enough for the spec's descriptions. */
const prose = (s: string | undefined) =>
  s ? escape(s).replace(/`([^`]+)`/g, "<code>$1</code>").split(/\n\s*\n/).map((p) => `<p>${p}</p>`).join("") : "";

function resolve(spec: Json, node: Json | undefined): Json | undefined {
  let current = node;
  while (current?.["$ref"]) {
    current = String(current["$ref"]).slice(2).split("/").reduce<Json | undefined>((n, k) => n?.[k], spec);
  }
  return current;
}

function schemaName(schema: Json | undefined): string {
  if (!schema) return "";
  if (schema["$ref"]) return String(schema["$ref"]).split("/").pop()!;
  if (schema["enum"]) return schema["enum"].join(" | ");
  return schema["type"] ?? "";
}

const httpMethods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** `shared`: the path item's own parameters, which apply to each of its operations. */
function operation(spec: Json, path: string, method: string, op: Json, shared: Json[] = []): string {
  const params = [...shared, ...(op["parameters"] ?? [])].map((p: Json) => resolve(spec, p)!);
  const paramRows = params
    .map((p: Json) => {
      const schema = resolve(spec, p["schema"]);
      const shape = schema?.["enum"] ? schema["enum"].join(" | ") : schemaName(p["schema"]);
      const dflt = schema?.["default"] !== undefined ? ` (default ${escape(String(schema["default"]))})` : "";
      return `<tr><td><code>${escape(p["name"])}</code></td><td>${p["in"]}${p["required"] ? ", required" : ""}</td><td><code>${escape(shape)}</code>${dflt}</td><td>${prose(p["description"])}</td></tr>`;
    })
    .join("");
  const requestBody = resolve(spec, op["requestBody"]);
  const body = requestBody
    ? `<h4>Request body</h4><p>${Object.keys(requestBody["content"]).map((t) => `<code>${escape(t)}</code>`).join(", ")}</p>`
    : "";
  const responses = Object.entries<Json>(op["responses"] ?? {})
    .map(([status, r]) => {
      const resolved = resolve(spec, r)!;
      const types = Object.entries<Json>(resolved["content"] ?? {})
        .map(([t, m]) => `<code>${escape(t)}</code>${m["schema"]?.["$ref"] ? ` (${escape(schemaName(m["schema"]))})` : ""}`)
        .join(", ");
      const headers = Object.keys(resolved["headers"] ?? {}).map((h) => `<code>${escape(h)}</code>`).join(", ");
      return `<tr><td>${status}</td><td>${prose(resolved["description"])}</td><td>${types}</td><td>${headers}</td></tr>`;
    })
    .join("");
  const auth = op["security"]?.length ? `<p class="auth">Requires <code>Authorization: Bearer &lt;key&gt;</code>.</p>` : "";
  return `<section id="${escape(op["operationId"] ?? path)}"><h3><span class="method">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><strong>${escape(op["summary"] ?? "")}</strong></p>${auth}${prose(op["description"])}
${paramRows ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>${paramRows}</table>` : ""}
${body}<h4>Responses</h4><table><tr><th>Status</th><th>Description</th><th>Body</th><th>Headers</th></tr>${responses}</table></section>`;
}

export function renderApiDocs(specText: string): string {
  const spec = parse(specText) as Json;
  const ops = Object.entries<Json>(spec["paths"])
    .flatMap(([path, item]) =>
      Object.entries<Json>(item)
        .filter(([method]) => httpMethods.has(method))
        .map(([method, op]) => operation(spec, path, method, op, item["parameters"] ?? [])),
    )
    .join("\n");
  const schemas = Object.entries<Json>(spec["components"]["schemas"])
    .map(([name, s]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${prose(s["description"])}<pre>${escape(JSON.stringify(s, null, 2))}</pre></section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(spec["info"]["title"])} API ${escape(spec["info"]["version"])}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f4f4;padding:.75rem;overflow:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
td p{margin:0}.method{background:#1a1a1a;color:#fff;padding:0 .4rem;border-radius:3px}section{margin-bottom:2rem}
</style></head><body>
<h1>${escape(spec["info"]["title"])} API <small>${escape(spec["info"]["version"])}</small></h1>
${prose(spec["info"]["description"])}
<p>Machine-readable: <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI ${escape(spec["openapi"])}).</p>
<h2>Operations</h2>
${ops}
<h2>Schemas</h2>
${schemas}
</body></html>
`;
}
