// A tensor that is only ever read in channel slices (the TF graphs split a Dense layer's output into halves:
// gating's u and v, the two heads of a multi-axis block) need not be made whole and then copied apart. Slices on
// the last axis move up through channel-wise ops (element-wise with per-channel constants, activations) one level
// per sweep, and stop at the MatMul that made the channels, which then computes each slice from its own
// columns of the weight: the same arithmetic, no copies.
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";

const unary = new Set(["Identity", "Neg", "Exp", "Tanh", "Reciprocal", "Sqrt", "Sigmoid", "LeakyRelu", "Relu", "Gelu", "Erf", "Abs"]);
const binary = new Set(["Add", "Sub", "Mul", "Div"]);

interface ChannelSlice {
  node: GraphNode;
  begin: number;
  end: number;
}

/** A Slice taking channels [begin, end) of the last axis with step 1, or undefined. */
function channelSlice(g: GraphEditor, node: GraphNode, rank: number, channels: number): ChannelSlice | undefined {
  if (node.opType !== "Slice") return undefined;
  const [starts, ends] = [g.intConst(node.inputs[1]!), g.intConst(node.inputs[2]!)];
  const axes = node.inputs[3] ? g.intConst(node.inputs[3]) : starts?.map((_, i) => i);
  const steps = node.inputs[4] ? g.intConst(node.inputs[4]) : starts?.map(() => 1);
  if (!starts || !ends || !axes || !steps || steps.some((s) => s !== 1)) return undefined;
  let range: [number, number] = [0, channels];
  const shape = g.shape(node.inputs[0]!)!;
  for (let i = 0; i < axes.length; i++) {
    const axis = axes[i]! < 0 ? axes[i]! + rank : axes[i]!;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + shape[axis]! : v, 0), shape[axis]!);
    const [b, e] = [clamp(starts[i]!), clamp(ends[i]!)];
    if (axis === rank - 1) range = [b, e];
    else if (b !== 0 || e !== shape[axis]) return undefined; // slices another axis too
  }
  return range[1] > range[0] ? { node, begin: range[0], end: range[1] } : undefined;
}

/** Columns [begin, end) of a constant's last axis (a constant broadcast along it is returned as is). */
function sliceConstant(g: GraphEditor, tensor: string, begin: number, end: number, channels: number): string | undefined {
  const c = g.floatConst(tensor);
  if (!c) return undefined;
  const last = c.shape[c.shape.length - 1] ?? 1;
  if (last === 1) return tensor;
  if (last !== channels) return undefined;
  const rows = c.data.length / channels;
  const out = new Float32Array(rows * (end - begin));
  for (let r = 0; r < rows; r++) out.set(c.data.subarray(r * channels + begin, r * channels + end), r * (end - begin));
  return g.addFloat(`${tensor}_cols`, [...c.shape.slice(0, -1), end - begin], out);
}

function sliceOf(g: GraphEditor, tensor: string, begin: number, end: number, rank: number, base: string): string {
  return g.add("Slice", [tensor, g.addInts("starts", [begin]), g.addInts("ends", [end]), g.addInts("axes", [rank - 1])], base);
}

/** The node that computes channels [begin, end) of `producer`'s output, or undefined when it cannot. */
function hoisted(g: GraphEditor, producer: GraphNode, begin: number, end: number, rank: number, channels: number, base: string): string | undefined {
  const op = producer.opType;
  if (unary.has(op)) return g.add(op, [sliceOf(g, producer.inputs[0]!, begin, end, rank, base), ...producer.inputs.slice(1)], base, producer.attrs);
  if (binary.has(op)) {
    const inputs: string[] = [];
    for (const input of producer.inputs) {
      if (g.floatConst(input)) {
        const part = sliceConstant(g, input, begin, end, channels);
        if (!part) return undefined;
        inputs.push(part);
      } else {
        const shape = g.shape(input);
        if (shape?.length !== rank || shape[rank - 1] !== channels) return undefined;
        inputs.push(sliceOf(g, input, begin, end, rank, base));
      }
    }
    return g.add(op, inputs, base, producer.attrs);
  }
  if (op === "MatMul") {
    const weight = g.floatConst(producer.inputs[1]!);
    if (!weight || weight.shape.length !== 2 || g.floatConst(producer.inputs[0]!)) return undefined;
    return g.add("MatMul", [producer.inputs[0]!, sliceConstant(g, producer.inputs[1]!, begin, end, channels)!], base);
  }
  return undefined;
}

function canHoist(g: GraphEditor, producer: GraphNode, rank: number, channels: number): boolean {
  const op = producer.opType;
  if (unary.has(op)) return true;
  if (op === "MatMul") return g.floatConst(producer.inputs[1]!)?.shape.length === 2 && !g.floatConst(producer.inputs[0]!);
  if (!binary.has(op)) return false;
  return producer.inputs.every((input) => {
    const c = g.floatConst(input);
    if (c) return [1, channels].includes(c.shape[c.shape.length - 1] ?? 1);
    const shape = g.shape(input);
    return shape?.length === rank && shape[rank - 1] === channels;
  });
}

export function hoistSlices(g: GraphEditor): number {
  let hoistedCount = 0;
  for (const producer of g.nodes) {
    if (!g.isAlive(producer) || producer.outputs.length !== 1) continue;
    const t = producer.outputs[0]!;
    const shape = g.shape(t);
    const readers = g.consumers(t);
    if (!shape || !readers.length || g.isOutput(t) || readers.some((r) => !g.isAlive(r) || g.isOutput(r.outputs[0]!))) continue;
    const rank = shape.length;
    const channels = shape[rank - 1]!;
    const slices = readers.map((r) => channelSlice(g, r, rank, channels));
    if (slices.some((s) => !s) || !canHoist(g, producer, rank, channels)) continue;
    for (const slice of slices as ChannelSlice[]) {
      const out = slice.node.outputs[0]!;
      g.replaceUses(out, hoisted(g, producer, slice.begin, slice.end, rank, channels, out)!);
      g.remove(slice.node);
    }
    g.remove(producer);
    hoistedCount++;
  }
  g.reindex();
  return hoistedCount;
}
