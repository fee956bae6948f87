// A channel Dense layer after a spatial contraction (the TF graphs' resizes are dense matrices applied along H
// and along W, followed by a 1x1 convolution) computes the same as the contraction after the Dense layer, since
// they act on different axes: (R·u)·W = R·(u·W). Whichever order costs fewer multiply-adds wins: an upsampling
// resize before a channel reduction otherwise runs on the wide tensor at the high resolution.
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";
import { product } from "./shapeInference.js";

/** For MatMul(R, u) with R a 2-D constant: [R, u]. */
function leftContraction(g: GraphEditor, node: GraphNode | undefined): [string, string] | undefined {
  if (node?.opType !== "MatMul" || !g.isAlive(node)) return undefined;
  const [r, u] = node.inputs as [string, string];
  return g.floatConst(r)?.shape.length === 2 && !g.floatConst(u) ? [r, u] : undefined;
}

function reorder(g: GraphEditor, dense: GraphNode): boolean {
  const [p, w] = dense.inputs as [string, string];
  const weight = g.floatConst(w);
  if (!weight || weight.shape.length !== 2 || g.soleConsumer(p) !== dense || g.isOutput(dense.outputs[0]!)) return false;
  const [cin, cout] = weight.shape as [number, number];
  // p = MatMul(R, u), possibly reshaped so that u's last axis holds [..., cin] flattened.
  let q = p;
  const reshape = g.producer(p)?.opType === "Reshape" ? g.producer(p)! : undefined;
  if (reshape) {
    q = reshape.inputs[0]!;
    if (g.soleConsumer(q) !== reshape) return false;
  }
  const contraction = leftContraction(g, g.producer(q));
  const [qShape, pShape] = [g.shape(q), g.shape(p)];
  if (!contraction || !qShape || !pShape) return false;
  const [r, u] = contraction;
  const uShape = g.shape(u)!;
  const last = qShape[qShape.length - 1]!;
  // The reshape may only split q's last axis into [..., cin] (leading axes unchanged).
  if (last % cin !== 0 || pShape[pShape.length - 1] !== cin) return false;
  if (reshape && product(pShape.slice(0, -1)) !== product(qShape.slice(0, -1)) * (last / cin)) return false;
  if (reshape && pShape.slice(0, qShape.length - 1).join() !== qShape.slice(0, -1).join()) return false;
  const [rOut, rIn] = g.floatConst(r)!.shape as [number, number];
  const rest = product(uShape) / rIn / cin; // everything but the contracted axis and the channels
  const before = rOut * rIn * rest * cin + rOut * rest * cin * cout;
  const after = rIn * rest * cin * cout + rOut * rIn * rest * cout;
  if (after >= before) return false;
  const out = dense.outputs[0]!;
  const channelsLast = (shape: number[], channels: number) => [...shape.slice(0, -1), last / cin, channels];
  const split = g.add("Reshape", [u, g.addInts("shape", channelsLast(uShape, cin))], out);
  const mixed = g.add("MatMul", [split, w], out);
  const merged = g.add("Reshape", [mixed, g.addInts("shape", [...uShape.slice(0, -1), (last / cin) * cout])], out);
  const contracted = g.add("MatMul", [r, merged], out);
  g.replaceUses(out, g.add("Reshape", [contracted, g.addInts("shape", [...pShape.slice(0, -1), cout])], out));
  g.remove(dense);
  return true;
}

export function reorderContractions(g: GraphEditor): number {
  let reordered = 0;
  for (const node of g.nodes) if (node.opType === "MatMul" && g.isAlive(node) && reorder(g, node)) reordered++;
  g.reindex();
  return reordered;
}
