// Reads a TF.js graph model (model.json + weight shards) from disk into plain data: the GraphDef nodes and
// every weight as a typed array. No TensorFlow code runs here.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export type TfDtype = "float32" | "int32" | "bool";

export interface TfAttrValue {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: unknown;
  list?: { i?: string[]; s?: string[]; f?: number[]; type?: string[] };
}

export interface TfNode {
  name: string;
  op: string;
  /** Data inputs as node names (output index 0 only; control inputs dropped). */
  inputs: string[];
  attr: Record<string, TfAttrValue>;
}

export interface ConstTensor {
  dtype: TfDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

export interface TfGraph {
  nodes: TfNode[];
  /** Const node name → value. */
  weights: Map<string, ConstTensor>;
  inputName: string;
  outputName: string;
}

interface ModelJson {
  modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttrValue> }[] };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
  signature?: { inputs?: Record<string, { name: string }>; outputs?: Record<string, { name: string }> };
}

function inputNodeName(input: string): string | undefined {
  if (input.startsWith("^")) return undefined;
  const [name, index] = input.split(":");
  if (index !== undefined && index !== "0") throw new Error(`output index ${index} of ${name} is not supported`);
  return name!;
}

export function attrString(node: TfNode, name: string): string | undefined {
  const s = node.attr[name]?.s;
  return s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8");
}

export function attrInt(node: TfNode, name: string, fallback = 0): number {
  const i = node.attr[name]?.i;
  return i === undefined ? fallback : Number(i);
}

export function attrInts(node: TfNode, name: string): number[] {
  return (node.attr[name]?.list?.i ?? []).map(Number);
}

export async function readTfjsGraph(modelDir: string): Promise<TfGraph> {
  const model = JSON.parse(await readFile(join(modelDir, "model.json"), "utf8")) as ModelJson;
  const weights = new Map<string, ConstTensor>();
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(modelDir, p))));
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.quantization) throw new Error(`quantized weight ${spec.name} is not supported`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const bytes = buffer.subarray(offset, offset + count * (spec.dtype === "bool" ? 1 : 4));
      offset += bytes.length;
      // Copy into an aligned buffer of its own.
      const own = new Uint8Array(bytes).buffer;
      const data =
        spec.dtype === "float32" ? new Float32Array(own) : spec.dtype === "int32" ? new Int32Array(own) : spec.dtype === "bool" ? new Uint8Array(own) : undefined;
      if (!data) throw new Error(`weight ${spec.name} has unsupported dtype ${spec.dtype}`);
      weights.set(spec.name, { dtype: spec.dtype as TfDtype, shape: spec.shape, data });
    }
    if (offset !== buffer.length) throw new Error(`weights of ${modelDir} use ${offset} of ${buffer.length} bytes`);
  }
  const nodes = model.modelTopology.node.map((n) => ({
    name: n.name,
    op: n.op,
    inputs: (n.input ?? []).flatMap((i) => inputNodeName(i) ?? []),
    attr: n.attr ?? {},
  }));
  const placeholders = nodes.filter((n) => n.op === "Placeholder");
  if (placeholders.length !== 1) throw new Error(`expected one input, found ${placeholders.length}`);
  const outputs = Object.values(model.signature?.outputs ?? {});
  if (outputs.length !== 1) throw new Error(`expected one output, found ${outputs.length}`);
  return { nodes, weights, inputName: placeholders[0]!.name, outputName: inputNodeName(outputs[0]!.name)! };
}
