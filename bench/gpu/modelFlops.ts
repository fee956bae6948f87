// The arithmetic work of an ONNX model: floating-point operations (a multiply-add counts 2) of its Conv,
// ConvTranspose, MatMul and Gemm nodes, read from an onnxruntime profile of one run, which records every node's
// input and output shapes (constant inputs it may leave out are read from the model's initializers).
// Elementwise and normalisation ops are left out: they are a small share of the
// operations (though not of the memory traffic). Used to say what fraction of a card's peak a network reaches.
import { readFile } from "node:fs/promises";
import onnxProto from "onnx-proto";
import type * as ort from "onnxruntime-node";
import { profiledRun, type ProfileEvent } from "../onnxProfile.js";

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** Operations of one node given its input and output shapes (ONNX layouts); 0 for ops not counted. */
export function nodeFlops(op: string, inputs: number[][], outputs: number[][]): number {
  const out = outputs[0];
  if (!out) return 0;
  switch (op) {
    case "Conv": {
      // W is [Cout, Cin/group, kh, kw]: each output element takes Cin/group * kh * kw multiply-adds.
      const w = inputs[1]!;
      return 2 * product(out) * product(w.slice(1));
    }
    case "ConvTranspose": {
      // W is [Cin, Cout/group, kh, kw]: each input element is spread over Cout/group * kh * kw outputs.
      const w = inputs[1]!;
      return 2 * product(inputs[0]!) * product(w.slice(1));
    }
    case "MatMul": {
      const a = inputs[0]!;
      return 2 * product(out) * a[a.length - 1]!;
    }
    case "Gemm":
      return 2 * product(out) * (product(inputs[0]!) / out[0]!);
    default:
      return 0;
  }
}

export interface ModelFlops {
  total: number;
  byOp: Record<string, number>;
}

/**
 * Sums nodeFlops over the node events of an onnxruntime profile (the JSON array it writes). The profile leaves
 * out the shapes of some constant inputs (MatMul's and ConvTranspose's weights); `constantShapes` gives them
 * per node name: the shape of each input that is an initializer, else undefined.
 */
export function flopsFromProfile(events: ProfileEvent[], constantShapes = new Map<string, (number[] | undefined)[]>()): ModelFlops {
  const byOp: Record<string, number> = {};
  for (const e of events) {
    const op = e.args?.op_name;
    if (e.cat !== "Node" || !op || !e.args?.input_type_shape) continue;
    const shapes = (list: Record<string, number[]>[] | undefined) => (list ?? []).map((s) => Object.values(s)[0] ?? []);
    const inputs = shapes(e.args.input_type_shape);
    const constants = constantShapes.get(e.name?.replace(/_kernel_time$/, "") ?? "") ?? [];
    if (inputs.length < constants.length) constants.forEach((shape, i) => shape && inputs.splice(i, 0, shape));
    const flops = nodeFlops(op, inputs, shapes(e.args.output_type_shape));
    if (flops) byOp[op] = (byOp[op] ?? 0) + flops;
  }
  return { total: Object.values(byOp).reduce((a, b) => a + b, 0), byOp };
}

/**
 * Per node name, the shape of each input that is a constant: an initializer, or one passed through Cast or
 * Identity (fp16 models store weights in fp16 and cast them), else undefined.
 */
export function initializerShapes(model: Uint8Array): Map<string, (number[] | undefined)[]> {
  const graph = onnxProto.onnx.ModelProto.decode(model).graph!;
  const dims = new Map((graph.initializer ?? []).map((t) => [t.name!, (t.dims ?? []).map(Number)]));
  for (const n of graph.node ?? []) {
    const source = dims.get(n.input?.[0] ?? "");
    if ((n.opType === "Cast" || n.opType === "Identity") && source) dims.set(n.output![0]!, source);
  }
  return new Map((graph.node ?? []).map((n) => [n.name ?? "", (n.input ?? []).map((i) => dims.get(i))]));
}

/** Runs the model once on the CPU with profiling on and counts the operations of that run. */
export async function profileModelFlops(modelPathOrBytes: string | Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ModelFlops> {
  const model = typeof modelPathOrBytes === "string" ? new Uint8Array(await readFile(modelPathOrBytes)) : modelPathOrBytes;
  const events = await profiledRun(model, feeds, { executionProviders: ["cpu"] });
  return flopsFromProfile(events, initializerShapes(model));
}
