// `npm run models:check`: for each base network, the converted ONNX models (onnxruntime-node, CPU) against the
// original TF.js graph (tfjs wasm reference) on real photos at the tile size; fp16 against fp32. Prints a table
// and writes bench/results/model-equivalence.json. Needs `npm run models` first.
//   --tile 256   --photos 3   --only denoise,deblur
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import os from "node:os";
import { agreement } from "../converter/src/imageMetrics.js";
import { maximModels, packageDir, type Task } from "../converter/src/maximModels.js";
import { repositoryDir } from "../common/src/modelRepository.js";
import { createCpuSession, runNhwc } from "../converter/src/onnxRun.js";
import { readCenterCrop } from "../converter/src/reference/imageCrop.js";
import { loadTfjsGraphModel } from "../converter/src/reference/loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "../converter/src/reference/tfjsReference.js";

const { values } = parseArgs({
  options: { tile: { type: "string", default: "256" }, photos: { type: "string", default: "3" }, only: { type: "string" } },
});
const tile = Number(values.tile);
const only = values.only?.split(",") as Task[] | undefined;
// Real photos shipped in the model packages themselves (each package's own test fixture).
const photos = maximModels.map((m) => join(packageDir(m), "assets", "fixture.png")).slice(0, Number(values.photos));

await initTfjsWasm();
const rows = [];
for (const source of maximModels.filter((m) => !only || only.includes(m.task))) {
  const reference = await loadTfjsGraphModel(join(packageDir(source), "models"));
  const fp32 = await createCpuSession(join(repositoryDir, `maxim-${source.task}-${tile}/1/model.onnx`));
  const fp16 = await createCpuSession(join(repositoryDir, `maxim-${source.task}-${tile}-fp16/1/model.onnx`));
  for (const photo of photos) {
    const input = await readCenterCrop(photo, tile, tile);
    let t = performance.now();
    const expected = await runTfjsReference(reference, input, tile, tile);
    const tfjsMs = performance.now() - t;
    t = performance.now();
    const actual = await runNhwc(fp32, input, tile, tile);
    const onnxMs = performance.now() - t;
    const half = await runNhwc(fp16, input, tile, tile);
    const row = {
      task: source.task,
      photo: photo.split("node_modules/")[1]!,
      onnxVsTfjs: agreement(actual, expected),
      fp16VsFp32: agreement(half, actual),
      outputVsInputPsnr: agreement(expected, input).psnr,
      tfjsWasmMs: Math.round(tfjsMs),
      onnxCpuMs: Math.round(onnxMs),
    };
    rows.push(row);
    console.log(
      `${row.task.padEnd(9)} ${row.photo.padEnd(48)} max|Δ| ${row.onnxVsTfjs.maxAbsDiff.toExponential(2)}  ` +
        `PSNR ${row.onnxVsTfjs.psnr.toFixed(1)} dB  fp16 PSNR ${row.fp16VsFp32.psnr.toFixed(1)} dB  ` +
        `tfjs ${row.tfjsWasmMs} ms, onnx ${row.onnxCpuMs} ms`,
    );
  }
  reference.dispose();
  await Promise.all([fp32.release(), fp16.release()]);
}
const pass = rows.every((r) => r.onnxVsTfjs.maxAbsDiff <= 1e-4 && r.onnxVsTfjs.psnr >= 60 && r.fp16VsFp32.psnr >= 45);
await mkdir(new URL("../bench/results/", import.meta.url), { recursive: true });
await writeFile(
  new URL("../bench/results/model-equivalence.json", import.meta.url),
  `${JSON.stringify({ command: "npm run models:check", date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model }, tile, thresholds: { maxAbsDiff: 1e-4, psnr: 60, fp16Psnr: 45 }, pass, rows }, null, 2)}\n`,
);
console.log(pass ? "all within thresholds (max|Δ| ≤ 1e-4, PSNR ≥ 60 dB, fp16 PSNR ≥ 45 dB)" : "SOME ROWS MISS THE THRESHOLDS");
process.exit(pass ? 0 : 1);
