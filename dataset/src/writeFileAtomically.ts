// Write to `<path>.partial`, then rename: an interrupted build never leaves a truncated file that a rerun,
// which skips files that exist, would take for a finished one.
import { rename, writeFile } from "node:fs/promises";

export async function writeFileAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  await writeFile(`${path}.partial`, bytes);
  await rename(`${path}.partial`, path);
}
