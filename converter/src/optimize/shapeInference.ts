// Static shapes of every tensor in a graph whose input shapes are fixed (the converter fixes them), for the ops
// the converter and its optimizer emit. A tensor whose shape cannot be worked out is left out of the result, and
// passes leave the nodes that read it alone.
import type { GraphNode } from "../onnxGraphBuilder.js";

export type Shape = number[];

/** Constant integer tensors a shape depends on (Reshape targets, Slice bounds, axes), by name. */
export type IntConstants = (name: string) => number[] | undefined;

const elementwise = new Set([
  "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Where", "GreaterOrEqual", "Greater", "Less", "LessOrEqual", "Equal", "And", "Or",
]);
const unary = new Set([
  "Identity", "Neg", "Exp", "Tanh", "Reciprocal", "Sqrt", "Sigmoid", "LeakyRelu", "Relu", "Gelu", "FastGelu", "Cast", "Clip", "Erf", "Abs",
  "LayerNormalization", "Softmax", "BiasGelu",
]);

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Numpy broadcasting of two shapes, or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function attrInts(node: GraphNode, name: string): number[] | undefined {
  const v = node.attrs[name];
  return Array.isArray(v) ? v : undefined;
}

function attrInt(node: GraphNode, name: string, fallback: number): number {
  const v = node.attrs[name];
  return typeof v === "number" ? v : fallback;
}

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

function reshapeTarget(input: Shape, target: number[], allowZero: boolean): Shape | undefined {
  const out = target.map((d, i) => (d === 0 && !allowZero ? input[i]! : d));
  const known = product(out.filter((d) => d !== -1));
  const minus = out.indexOf(-1);
  if (minus >= 0) out[minus] = product(input) / known;
  return product(out) === product(input) ? out : undefined;
}

/** Kernel, strides, dilations and pads of a Conv or ConvTranspose with `spatial` spatial axes (ONNX defaults). */
function convAttrs(node: GraphNode, w: Shape, spatial: number) {
  return {
    kernel: attrInts(node, "kernel_shape") ?? w.slice(2),
    strides: attrInts(node, "strides") ?? Array<number>(spatial).fill(1),
    dilations: attrInts(node, "dilations") ?? Array<number>(spatial).fill(1),
    pads: attrInts(node, "pads") ?? Array<number>(2 * spatial).fill(0),
  };
}

function convOutput(node: GraphNode, x: Shape, w: Shape): Shape {
  const spatial = x.length - 2;
  const { kernel, strides, dilations, pads } = convAttrs(node, w, spatial);
  const autoPad = node.attrs["auto_pad"];
  const out = [x[0]!, w[0]!];
  for (let i = 0; i < spatial; i++) {
    const size = x[2 + i]!;
    if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") out.push(Math.ceil(size / strides[i]!));
    else out.push(Math.floor((size + pads[i]! + pads[i + spatial]! - dilations[i]! * (kernel[i]! - 1) - 1) / strides[i]!) + 1);
  }
  return out;
}

function convTransposeOutput(node: GraphNode, x: Shape, w: Shape): Shape {
  const spatial = x.length - 2;
  const { kernel, strides, dilations, pads } = convAttrs(node, w, spatial);
  const outputPadding = attrInts(node, "output_padding") ?? Array<number>(spatial).fill(0);
  const out = [x[0]!, w[1]! * attrInt(node, "group", 1)];
  for (let i = 0; i < spatial; i++) {
    out.push(strides[i]! * (x[2 + i]! - 1) + outputPadding[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - pads[i]! - pads[i + spatial]!);
  }
  return out;
}

function matMulOutput(a: Shape, b: Shape): Shape | undefined {
  if (a.length < 2 || b.length < 2) return undefined; // the converter never multiplies vectors
  if (a[a.length - 1] !== b[b.length - 2]) return undefined;
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  return batch && [...batch, a[a.length - 2]!, b[b.length - 1]!];
}

function sliceOutput(x: Shape, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): Shape {
  const out = [...x];
  starts.forEach((s, i) => {
    const axis = normAxis(axes?.[i] ?? i, x.length);
    const size = x[axis]!;
    const step = steps?.[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + size : v, lo), hi);
    const begin = step > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
    const end = step > 0 ? clamp(ends[i]!, 0, size) : clamp(ends[i]!, -1, size - 1);
    out[axis] = Math.max(0, Math.ceil((end - begin) / step));
  });
  return out;
}

/** The output shapes of one node given its input shapes, or undefined when unknown. */
export function nodeOutputShape(node: GraphNode, shapes: (Shape | undefined)[], ints: IntConstants): Shape | undefined {
  const [x, y] = shapes;
  const op = node.opType;
  if (unary.has(op)) return x;
  if (elementwise.has(op)) {
    if (shapes.some((s) => !s)) return undefined;
    return (shapes as Shape[]).reduce<Shape | undefined>((acc, s) => acc && broadcastShapes(acc, s), []);
  }
  if (!x) return undefined;
  switch (op) {
    case "Transpose": {
      const perm = attrInts(node, "perm") ?? x.map((_, i) => x.length - 1 - i);
      return perm.map((p) => x[p]!);
    }
    case "Reshape": {
      const target = ints(node.inputs[1]!);
      return target && reshapeTarget(x, target, attrInt(node, "allowzero", 0) === 1);
    }
    case "MatMul":
      return y && matMulOutput(x, y);
    case "Gemm": {
      if (!y) return undefined;
      const m = attrInt(node, "transA", 0) ? x[1]! : x[0]!;
      const n = attrInt(node, "transB", 0) ? y[0]! : y[1]!;
      return [m, n];
    }
    case "Conv":
      return y && convOutput(node, x, y);
    case "ConvTranspose":
      return y && convTransposeOutput(node, x, y);
    case "ReduceSum":
    case "ReduceMean": {
      const axes = (node.inputs[1] ? ints(node.inputs[1]) : attrInts(node, "axes"))?.map((a) => normAxis(a, x.length));
      if (!axes) return undefined;
      const keep = attrInt(node, "keepdims", 1) === 1;
      return x.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
    }
    case "Concat": {
      if (shapes.some((s) => !s)) return undefined;
      const axis = normAxis(attrInt(node, "axis", 0), x.length);
      const out = [...x];
      out[axis] = (shapes as Shape[]).reduce((sum, s) => sum + s[axis]!, 0);
      return out;
    }
    case "Slice": {
      const [starts, ends] = [ints(node.inputs[1]!), ints(node.inputs[2]!)];
      if (!starts || !ends) return undefined;
      const axes = node.inputs[3] ? ints(node.inputs[3]) : undefined;
      const steps = node.inputs[4] ? ints(node.inputs[4]) : undefined;
      return sliceOutput(x, starts, ends, axes, steps);
    }
    case "Gather": {
      if (!y) return undefined;
      const axis = normAxis(attrInt(node, "axis", 0), x.length);
      return [...x.slice(0, axis), ...y, ...x.slice(axis + 1)];
    }
    case "Expand": {
      const target = ints(node.inputs[1]!);
      return target && broadcastShapes(x, target);
    }
    case "DepthToSpace": {
      const b = attrInt(node, "blocksize", 1);
      return [x[0]!, x[1]! / (b * b), x[2]! * b, x[3]! * b];
    }
    default:
      return undefined;
  }
}

/** Shapes of the graph's inputs, initializers and every node output that can be inferred. */
export function inferShapes(nodes: readonly GraphNode[], known: Map<string, Shape>, ints: IntConstants): Map<string, Shape> {
  const shapes = new Map(known);
  for (const node of nodes) {
    const shape = nodeOutputShape(
      node,
      node.inputs.map((i) => (i === "" ? undefined : shapes.get(i))),
      ints,
    );
    if (shape) shapes.set(node.outputs[0]!, shape);
  }
  return shapes;
}
