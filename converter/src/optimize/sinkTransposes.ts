// Moves Transpose nodes towards the graph's output through every op that commutes with them, until they meet
// another Transpose and cancel (or merge), or reach an op that needs a layout (Conv, Reshape). A MatMul whose
// left operand arrives transposed is rewritten to contract the untransposed tensor along the right axis, so the
// swapaxes/einsum pairs the TF graphs wrap around token-mixing Dense layers disappear. The TF graphs are NHWC and
// ONNX Conv is NCHW: what remains around each convolution is a transpose pair that onnxruntime's NCHWc layout pass
// folds into its own reorders.
import type { GraphNode } from "../onnxGraphBuilder.js";
import type { GraphEditor } from "./graphEditor.js";
import { product, type Shape } from "./shapeInference.js";

const unary = new Set(["Identity", "Neg", "Exp", "Tanh", "Reciprocal", "Sqrt", "Sigmoid", "LeakyRelu", "Relu", "Gelu", "Erf", "Abs", "Cast"]);
const broadcasting = new Set(["Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Where", "GreaterOrEqual", "Greater", "Less", "Equal"]);

export function permOf(node: GraphNode, rank: number): number[] {
  const perm = node.attrs["perm"];
  return Array.isArray(perm) ? perm : Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

const isIdentity = (perm: number[]) => perm.every((p, i) => p === i);
export const inversePerm = (perm: number[]) => perm.map((_, i) => perm.indexOf(i));
/** Transpose by `first` then by `second` equals one transpose by this. */
export const composePerms = (first: number[], second: number[]) => second.map((i) => first[i]!);

/** Whether transposing `shape` by `perm` keeps the order of its non-1 dimensions (then it is a Reshape). */
function onlyMovesUnitAxes(shape: Shape, perm: number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return moved.every((p, i) => i === 0 || p > moved[i - 1]!);
}

/** A float constant transposed as a tensor of rank `rank` broadcasting against the transposed one. */
function transposeConst(g: GraphEditor, tensor: string, rank: number, perm: number[]): string | undefined {
  const c = g.floatConst(tensor);
  if (!c || c.shape.length > rank) return undefined;
  if (c.data.length === 1) return tensor;
  const shape = [...Array(rank - c.shape.length).fill(1), ...c.shape] as Shape;
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => product(shape.slice(i + 1)));
  const out = new Float32Array(c.data.length);
  const index = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += index[d]! * strides[perm[d]!]!;
    out[o] = c.data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return g.addFloat(`${tensor}_t`, outShape, out);
}

/** A 2-D float constant, transposed. */
function transposed2d(g: GraphEditor, tensor: string): string {
  const c = g.floatConst(tensor)!;
  const [k, n] = c.shape as [number, number];
  const out = new Float32Array(k * n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[j * k + i] = c.data[i * n + j]!;
  return g.addFloat(`${tensor}_T`, [n, k], out);
}

/**
 * x contracted along `axis` with the 2-D constant `weight` [K, N] (its axis K replaced by N in place), given
 * `weightT` = weight transposed [N, K] for the cases that multiply from the left.
 */
function contract(g: GraphEditor, x: string, axis: number, weight: string, weightT: () => string, base: string): string {
  const shape = g.shape(x)!;
  const rank = shape.length;
  if (axis === rank - 1) return g.add("MatMul", [x, weight], base);
  if (axis === rank - 2) return g.add("MatMul", [weightT(), x], base);
  const n = g.floatConst(weight)!.shape[1]!;
  const flat = g.add("Reshape", [x, g.addInts("shape", [product(shape.slice(0, axis)), shape[axis]!, product(shape.slice(axis + 1))])], base);
  const mixed = g.add("MatMul", [weightT(), flat], base);
  return g.add("Reshape", [mixed, g.addInts("shape", shape.map((d, i) => (i === axis ? n : d)))], base);
}

/**
 * Rewrites `consumer`, which reads `y` = Transpose(x, perm), to read x, and returns the tensor that stands for
 * its old output (a Transpose of the new output), or undefined when it cannot.
 */
function sinkInto(g: GraphEditor, consumer: GraphNode, y: string, x: string, perm: number[]): string | undefined {
  const rank = perm.length;
  const out = consumer.outputs[0]!;
  const after = (tensor: string, p = perm) => g.add("Transpose", [tensor], out, { perm: p });
  const op = consumer.opType;
  if (unary.has(op)) {
    return after(g.add(op, [x, ...consumer.inputs.slice(1)], out, consumer.attrs));
  }
  if (broadcasting.has(op)) {
    if (g.shape(out)?.length !== rank) return undefined;
    const inputs: string[] = [];
    for (const input of consumer.inputs) {
      if (input === y) {
        inputs.push(x);
        continue;
      }
      const source = g.producer(input);
      if (source?.opType === "Transpose" && permOf(source, rank).join() === perm.join()) {
        inputs.push(source.inputs[0]!);
        continue;
      }
      const constant = transposeConst(g, input, rank, inversePerm(perm));
      if (!constant) return undefined;
      inputs.push(constant);
    }
    return after(g.add(op, inputs, out, consumer.attrs));
  }
  if (op === "ReduceSum" || op === "ReduceMean") {
    const axes = consumer.inputs[1] ? g.intConst(consumer.inputs[1]) : undefined;
    if (!axes) return undefined;
    const yAxes = axes.map((a) => (a < 0 ? a + rank : a));
    const reduced = g.add(op, [x, g.addInts("axes", yAxes.map((a) => perm[a]!))], out, consumer.attrs);
    if (consumer.attrs["keepdims"] !== 0) return after(reduced);
    const kept = perm.filter((_, d) => !yAxes.includes(d));
    const sorted = [...kept].sort((a, b) => a - b);
    return after(reduced, kept.map((a) => sorted.indexOf(a)));
  }
  if (op === "Slice") {
    const axes = consumer.inputs[3] ? g.intConst(consumer.inputs[3]) : Array.from({ length: g.intConst(consumer.inputs[1]!)!.length }, (_, i) => i);
    if (!axes) return undefined;
    const mapped = g.addInts("axes", axes.map((a) => perm[a < 0 ? a + rank : a]!));
    return after(g.add("Slice", [x, consumer.inputs[1]!, consumer.inputs[2]!, mapped, ...consumer.inputs.slice(4)], out));
  }
  if (op === "LayerNormalization") {
    const axis = consumer.attrs["axis"];
    if ((axis !== -1 && axis !== rank - 1) || perm[rank - 1] !== rank - 1) return undefined;
    return after(g.add(op, [x, ...consumer.inputs.slice(1)], out, consumer.attrs));
  }
  if (op === "MatMul") {
    const [a, w] = consumer.inputs as [string, string];
    const weight = a === y ? w : a;
    const constant = g.floatConst(weight);
    if (!constant || constant.shape.length !== 2 || a === w) return undefined;
    if (a === y) {
      // MatMul(T(x), W) contracts x's axis perm[rank−1].
      return after(contract(g, x, perm[rank - 1]!, weight, () => transposed2d(g, weight), out));
    }
    // MatMul(W, T(x)) contracts x's axis perm[rank−2] with Wᵀ.
    const wT = transposed2d(g, weight);
    return after(contract(g, x, perm[rank - 2]!, wT, () => weight, out));
  }
  return undefined;
}

/** One sweep over the graph's Transposes; returns how many were removed, merged or moved. */
export function sinkTransposes(g: GraphEditor): number {
  let changed = 0;
  for (const t of g.nodes) {
    if (t.opType !== "Transpose" || !g.isAlive(t)) continue;
    const [x] = t.inputs as [string];
    const y = t.outputs[0]!;
    const shape = g.shape(x);
    if (!shape) continue;
    const perm = permOf(t, shape.length);
    const source = g.producer(x);
    if (g.isOutput(y)) continue;
    if (isIdentity(perm)) {
      g.replaceUses(y, x);
      g.remove(t);
    } else if (source?.opType === "Transpose" && g.isAlive(source)) {
      t.inputs = [source.inputs[0]!];
      t.attrs = { perm: composePerms(permOf(source, shape.length), perm) };
    } else if (onlyMovesUnitAxes(shape, perm)) {
      g.replaceUses(y, g.add("Reshape", [x, g.addInts("shape", g.shape(y)!)], y));
      g.remove(t);
    } else {
      const single = g.soleConsumer(y);
      if (!single || !g.isAlive(single) || single.opType === "Transpose" || g.isOutput(single.outputs[0]!)) continue;
      const replacement = sinkInto(g, single, y, x, perm);
      if (!replacement) continue;
      g.replaceUses(single.outputs[0]!, replacement);
      g.remove(single);
    }
    changed++;
  }
  g.reindex();
  return changed;
}

/** Reshape of a Reshape is one Reshape; a Reshape to the same shape is nothing. */
export function simplifyReshapes(g: GraphEditor): number {
  let changed = 0;
  for (const r of g.nodes) {
    if (r.opType !== "Reshape" || !g.isAlive(r)) continue;
    const [x] = r.inputs as [string];
    const inShape = g.shape(x);
    const outShape = g.shape(r.outputs[0]!);
    if (!inShape || !outShape) continue;
    const source = g.producer(x);
    if (g.isOutput(r.outputs[0]!)) continue;
    if (inShape.join() === outShape.join()) {
      g.replaceUses(r.outputs[0]!, x);
      g.remove(r);
      changed++;
    } else if (source?.opType === "Reshape" && g.isAlive(source)) {
      r.inputs = [source.inputs[0]!, g.addInts("shape", outShape)];
      changed++;
    }
  }
  g.reindex();
  return changed;
}
