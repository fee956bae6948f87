// Builds the base networks into models/ (fp32 and fp16 at each tile size), skipping files that exist and
// match the manifest's sha256, and checking that rebuilt files reproduce it.
import { convertTfjsModel } from "./convertTfjsModel.js";
import { maximModels, packageDir, packageVersion, type Task } from "./maximModels.js";
import {
  fileSha256,
  readManifest,
  sha256,
  tritonConfig,
  writeAtomically,
  writeManifest,
  type ManifestEntry,
} from "./modelRepository.js";
import type { Precision } from "./tfOpsToOnnx.js";

export interface BuildOptions {
  tiles: number[];
  tasks?: Task[];
  /** Rebuild everything and record the new sha256s (after a deliberate converter change). */
  updateManifest?: boolean;
  log?: (line: string) => void;
}

/** Returns how many models did not reproduce the manifest's sha256. */
export async function buildModelRepository(options: BuildOptions): Promise<number> {
  const log = options.log ?? ((line) => console.log(line));
  const precisions: Precision[] = ["fp32", "fp16"];
  const manifest = await readManifest();
  const jobs = maximModels
    .filter((m) => !options.tasks || options.tasks.includes(m.task))
    .flatMap((source) => options.tiles.flatMap((tile) => precisions.map((precision) => ({ source, tile, precision }))));

  let failed = 0;
  for (const [index, { source, tile, precision }] of jobs.entries()) {
    const name = `maxim-${source.task}-${tile}${precision === "fp16" ? "-fp16" : ""}`;
    const file = `${name}/1/model.onnx`;
    const recorded = manifest.models.find((m) => m.name === name);
    const prefix = `[${index + 1}/${jobs.length}] ${name}:`;
    if (recorded && !options.updateManifest && (await fileSha256(file)) === recorded.sha256) {
      log(`${prefix} present, sha256 verified`);
      continue;
    }
    log(`${prefix} converting ${source.packageName} at ${tile}x${tile} ${precision}…`);
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
    const done = `${prefix} ${((performance.now() - started) / 1000).toFixed(1)} s, ${(result.onnx.length / 2 ** 20).toFixed(1)} MiB, ${result.onnxNodes} nodes,`;
    if (!recorded || options.updateManifest) {
      manifest.models = [...manifest.models.filter((m) => m.name !== name), entry];
      log(`${done} sha256 ${digest.slice(0, 12)} (recorded in manifest)`);
    } else if (recorded.sha256 === digest) {
      log(`${done} sha256 matches the manifest`);
    } else {
      failed++;
      log(`${done} sha256 ${digest.slice(0, 12)} DIFFERS from the manifest's ${recorded.sha256.slice(0, 12)}`);
    }
  }
  await writeManifest(manifest);
  return failed;
}
