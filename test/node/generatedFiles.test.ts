// The SDK types, the worker's types and the served spec/docs are generated from openapi.yaml; committed copies
// must match what `npm run gen` would write now.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderGeneratedFiles } from "../../scripts/generatedFiles.js";

describe("generated files", () => {
  it("are up to date with openapi.yaml (run `npm run gen`)", async () => {
    for (const [path, expected] of Object.entries(await renderGeneratedFiles())) {
      const actual = await readFile(new URL(`../../${path}`, import.meta.url), "utf8");
      expect(actual === expected, `${path} is stale: run npm run gen`).toBe(true);
    }
  });
});
