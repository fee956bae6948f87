// Files derived from openapi.yaml and worker/demo/. `npm run gen` writes them; a test fails when a committed copy is stale.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import openapiTS, { astToString } from "openapi-typescript";
import { renderApiDocs } from "./renderApiDocs.js";

const header = "// Generated from openapi.yaml by `npm run gen`. Do not edit.\n";

export const specPath = new URL("../openapi.yaml", import.meta.url);
const demoDir = new URL("../worker/demo/", import.meta.url);

/** Path (relative to the repository root) → expected contents. */
export async function renderGeneratedFiles(): Promise<Record<string, string>> {
  const specText = await readFile(specPath, "utf8");
  const sdkTypes = astToString(await openapiTS(specText));
  return {
    "sdk/src/generated/openapi.ts": header + sdkTypes,
    "worker/src/generated/openapiDocument.ts":
      header +
      `export const openapiYaml: string = ${JSON.stringify(specText)};\n\n` +
      `export const apiDocsHtml: string = ${JSON.stringify(renderApiDocs(specText))};\n`,
    "worker/src/generated/demoPage.ts": await renderDemoPage(),
  };
}

/**
 * The demo page (GET /): worker/demo/page.html with worker/demo/main.ts (and the SDK it imports) bundled by
 * esbuild and inlined, so the page loads nothing from anywhere else. Deterministic: no sourcemap, fixed target.
 * The worker fills `{{API_KEY}}` and `{{KEY_HINT}}` per request; the CSP allows exactly this script and style.
 */
async function renderDemoPage(): Promise<string> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL("main.ts", demoDir))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  // Inside <script>, "</script" and "<!--" would end or confuse the element; "<\/" means the same to JS.
  const script = bundled.outputFiles[0]!.text.trim().replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  const template = await readFile(new URL("page.html", demoDir), "utf8");
  if (!template.includes("<!--SCRIPT-->")) throw new Error("worker/demo/page.html has no <!--SCRIPT--> placeholder");
  const html = template.replace("<!--SCRIPT-->", () => script);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  if (style === undefined) throw new Error("worker/demo/page.html has no <style> block");
  const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(style)}`,
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return (
    "// Generated from worker/demo/ (page.html + main.ts bundled with esbuild) by `npm run gen`. Do not edit.\n" +
    `export const demoPageHtml: string = ${JSON.stringify(html)};\n\n` +
    `export const demoPageCsp: string = ${JSON.stringify(csp)};\n`
  );
}
