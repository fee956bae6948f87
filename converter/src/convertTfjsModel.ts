// TF.js graph model → ONNX at a fixed input shape [batch, height, width, 3].
// Input `input` and output `output` are NHWC float32.
import { storeWeightsAsFp16 } from "./fp16Weights.js";
import { quantizeMatMuls } from "./int8MatMuls.js";
import { optimizeGraph, type OptimizeReport } from "./optimize/optimizeGraph.js";
import { foldShapeNodes, topologicalOrder } from "./shapeFolding.js";
import { TfToOnnxEmitter, type Precision } from "./tfOpsToOnnx.js";
import { readTfjsGraph } from "./tfjsGraph.js";

export interface ConvertOptions {
  modelDir: string;
  height: number;
  width: number;
  /** Default 1. */
  batch?: number;
  precision: Precision;
  /**
   * Run the graph optimizer (default). Off gives the op-by-op translation the project served up to pipeline
   * version 4: the baseline `npm run bench:models` compares against.
   */
  optimize?: boolean;
  /** Channel MatMuls as int8 DynamicQuantizeMatMul (converter/src/int8MatMuls.ts): measured, not served. */
  int8MatMuls?: boolean;
  /** Stored in the model's metadata_props. */
  metadata?: Record<string, string>;
  /**
   * Stop at this inner node instead of the graph's output, and average it over height and width: output
   * `features` of shape [batch, channels] (a feature encoder made of the network's first layers).
   */
  pooledNode?: string;
}

export interface ConvertResult {
  onnx: Uint8Array;
  tfNodes: number;
  onnxNodes: number;
  /** Float parameters of the original model (weights read by value ops, not shape arithmetic). */
  parameterCount: number;
  /** What the optimizer did, when it ran. */
  optimized?: OptimizeReport;
}

export async function convertTfjsModel(options: ConvertOptions): Promise<ConvertResult> {
  const shape = [options.batch ?? 1, options.height, options.width, 3];
  const graph = await readTfjsGraph(options.modelDir);
  const folding = await foldShapeNodes(options.modelDir, graph, shape);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));

  // What the output needs, stopping at constants (weights and folded shape arithmetic).
  const needed = new Set<string>();
  const outputNode = options.pooledNode ?? graph.outputName;
  if (!byName.has(outputNode)) throw new Error(`no node ${outputNode} in ${options.modelDir}`);
  const pending = [outputNode];
  while (pending.length) {
    const name = pending.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    if (graph.weights.has(name) || folding.folded.has(name)) continue;
    pending.push(...byName.get(name)!.inputs);
  }

  const e = new TfToOnnxEmitter(graph, folding, options.optimize !== false);
  const input = "input";
  e.b.dtypes.set(input, "float32");
  e.bind(graph.inputName, input);
  for (const node of topologicalOrder(graph)) {
    if (needed.has(node.name) && node.op !== "Placeholder" && !graph.weights.has(node.name) && !folding.folded.has(node.name)) e.emit(node);
  }
  const output = options.pooledNode ? "features" : "output";
  const kept = options.pooledNode ? "pooled_input" : output;
  e.b.node("Identity", [e.ref(outputNode)], [kept]);
  const optimized = options.optimize === false ? undefined : optimizeGraph(e.b, new Map([["input", shape]]), [kept]);
  if (options.pooledNode) {
    // After the optimizer, which may raise the opset: ReduceMean takes its axes as an input from opset 18 on.
    const axes = [1, 2];
    if (e.b.opset >= 18) e.b.node("ReduceMean", [kept, e.int64Const("pool_axes", axes)], [output], { keepdims: 0 });
    else e.b.node("ReduceMean", [kept], [output], { axes, keepdims: 0 });
  }
  if (options.precision === "fp16") storeWeightsAsFp16(e.b);
  if (options.int8MatMuls) quantizeMatMuls(e.b);

  const io = (name: string) => ({ name, dtype: "float32" as const, shape });
  const outputInfo = options.pooledNode ? { name: output, dtype: "float32" as const, shape: [shape[0]!, "channels"] } : io(output);
  const onnx = e.b.toModel("maxim", [io("input")], [outputInfo], options.metadata ?? {});
  let parameterCount = 0;
  for (const [name, w] of graph.weights) {
    if (w.dtype === "float32" && needed.has(name)) parameterCount += w.data.length;
  }
  return { onnx, tfNodes: graph.nodes.length, onnxNodes: e.b.nodes.length, parameterCount, ...(optimized ? { optimized } : {}) };
}
