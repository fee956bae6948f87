// One measurement process for bench/pipelineMemory.ts: `decode` decodes the photo the way the endpoint does;
// `pipeline` runs the whole restore pipeline on it with an identity base network. Prints one JSON line.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { decodeImage, restoreImage } from "../endpoint/src/restorePipeline.js";
import { tileGrid } from "../endpoint/src/tiling.js";
import { writeIdentityBaseModel } from "../test/fakes/identityBaseModel.js";

const [mode, w, h] = process.argv.slice(2) as ["decode" | "pipeline", string, string];
const width = Number(w);
const height = Number(h);
// A photo-like JPEG: gradients and noise, so it compresses like a photo rather than a flat colour.
const pixels = Buffer.alloc(width * height * 3);
for (let i = 0; i < pixels.length; i++) pixels[i] = ((i % (width * 3)) / 24 + ((i * 2654435761) >>> 28)) & 0xff;
const jpeg = new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
pixels.fill(0);

const dir = await mkdtemp(join(tmpdir(), "edge-restore-memory-"));
const started = performance.now();
try {
  if (mode === "decode") {
    await decodeImage(jpeg, width * height);
  } else {
    const models = await PipelineModels.load({
      entries: [await writeIdentityBaseModel(dir, "denoise", 256, 1)],
      log: () => {},
    });
    await restoreImage(models, { task: "denoise", image: jpeg, format: "jpeg", quality: 85, metadata: "none", refine: false }, width * height);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const tiles = tileGrid(height, width, { height: 256, width: 256 }, 32).length;
console.log(JSON.stringify({ peakRssMiB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20, seconds: (performance.now() - started) / 1000, tiles }));
