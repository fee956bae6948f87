// `npm run bench:tiling`: how much tiling changes the base networks' output. Each network runs on a photo
// crop once whole (a model converted at the crop's size) and once as the endpoint does it (256x256 tiles,
// 32 px overlap, blended); reports PSNR(tiled, whole). Writes bench/results/tiled-vs-whole.json.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import os from "node:os";
import sharp from "sharp";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { agreement } from "../converter/src/imageMetrics.js";
import { maximModels, packageDir } from "../converter/src/maximModels.js";
import { createCpuSession, runNhwc } from "../converter/src/onnxRun.js";
import { readCenterCrop } from "../converter/src/reference/imageCrop.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { tileOverlap } from "../endpoint/src/restorePipeline.js";
import { extractTile, TileBlender, tileGrid } from "../endpoint/src/tiling.js";

const models = await PipelineModels.load();
// One photo for all: the largest of the packages' test photos (the low-light one, 470x470), so every network
// needs several tiles.
const photo = join(packageDir(maximModels.find((m) => m.task === "lowlight")!), "assets", "fixture.png");
const rows = [];
for (const source of maximModels) {
  const meta = await sharp(photo).metadata();
  // The largest crop whose sides are multiples of 64 (MAXIM's requirement for a whole-image run), up to 448.
  const [height, width] = [meta.height, meta.width].map((s) => Math.min(448, Math.floor(s / 64) * 64)) as [number, number];
  const input = await readCenterCrop(photo, height, width);
  const whole = await runNhwc(
    await createCpuSession((await convertTfjsModel({ modelDir: join(packageDir(source), "models"), height, width, precision: "fp32" })).onnx),
    input,
    height,
    width,
  );
  const model = await models.model(source.task);
  const blender = new TileBlender(height, width, 256, tileOverlap);
  const tiles = tileGrid(height, width, 256, tileOverlap);
  for (const at of tiles) blender.add(at, await model.run(extractTile(input, height, width, at, 256)));
  const tiled = blender.result();
  const row = { task: source.task, photo: "@upscalerjs/maxim-enhancement/assets/fixture.png", crop: `${width}x${height}`, tiles: tiles.length, tiledVsWholePsnr: agreement(tiled, whole).psnr, wholeVsInputPsnr: agreement(whole, input).psnr };
  rows.push(row);
  console.log(`${row.task.padEnd(9)} ${row.crop} ${row.tiles} tiles: PSNR tiled vs whole ${row.tiledVsWholePsnr.toFixed(1)} dB (whole vs input ${row.wholeVsInputPsnr.toFixed(1)} dB)`);
}
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(
  new URL("./results/tiled-vs-whole.json", import.meta.url),
  `${JSON.stringify({ command: "npm run bench:tiling", date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, tile: 256, overlap: tileOverlap, rows }, null, 2)}\n`,
);
