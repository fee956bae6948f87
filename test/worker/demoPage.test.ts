// GET /: the demo page is served self-contained, with its API key field filled only when DEMO_API_KEY is set.
import { describe, expect, it } from "vitest";
import { expectConformsToSpec } from "./openapiConformance.js";
import { callWorker, callWorkerWith } from "./helpers.js";

const get = (path: string, method = "GET") => new Request(`https://edge.test${path}`, { method });

describe("demo page", () => {
  it("GET / answers a self-contained HTML page with labelled controls", async () => {
    const response = await callWorker(get("/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'sha256-/);
    const html = await response.clone().text();
    for (const label of ['<label for="file">', '<label for="task">', '<label for="key">', '<label for="split">']) {
      expect(html).toContain(label);
    }
    expect(html).toContain('<p id="status" role="status" aria-live="polite">');
    for (const task of ["lowlight", "derain", "deblur", "denoise"]) expect(html).toContain(`<option value="${task}">`);
    // No external assets: nothing loaded or linked over http(s), no placeholder left.
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/\{\{[A-Z_]+\}\}|<!--SCRIPT-->/);
    // The worker's vitest bindings set no DEMO_API_KEY: the field is empty and the page says to paste a key.
    expect(html).toContain('id="key" name="key" type="password" autocomplete="off" spellcheck="false" value=""');
    expect(html).toContain("Paste an API key");
    await expectConformsToSpec(response, "/", "GET");

    const head = await callWorker(get("/", "HEAD"));
    expect(head.status).toBe(200);
    const post = await callWorker(get("/", "POST"));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("pre-fills DEMO_API_KEY, escaped", async () => {
    const html = await (await callWorkerWith(get("/"), { DEMO_API_KEY: 'dev"<key>&$&' })).text();
    expect(html).toContain('value="dev&#34;&#60;key&#62;&#38;$&#38;"');
    expect(html).toContain("Pre-filled");
  });
});
