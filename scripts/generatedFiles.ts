// Files derived from openapi.yaml. `npm run gen` writes them; a test fails when a committed copy is stale.
import { readFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import { renderApiDocs } from "./renderApiDocs.js";

const header = "// Generated from openapi.yaml by `npm run gen`. Do not edit.\n";

export const specPath = new URL("../openapi.yaml", import.meta.url);

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
  };
}
