// Writes the model repository (models/): manifest, atomically written files, Triton configs. Reading it is
// common/src/modelRepository.ts, shared with the endpoint.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { manifestPath, repositoryDir, type Manifest, type ManifestEntry, type TensorSpec } from "../../common/src/modelRepository.js";

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

