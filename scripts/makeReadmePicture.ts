// Makes docs/before-after.png for the README with the project's own pipeline (endpoint/ on the CPU): each
// model package's test photo beside its restoration. `npm run picture`
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { maximModels, packageDir, type Task } from "../converter/src/maximModels.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { restoreImage } from "../endpoint/src/restorePipeline.js";

const tasks: Task[] = ["denoise", "lowlight"];
const height = 256;
const gap = 8;
const models = await PipelineModels.load();
const rows: Buffer[] = [];
for (const task of tasks) {
  const photo = await readFile(join(packageDir(maximModels.find((m) => m.task === task)!), "assets", "fixture.png"));
  const result = await restoreImage(models, { task, image: photo, format: "png", quality: 90, metadata: "none", refine: false }, 16_777_216);
  const [before, after] = await Promise.all([photo, result.image].map((img) => sharp(img).flatten({ background: "#fff" }).resize({ height }).png().toBuffer()));
  const width = (await sharp(before).metadata()).width;
  rows.push(
    await sharp({ create: { width: 2 * width + gap, height, channels: 3, background: "#ffffff" } })
      .composite([{ input: before, left: 0, top: 0 }, { input: after, left: width + gap, top: 0 }])
      .png()
      .toBuffer(),
  );
  console.log(`${task}: ${result.width}x${result.height}, base ${(result.timingsMs.base / 1000).toFixed(1)} s`);
}
const widths = await Promise.all(rows.map(async (r) => (await sharp(r).metadata()).width));
await sharp({ create: { width: Math.max(...widths), height: rows.length * (height + gap) - gap, channels: 3, background: "#ffffff" } })
  .composite(rows.map((input, i) => ({ input, left: 0, top: i * (height + gap) })))
  .png({ compressionLevel: 9 })
  .toFile("docs/before-after.png");
console.log("wrote docs/before-after.png");
