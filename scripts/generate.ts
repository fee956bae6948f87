// Writes the generated files: SDK types and the spec text the worker serves (from openapi.yaml), and the demo
// page with its bundled script (from worker/demo/).
import { writeFile } from "node:fs/promises";
import { renderGeneratedFiles } from "./generatedFiles.js";

const root = new URL("../", import.meta.url);
for (const [path, contents] of Object.entries(await renderGeneratedFiles())) {
  await writeFile(new URL(path, root), contents);
  console.log(`wrote ${path}`);
}
