// Shared by the suites of `npm run test:hostile`: counting what the stack's local R2 holds, and writing a results
// file. Under `npm run test:hostile` results go to bench/results/ (quoted by the README); inside `npm test`
// they go to the temp folder, so a test run leaves the tree unchanged.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Objects in the results bucket of a stack started with `persistTo = <stateDir>`. */
export async function storedObjects(stateDir: string): Promise<number> {
  return (await readdir(join(stateDir, "v3/r2/edge-restore-results/blobs")).catch(() => [])).length;
}

export async function writeResults(fileName: string, results: unknown): Promise<void> {
  const recording = process.env["npm_lifecycle_event"] === "test:hostile";
  const resultsDir = new URL("../../bench/results/", import.meta.url);
  if (recording) await mkdir(resultsDir, { recursive: true });
  await writeFile(recording ? new URL(fileName, resultsDir) : join(tmpdir(), `edge-restore-${fileName}`), `${JSON.stringify(results, null, 2)}\n`);
}
