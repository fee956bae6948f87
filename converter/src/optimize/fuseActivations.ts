// Activations the TF graphs spell out element by element become single nodes:
//   GELU (tanh form)  0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))   → Gelu(approximate="tanh") (opset 20)
//   sigmoid           1 / (1 + exp(−x))                            → Sigmoid
//   leaky ReLU        where(x ≥ 0, x, α·x)                         → LeakyRelu(α)
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";
import { withScalar } from "./fuseLayerNorm.js";

const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-5 * Math.abs(b);

/** Leaves of a tree of Mul nodes under `tensor` (scalars as numbers), expanding only Muls read by nothing else. */
function productLeaves(g: GraphEditor, tensor: string, root = true): (string | number)[] {
  const node = g.producer(tensor);
  const scalar = g.scalar(tensor);
  if (scalar !== undefined) return [scalar];
  if (node?.opType !== "Mul" || (!root && !g.soleConsumer(tensor))) return [tensor];
  return node.inputs.flatMap((i) => productLeaves(g, i, false));
}

function isProduct(leaves: (string | number)[], tensors: string[], scalar: number): boolean {
  const numbers = leaves.filter((l): l is number => typeof l === "number");
  const names = leaves.filter((l): l is string => typeof l === "string").sort();
  return numbers.length === 1 && close(numbers[0], scalar) && names.join("\n") === [...tensors].sort().join("\n");
}

function fuseGelu(g: GraphEditor, tanh: GraphNode): boolean {
  // tanh(c·(x + k·x³))
  const inner = withScalar(g, g.producer(tanh.inputs[0]!));
  if (!inner || !close(inner[1], Math.sqrt(2 / Math.PI))) return false;
  const sum = g.producer(inner[0]);
  if (sum?.opType !== "Add") return false;
  const [a, b] = sum.inputs as [string, string];
  const x = isProduct(productLeaves(g, b), [a, a, a], 0.044715) ? a : isProduct(productLeaves(g, a), [b, b, b], 0.044715) ? b : undefined;
  if (!x) return false;
  // (1 + tanh) · 0.5 · x
  const onePlus = g.soleConsumer(tanh.outputs[0]!);
  const one = withScalar(g, onePlus);
  if (onePlus?.opType !== "Add" || !one || one[1] !== 1) return false;
  let product = g.soleConsumer(onePlus.outputs[0]!);
  if (product?.opType !== "Mul") return false;
  if (!isProduct(productLeaves(g, product.outputs[0]!), [x, onePlus.outputs[0]!], 0.5)) {
    // 0.5·(1 + tanh) first, then · x
    const outer = g.soleConsumer(product.outputs[0]!);
    if (outer?.opType !== "Mul" || !isProduct(productLeaves(g, outer.outputs[0]!), [x, onePlus.outputs[0]!], 0.5)) return false;
    product = outer;
  }
  if (g.isOutput(product.outputs[0]!)) return false;
  g.b.opset = Math.max(g.b.opset, 20);
  g.replaceUses(product.outputs[0]!, g.add("Gelu", [x], product.outputs[0]!, { approximate: "tanh" }));
  return true;
}

function fuseSigmoid(g: GraphEditor, reciprocal: GraphNode): boolean {
  const onePlus = withScalar(g, g.producer(reciprocal.inputs[0]!));
  const exp = onePlus && onePlus[1] === 1 ? g.producer(onePlus[0]) : undefined;
  const neg = exp?.opType === "Exp" ? g.producer(exp.inputs[0]!) : undefined;
  if (neg?.opType !== "Neg" || g.producer(reciprocal.inputs[0]!)?.opType !== "Add" || g.isOutput(reciprocal.outputs[0]!)) return false;
  g.replaceUses(reciprocal.outputs[0]!, g.add("Sigmoid", [neg.inputs[0]!], reciprocal.outputs[0]!));
  return true;
}

function fuseLeakyRelu(g: GraphEditor, where: GraphNode): boolean {
  const [condition, x, negative] = where.inputs as [string, string, string];
  const compare = g.producer(condition);
  if (compare?.opType !== "GreaterOrEqual" || compare.inputs[0] !== x || g.scalar(compare.inputs[1]!) !== 0) return false;
  const scaled = withScalar(g, g.producer(negative));
  if (!scaled || scaled[0] !== x || g.producer(negative)?.opType !== "Mul" || g.isOutput(where.outputs[0]!)) return false;
  g.replaceUses(where.outputs[0]!, g.add("LeakyRelu", [x], where.outputs[0]!, { alpha: { float: scaled[1] } }));
  return true;
}

export function fuseActivations(g: GraphEditor): { gelu: number; sigmoid: number; leakyRelu: number } {
  const counts = { gelu: 0, sigmoid: 0, leakyRelu: 0 };
  for (const node of g.nodes) {
    if (node.opType === "Tanh" && fuseGelu(g, node)) counts.gelu++;
    else if (node.opType === "Reciprocal" && fuseSigmoid(g, node)) counts.sigmoid++;
    else if (node.opType === "Where" && fuseLeakyRelu(g, node)) counts.leakyRelu++;
  }
  g.reindex();
  return counts;
}
