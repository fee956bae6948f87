// Layer normalisation over the last axis, which the TF graphs spell out in about 16 element-wise nodes (mean and
// mean of squares by ReduceSum, variance as E[x²] − E[x]² clamped at 0, Rsqrt, scale, shift), becomes one
// opset-17 LayerNormalization node.
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";

const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** The node producing `tensor` if it is `op`, looking through Reshapes that only drop or add size-1 axes. */
function producerOp(g: GraphEditor, tensor: string, op: string): GraphNode | undefined {
  let node = g.producer(tensor);
  while (node?.opType === "Reshape" && sameElements(g.shape(node.inputs[0]!), g.shape(node.outputs[0]!))) node = g.producer(node.inputs[0]!);
  return node?.opType === op ? node : undefined;
}

function sameElements(a: number[] | undefined, b: number[] | undefined): boolean {
  return !!a && !!b && a.filter((d) => d !== 1).join() === b.filter((d) => d !== 1).join();
}

/** For a binary node with a scalar constant operand: [the other operand, the scalar]. */
export function withScalar(g: GraphEditor, node: GraphNode | undefined): [string, number] | undefined {
  if (!node || node.inputs.length !== 2) return undefined;
  const [a, b] = node.inputs as [string, string];
  const sb = g.scalar(b);
  if (sb !== undefined) return [a, sb];
  const sa = g.scalar(a);
  return sa === undefined ? undefined : [b, sa];
}

/** The tensor whose mean over its last axis `tensor` is (Mul(ReduceSum(x, last), 1/C)), or undefined. */
function meanSource(g: GraphEditor, tensor: string): string | undefined {
  const mul = producerOp(g, tensor, "Mul");
  const scaled = withScalar(g, mul);
  if (!scaled) return undefined;
  const sum = producerOp(g, scaled[0], "ReduceSum");
  const x = sum?.inputs[0];
  const shape = x && g.shape(x);
  const axes = sum?.inputs[1] && g.intConst(sum.inputs[1]);
  if (!shape || !axes || axes.length !== 1 || (axes[0] !== shape.length - 1 && axes[0] !== -1)) return undefined;
  return close(scaled[1], 1 / shape[shape.length - 1]!) ? x : undefined;
}

/** For Mul(a, b): the operand that is not `known`. */
function otherOperand(node: GraphNode, known: string): string | undefined {
  if (node.inputs.length !== 2) return undefined;
  if (node.inputs[0] === known) return node.inputs[1];
  if (node.inputs[1] === known) return node.inputs[0];
  return undefined;
}

/** A constant that varies only along the last axis (length C), flattened to [C]. */
function channelVector(g: GraphEditor, tensor: string, channels: number): Float32Array | undefined {
  const c = g.floatConst(tensor);
  if (!c) return undefined;
  if (c.data.length === channels && c.shape[c.shape.length - 1] === channels) return c.data;
  if (c.data.length === 1) return new Float32Array(channels).fill(c.data[0]!);
  return undefined;
}

export function fuseLayerNorms(g: GraphEditor): number {
  let fused = 0;
  for (const centered of g.nodes) {
    if (centered.opType !== "Sub" || !g.isAlive(centered)) continue;
    const [x, meanTensor] = centered.inputs as [string, string];
    const shape = g.shape(x);
    if (!shape || meanSource(g, meanTensor) !== x) continue;
    const channels = shape[shape.length - 1]!;
    // centered · (rsqrt(var + eps) · scale)
    const normalized = g.soleConsumer(centered.outputs[0]!);
    if (normalized?.opType !== "Mul") continue;
    const factor = otherOperand(normalized, centered.outputs[0]!)!;
    let rsqrt = factor;
    let scale: Float32Array | undefined = new Float32Array(channels).fill(1);
    const scaled = producerOp(g, factor, "Mul");
    if (scaled) {
      const [a, b] = scaled.inputs as [string, string];
      const [r, s] = g.floatConst(b) ? [a, b] : [b, a];
      rsqrt = r;
      scale = channelVector(g, s, channels);
    }
    const reciprocal = producerOp(g, rsqrt, "Reciprocal");
    const sqrt = reciprocal && producerOp(g, reciprocal.inputs[0]!, "Sqrt");
    const addEps = sqrt && withScalar(g, producerOp(g, sqrt.inputs[0]!, "Add"));
    if (!scale || !addEps) continue;
    const [varianceTensor, epsilon] = addEps;
    // variance = max(0, E[x²] − E[x]²)
    const clamp = withScalar(g, producerOp(g, varianceTensor, "Max"));
    const difference = producerOp(g, clamp && clamp[1] === 0 ? clamp[0] : varianceTensor, "Sub");
    if (!difference) continue;
    const square = producerOp(g, meanSource(g, difference.inputs[0]!) ?? "", "Mul");
    const meanSquared = producerOp(g, difference.inputs[1]!, "Mul");
    if (!square || square.inputs[0] !== x || square.inputs[1] !== x) continue;
    if (!meanSquared || meanSquared.inputs[0] !== meanSquared.inputs[1] || meanSource(g, meanSquared.inputs[0]!) !== x) continue;
    // Optional shift: + bias.
    let output = normalized.outputs[0]!;
    let bias: Float32Array | undefined;
    const shift = g.soleConsumer(output);
    if (shift?.opType === "Add") {
      const other = otherOperand(shift, output)!;
      bias = channelVector(g, other, channels);
      if (bias) output = shift.outputs[0]!;
    }
    if (g.isOutput(output)) continue;
    const inputs = [x, g.addFloat("ln_scale", [channels], scale)];
    if (bias) inputs.push(g.addFloat("ln_bias", [channels], bias));
    const fusedOut = g.add("LayerNormalization", inputs, output, { axis: -1, epsilon: { float: epsilon } });
    g.replaceUses(output, fusedOut);
    fused++;
  }
  g.reindex();
  return fused;
}
