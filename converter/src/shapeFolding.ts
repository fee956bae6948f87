// Evaluates, with TF.js itself (exact TF semantics), every node whose value depends only on the input's
// shape — about half the graph: reshape targets, antialiased resize matrices — at the target input shape, so
// that the converted model holds them as constants. The input shape is fixed, batch included: ONNX Runtime
// needs about 9x longer (83 s instead of 9 s, 64x64 denoising model) to create a session with a symbolic batch.
import * as tf from "@tensorflow/tfjs";
import { loadTfjsGraphModel } from "./reference/loadTfjsModel.js";
import type { ConstTensor, TfDtype, TfGraph, TfNode } from "./tfjsGraph.js";

export type NodeKind = "const" | "value" | "shape";

export interface ShapeFolding {
  /** const: a weight; value: depends on the input's values; shape: depends on the input's shape only. */
  kind: Map<string, NodeKind>;
  /** Value of every shape-only node at the fixed input shape. */
  folded: Map<string, ConstTensor>;
}

export function topologicalOrder(graph: TfGraph): TfNode[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const order: TfNode[] = [];
  for (const root of graph.nodes) {
    // Iterative DFS: the graphs are deep enough to overflow recursion.
    const stack: [TfNode, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      if (done.has(node.name)) {
        stack.pop();
        continue;
      }
      if (next < node.inputs.length) {
        top[1]++;
        const input = byName.get(node.inputs[next]!);
        if (!input) throw new Error(`${node.name} reads unknown node ${node.inputs[next]}`);
        if (!done.has(input.name)) stack.push([input, 0]);
      } else {
        done.add(node.name);
        order.push(node);
        stack.pop();
      }
    }
  }
  return order;
}

export function classifyNodes(graph: TfGraph, order: TfNode[]): Map<string, NodeKind> {
  const kind = new Map<string, NodeKind>();
  for (const node of order) {
    if (node.op === "Const") kind.set(node.name, "const");
    else if (node.op === "Placeholder") kind.set(node.name, "value");
    else if (node.op !== "Shape" && node.inputs.some((i) => kind.get(i) === "value")) kind.set(node.name, "value");
    else kind.set(node.name, "shape");
  }
  return kind;
}

function toConst(t: tf.Tensor): ConstTensor {
  const dtype = t.dtype as TfDtype;
  const values = t.dataSync();
  const data = dtype === "float32" ? Float32Array.from(values) : dtype === "int32" ? Int32Array.from(values) : Uint8Array.from(values);
  return { dtype, shape: [...t.shape], data };
}

export async function foldShapeNodes(modelDir: string, graph: TfGraph, inputShape: number[]): Promise<ShapeFolding> {
  // The CPU backend has every kernel these shape computations use, in plain JS: exact and deterministic.
  await tf.setBackend("cpu");
  const model = await loadTfjsGraphModel(modelDir);

  const order = topologicalOrder(graph);
  const kind = classifyNodes(graph, order);
  const shapeNodes = order.filter((n) => kind.get(n.name) === "shape").map((n) => n.name);

  // Zeros suffice: these nodes read only the input's shape.
  const input = tf.zeros(inputShape);
  const outputs = model.execute({ [graph.inputName]: input }, shapeNodes) as tf.Tensor[];
  const folded = new Map(shapeNodes.map((name, i) => [name, toConst(outputs[i]!)]));
  tf.dispose([input, ...outputs]);
  model.dispose();
  return { kind, folded };
}
