// Builds models/: the base networks (fp32 and fp16 at each tile size) and the feature encoders, skipping files
// that exist and match the manifest's sha256, and checking that rebuilt files reproduce it.
import * as ort from "onnxruntime-node";
import { convertTfjsModel } from "./convertTfjsModel.js";
import { createCpuSession } from "./onnxRun.js";
import { convertKerasModel } from "./keras/kerasToOnnx.js";
import { readNsfwjsModel } from "./keras/nsfwjsBundle.js";
import { encoderBundleDir, encoderSources, nsfwjsVersion } from "./keras/nsfwjsEncoders.js";
import { maximModels, packageDir, packageVersion, type Task } from "./maximModels.js";
import { readManifest, tileName, type ManifestEntry, type TileShape } from "../../common/src/modelRepository.js";
import { fileSha256, sha256, tritonConfig, writeAtomically, writeManifest } from "./modelRepository.js";
import type { Precision } from "./tfOpsToOnnx.js";

/**
 * The tile shapes the base networks are built at by default: every pair of 256, 384 and 512 (multiples of 128,
 * which MAXIM's grid and block partitions need). The endpoint picks, per image, the shape that computes the
 * fewest pixels (a 1920x1080 photo: 12 tiles of 384x512, 1.14 pixels computed per output pixel, against 45 tiles
 * and 1.42 with 256x256 alone). Weights stored fp16 are built at 256x256 only.
 */
export const defaultTileShapes: TileShape[] = [256, 384, 512].flatMap((height) => [256, 384, 512].map((width) => ({ height, width })));
export const fp16TileShapes: TileShape[] = [{ height: 256, width: 256 }];

export interface BuildOptions {
  /** Tile shapes to build fp32 base networks at (default: defaultTileShapes). */
  tiles?: TileShape[];
  /** Tile shapes to build fp16-weight files at too (default: fp16TileShapes, where also in `tiles`). */
  fp16Tiles?: TileShape[];
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
  const jobs = [...baseNetworkJobs(options), ...((options.encoders ?? !options.tasks) ? [...encoderJobs(), ...restorationEncoderJobs()] : [])];

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
  const tiles = options.tiles ?? defaultTileShapes;
  const fp16 = (options.fp16Tiles ?? fp16TileShapes).filter((f) => tiles.some((t) => t.height === f.height && t.width === f.width));
  const builds = [
    ...tiles.map((tile) => ({ tile, precision: "fp32" as Precision })),
    ...fp16.map((tile) => ({ tile, precision: "fp16" as Precision })),
  ];
  return maximModels
    .filter((m) => !options.tasks || options.tasks.includes(m.task))
    .flatMap((source) => builds.map(({ tile, precision }) => ({ source, tile, precision })))
    .map(({ source, tile, precision }) => {
      const name = `maxim-${source.task}-${tileName(tile)}${precision === "fp16" ? "-fp16" : ""}`;
      const packageAtVersion = `${source.packageName}@${packageVersion(source)}`;
      return {
        name,
        what: `${source.packageName} at ${tile.height}x${tile.width} ${precision}`,
        async convert() {
          const result = await convertTfjsModel({
            modelDir: `${packageDir(source)}models`,
            height: tile.height,
            width: tile.width,
            precision,
            metadata: { source: packageAtVersion, task: source.task, tile: `${tile.height}x${tile.width}` },
          });
          const tensor = (tensorName: string) => ({ name: tensorName, datatype: "FP32" as const, shape: [1, tile.height, tile.width, 3] });
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
            tile: { height: tile.height, width: tile.width },
            inputs: [tensor("input")],
            outputs: [tensor("output")],
          };
          return { onnx: result.onnx, onnxNodes: result.onnxNodes, entry };
        },
      };
    });
}

/**
 * The paper's "-r" prior: features of a restoration network trained elsewhere. Here a task's MAXIM's first stage
 * up to its bottleneck (its last global block, at 1/8 of the input), averaged over the image, on a 256x256 copy of
 * the whole degraded photo. Each is a prior for its own task only (training pairs store it for that task alone).
 */
const maximBottleneck = "StatefulPartitionedCall/jax2tf_apply_/Wrapper/backbone/stage_0_global_block_1/jit_fn_/AddV2";
export const restorationEncoders = [
  { name: "osf-maxim-lowlight", task: "lowlight" as Task, node: maximBottleneck, size: 256 },
  { name: "osf-maxim-derain", task: "derain" as Task, node: maximBottleneck, size: 256 },
];

function restorationEncoderJobs(): Job[] {
  return restorationEncoders.map((spec) => {
    const source = maximModels.find((m) => m.task === spec.task)!;
    const packageAtVersion = `${source.packageName}@${packageVersion(source)}`;
    return {
      name: spec.name,
      what: `${packageAtVersion} up to its stage-0 bottleneck, pooled`,
      async convert() {
        const result = await convertTfjsModel({
          modelDir: `${packageDir(source)}models`,
          height: spec.size,
          width: spec.size,
          precision: "fp32",
          pooledNode: spec.node,
          metadata: { source: packageAtVersion, role: "encoder", input: "NHWC RGB in [0,1]", features: "stage_0_global_block_1, mean over height and width" },
        });
        // The width of the features, from one run (the converter does not track channel counts).
        const session = await createCpuSession(result.onnx, 1);
        const out = await session.run({ input: new ort.Tensor("float32", new Float32Array(spec.size * spec.size * 3), [1, spec.size, spec.size, 3]) });
        const channels = out["features"]!.dims[1]!;
        await session.release();
        const entry: ManifestEntry = {
          name: spec.name,
          role: "encoder",
          source: packageAtVersion,
          trainedOn: source.dataset,
          precision: "fp32",
          file: `${spec.name}/1/model.onnx`,
          sha256: sha256(result.onnx),
          bytes: result.onnx.length,
          parameters: result.parameterCount,
          tile: { height: spec.size, width: spec.size },
          inputs: [{ name: "input", datatype: "FP32", shape: [1, spec.size, spec.size, 3] }],
          outputs: [{ name: "features", datatype: "FP32", shape: [1, channels] }],
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
