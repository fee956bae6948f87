// Folds constant element-wise work into the nodes around it:
//   Conv(x) + per-channel constant            → Conv(x) with that bias (ConvTranspose too)
//   (x + c1) + c2, where the sum fits x's shape → x + (c1 + c2)
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";

function constOperand(g: GraphEditor, node: GraphNode): [string, string] | undefined {
  const [a, b] = node.inputs as [string, string];
  if (g.floatConst(b) && !g.floatConst(a)) return [a, b];
  if (g.floatConst(a) && !g.floatConst(b)) return [b, a];
  return undefined;
}

function foldConvBias(g: GraphEditor, add: GraphNode): boolean {
  const operands = constOperand(g, add);
  if (!operands) return false;
  const [y, c] = operands;
  const conv = g.producer(y);
  if ((conv?.opType !== "Conv" && conv?.opType !== "ConvTranspose") || !g.isAlive(conv) || g.soleConsumer(y) !== add) return false;
  const outShape = g.shape(y);
  const bias = g.floatConst(c)!;
  const channels = outShape?.[1];
  if (!outShape || bias.data.length !== channels) return false;
  // The constant must vary along the channel axis only (shape [C,1,1] or [1,C,1,1]).
  const aligned = [...Array(outShape.length - bias.shape.length).fill(1), ...bias.shape];
  if (aligned.some((d, i) => (i === 1 ? d !== channels : d !== 1))) return false;
  const existing = conv.inputs[2] ? g.floatConst(conv.inputs[2]) : undefined;
  if (conv.inputs[2] && !existing) return false;
  const sum = new Float32Array(channels);
  for (let i = 0; i < channels; i++) sum[i] = bias.data[i]! + (existing?.data[i] ?? 0);
  const folded = g.add(conv.opType, [conv.inputs[0]!, conv.inputs[1]!, g.addFloat(`${conv.outputs[0]}_bias`, [channels], sum)], add.outputs[0]!, conv.attrs);
  g.replaceUses(add.outputs[0]!, folded);
  g.remove(add);
  g.remove(conv);
  return true;
}

function mergeConstantAdds(g: GraphEditor, outer: GraphNode): boolean {
  const operands = constOperand(g, outer);
  if (!operands) return false;
  const [inner, c2] = operands;
  const first = g.producer(inner);
  if (first?.opType !== "Add" || !g.isAlive(first) || g.soleConsumer(inner) !== outer) return false;
  const innerOperands = constOperand(g, first);
  if (!innerOperands) return false;
  const [x, c1] = innerOperands;
  const [a, b] = [g.floatConst(c1)!, g.floatConst(c2)!];
  let shape: number[];
  let data: Float32Array;
  if (b.data.length === 1) [shape, data] = [a.shape, a.data.map((v) => v + b.data[0]!)];
  else if (a.data.length === 1) [shape, data] = [b.shape, b.data.map((v) => v + a.data[0]!)];
  else if (a.shape.join() === b.shape.join()) [shape, data] = [a.shape, a.data.map((v, i) => v + b.data[i]!)];
  else return false;
  if (g.shape(outer.outputs[0]!)?.join() !== g.shape(x)?.join()) return false;
  const merged = g.add("Add", [x, g.addFloat(`${c1}_plus`, shape, data)], outer.outputs[0]!);
  g.replaceUses(outer.outputs[0]!, merged);
  g.remove(outer);
  g.remove(first);
  return true;
}

export function foldConstants(g: GraphEditor): number {
  let folded = 0;
  for (const node of g.nodes) {
    if (node.opType !== "Add" || !g.isAlive(node) || g.isOutput(node.outputs[0]!)) continue;
    if (foldConvBias(g, node) || mergeConstantAdds(g, node)) folded++;
  }
  g.reindex();
  return folded;
}
