// Builds models/: the base networks (fp32 and fp16 at each tile size) and the feature encoders, skipping files
// that exist and match the manifest's sha256, and checking that rebuilt files reproduce it.
import { convertTfjsModel } from "./convertTfjsModel.js";
import { convertKerasModel } from "./keras/kerasToOnnx.js";
import { readNsfwjsModel } from "./keras/nsfwjsBundle.js";
import { encoderBundleDir, encoderSources, nsfwjsVersion } from "./keras/nsfwjsEncoders.js";
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
  /** Build the feature encoders too; default: yes, unless `tasks` picks base networks. */
  encoders?: boolean;
  /** Rebuild everything and record the new sha256s (after a deliberate converter change). */
  updateManifest?: boolean;
  log?: (line: string) => void;
}

/** One file of models/: how to make it, and its manifest entry. */
interface Job {
  name: string;
  /** For the log: "converting <this>…". */
  what: string;
  convert(): Promise<{ onnx: Uint8Array; onnxNodes: number; entry: ManifestEntry }>;
}

/** Returns how many models did not reproduce the manifest's sha256. */
export async function buildModelRepository(options: BuildOptions): Promise<number> {
  const log = options.log ?? ((line) => console.log(line));
  const manifest = await readManifest();
  const jobs = [...baseNetworkJobs(options), ...((options.encoders ?? !options.tasks) ? encoderJobs() : [])];

  let failed = 0;
  for (const [index, { name, what, convert }] of jobs.entries()) {
    const file = `${name}/1/model.onnx`;
    const recorded = manifest.models.find((m) => m.name === name);
    const prefix = `[${index + 1}/${jobs.length}] ${name}:`;
    if (recorded && !options.updateManifest && (await fileSha256(file)) === recorded.sha256) {
      log(`${prefix} present, sha256 verified`);
      continue;
    }
    log(`${prefix} converting ${what}…`);
    const started = performance.now();
    const { onnx, onnxNodes, entry } = await convert();
    await writeAtomically(file, onnx);
    await writeAtomically(`${name}/config.pbtxt`, tritonConfig(entry));
    const done = `${prefix} ${((performance.now() - started) / 1000).toFixed(1)} s, ${(onnx.length / 2 ** 20).toFixed(1)} MiB, ${onnxNodes} nodes,`;
    if (!recorded || options.updateManifest) {
      manifest.models = [...manifest.models.filter((m) => m.name !== name), entry];
      log(`${done} sha256 ${entry.sha256.slice(0, 12)} (recorded in manifest)`);
    } else if (recorded.sha256 === entry.sha256) {
      log(`${done} sha256 matches the manifest`);
    } else {
      failed++;
      log(`${done} sha256 ${entry.sha256.slice(0, 12)} DIFFERS from the manifest's ${recorded.sha256.slice(0, 12)}`);
    }
  }
  // Trained refiners are committed, not built: check that each file is the one its manifest entry describes.
  for (const entry of manifest.models.filter((m) => m.role === "refiner")) {
    const digest = await fileSha256(entry.file);
    if (digest === entry.sha256) {
      log(`${entry.name}: committed PTG-RM, sha256 verified`);
    } else {
      failed++;
      log(`${entry.name}: committed PTG-RM ${digest ? `has sha256 ${digest.slice(0, 12)}, the manifest says ${entry.sha256.slice(0, 12)}` : `missing (${entry.file})`}`);
    }
  }
  await writeManifest(manifest);
  return failed;
}

/** MAXIM base networks from their TF.js graph models. */
function baseNetworkJobs(options: BuildOptions): Job[] {
  const precisions: Precision[] = ["fp32", "fp16"];
  return maximModels
    .filter((m) => !options.tasks || options.tasks.includes(m.task))
    .flatMap((source) => options.tiles.flatMap((tile) => precisions.map((precision) => ({ source, tile, precision }))))
    .map(({ source, tile, precision }) => {
      const name = `maxim-${source.task}-${tile}${precision === "fp16" ? "-fp16" : ""}`;
      const packageAtVersion = `${source.packageName}@${packageVersion(source)}`;
      return {
        name,
        what: `${source.packageName} at ${tile}x${tile} ${precision}`,
        async convert() {
          const result = await convertTfjsModel({
            modelDir: `${packageDir(source)}models`,
            height: tile,
            width: tile,
            precision,
            metadata: { source: packageAtVersion, task: source.task, tile: String(tile) },
          });
          const tensor = (tensorName: string) => ({ name: tensorName, datatype: "FP32" as const, shape: [1, tile, tile, 3] });
          const entry: ManifestEntry = {
            name,
            task: source.task,
            role: "base",
            source: packageAtVersion,
            trainedOn: source.dataset,
            precision,
            file: `${name}/1/model.onnx`,
            sha256: sha256(result.onnx),
            bytes: result.onnx.length,
            parameters: result.parameterCount,
            tile: { height: tile, width: tile },
            inputs: [tensor("input")],
            outputs: [tensor("output")],
          };
          return { onnx: result.onnx, onnxNodes: result.onnxNodes, entry };
        },
      };
    });
}

/** Off-the-shelf feature encoders (PTG-RM's OSF) from nsfwjs's Keras layers models, fp32 at their own input size. */
function encoderJobs(): Job[] {
  return encoderSources.map((source) => {
    const packageAtVersion = `nsfwjs@${nsfwjsVersion()}`;
    return {
      name: source.name,
      what: `${packageAtVersion} ${source.bundle} up to ${source.featureLayer}`,
      async convert() {
        const result = convertKerasModel({
          artifacts: await readNsfwjsModel(encoderBundleDir(source)),
          outputLayer: source.featureLayer,
          graphName: source.name,
          // nsfwjs feeds the model pixels / 255 and nothing else, so the input is the image in [0,1] as is.
          metadata: { source: packageAtVersion, role: "encoder", input: "NHWC RGB in [0,1]", features: source.featureLayer },
        });
        const [, height, width] = result.inputShape as [number, number, number];
        const entry: ManifestEntry = {
          name: source.name,
          role: "encoder",
          source: packageAtVersion,
          trainedOn: source.trainedOn,
          precision: "fp32",
          file: `${source.name}/1/model.onnx`,
          sha256: sha256(result.onnx),
          bytes: result.onnx.length,
          parameters: result.parameterCount,
          tile: { height, width },
          inputs: [{ name: "input", datatype: "FP32", shape: result.inputShape }],
          outputs: [{ name: "features", datatype: "FP32", shape: result.outputShape }],
        };
        return { onnx: result.onnx, onnxNodes: result.onnxNodes, entry };
      },
    };
  });
}
