// `npm run data:photos`: builds the natural-photo train/test sets from pinned Debian packages (see dataset/photos/README.md).
//   --out DIR   output directory (default: <cache>/photos, cache = $EDGE_RESTORE_CACHE, $XDG_CACHE_HOME/edge-restore or ~/.cache/edge-restore)
import { parseArgs } from "node:util";
import { buildPhotoSet } from "../dataset/src/photoSet/buildPhotoSet.js";

const { values } = parseArgs({ options: { out: { type: "string" } } });
try {
  await buildPhotoSet({ outDir: values.out });
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
