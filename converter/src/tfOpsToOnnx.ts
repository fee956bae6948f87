// Translates TensorFlow GraphDef ops (as found in the MAXIM TF.js graphs) into ONNX opset 17 nodes.
// TF tensors are NHWC; ONNX Conv wants NCHW, so convolutions are wrapped in transposes (ONNX Runtime's
// transpose optimizer cancels the adjacent pairs).
import { OnnxGraphBuilder } from "./onnxGraphBuilder.js";
import type { ShapeFolding } from "./shapeFolding.js";
import { attrInt, attrInts, attrString, type ConstTensor, type TfGraph, type TfNode } from "./tfjsGraph.js";

/** fp32, or fp32 arithmetic with weights stored fp16 (see fp16Weights.ts). */
export type { Precision } from "../../common/src/modelRepository.js";
import type { Precision } from "../../common/src/modelRepository.js";

const raw = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

export class TfToOnnxEmitter {
  readonly b = new OnnxGraphBuilder();
  readonly #emitted = new Map<string, string>();

  constructor(
    readonly graph: TfGraph,
    readonly folding: ShapeFolding,
    /** Emit 1x1 convolutions as MatMuls (the optimized layout); off: as NCHW Convs, as the baseline did. */
    readonly pointwiseAsMatMul = true,
  ) {}

  /** The constant value of a TF node (a weight or a folded shape-only node), or undefined. */
  constValue(name: string): ConstTensor | undefined {
    return this.graph.weights.get(name) ?? this.folding.folded.get(name);
  }

  requireConst(node: TfNode, index: number): ConstTensor {
    const value = this.constValue(node.inputs[index]!);
    if (!value) throw new Error(`${node.op} ${node.name}: input ${index} must be constant`);
    return value;
  }

  /** Declares that TF node `name` is available as ONNX tensor `tensor`. */
  bind(name: string, tensor: string): void {
    this.#emitted.set(name, tensor);
  }

  /** ONNX tensor name for a TF node's output: a constant becomes an initializer on first use. */
  ref(name: string): string {
    const emitted = this.#emitted.get(name);
    if (emitted) return emitted;
    const value = this.constValue(name);
    if (!value) throw new Error(`${name} is used before it is emitted`);
    const tensor = this.constant(name, value);
    this.bind(name, tensor);
    return tensor;
  }

  /** A constant input, as an initializer. */
  constant(name: string, value: ConstTensor): string {
    if (this.b.dtypes.has(name)) return name; // already made (e.g. a filter shared by two convolutions)
    return this.b.addInitializer(name, { dtype: value.dtype, shape: value.shape, raw: raw(value.data) });
  }

  /** An int64 constant (ONNX wants int64 for shapes, axes and slice bounds). */
  int64Const(base: string, values: number[], shape = [values.length]): string {
    return this.b.addInitializer(this.b.temp(base), { dtype: "int64", shape, raw: raw(BigInt64Array.from(values.map(BigInt))) });
  }

  /** A constant TF int tensor (shape, axes) as an int64 initializer, as ONNX wants. */
  int64(node: TfNode, index: number): string {
    const value = this.requireConst(node, index);
    return this.int64Const(node.inputs[index]!, Array.from(value.data), value.shape);
  }

  emit(node: TfNode): void {
    const convert = converters[node.op];
    if (!convert) throw new Error(`unsupported op ${node.op} (${node.name})`);
    this.bind(node.name, convert(this, node, node.name));
  }
}

type Converter = (e: TfToOnnxEmitter, node: TfNode, out: string) => string;


const unary = (opType: string): Converter => (e, n, out) => e.b.node(opType, [e.ref(n.inputs[0]!)], [out]);
const binary = (opType: string): Converter => (e, n, out) => e.b.node(opType, [e.ref(n.inputs[0]!), e.ref(n.inputs[1]!)], [out]);
const compare = (opType: string): Converter => (e, n, out) =>
  e.b.node(opType, [e.ref(n.inputs[0]!), e.ref(n.inputs[1]!)], [out], {}, "bool");

const nchw = [0, 3, 1, 2];
const nhwc = [0, 2, 3, 1];

function spatialPair(values: number[], name: string): [number, number] {
  if (values.length === 4 && values[0] === 1 && values[3] === 1) return [values[1]!, values[2]!];
  throw new Error(`unsupported ${name} ${values}`);
}

/** HWIO (TF Conv2D filter) → OIHW (ONNX Conv weight). */
function transposeFilter(filter: ConstTensor, perm: number[]): ConstTensor {
  const src = filter.data as Float32Array;
  const shape = perm.map((p) => filter.shape[p]!);
  const srcStrides = filter.shape.map((_, i) => filter.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(src.length);
  const [d0, d1, d2, d3] = shape as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++)
        for (let d = 0; d < d3; d++) {
          const idx = [a, b, c, d];
          let s = 0;
          for (let k = 0; k < 4; k++) s += idx[k]! * srcStrides[perm[k]!]!;
          out[o++] = src[s]!;
        }
  return { dtype: "float32", shape, data: out };
}

const conv2d: Converter = (e, n, out) => {
  if (attrString(n, "data_format") !== "NHWC") throw new Error(`${n.name}: only NHWC is supported`);
  const filter = e.requireConst(n, 1);
  const pointwise = filter.shape[0] === 1 && filter.shape[1] === 1 && [...attrInts(n, "strides"), ...attrInts(n, "dilations")].every((v) => v === 1);
  if (pointwise && e.pointwiseAsMatMul) {
    // A 1x1 convolution is a Dense layer over channels: in NHWC a MatMul by the [Cin, Cout] filter, no layout change.
    const weight = { ...filter, shape: filter.shape.slice(2) };
    return e.b.node("MatMul", [e.ref(n.inputs[0]!), e.constant(`${n.inputs[1]}_io`, weight)], [out]);
  }
  const padding = attrString(n, "padding");
  const weight = transposeFilter(filter, [3, 2, 0, 1]);
  const [kh, kw] = [weight.shape[2]!, weight.shape[3]!];
  const attrs: Record<string, number | string | number[]> = {
    kernel_shape: [kh, kw],
    strides: spatialPair(attrInts(n, "strides"), "strides"),
    dilations: spatialPair(attrInts(n, "dilations"), "dilations"),
  };
  if (padding === "SAME") attrs["auto_pad"] = "SAME_UPPER"; // TF SAME puts the odd pixel at the end, as SAME_UPPER
  else if (padding === "VALID") attrs["pads"] = [0, 0, 0, 0];
  else throw new Error(`${n.name}: padding ${padding} is not supported`);
  const x = e.b.node("Transpose", [e.ref(n.inputs[0]!)], [e.b.temp(`${out}_nchw`)], { perm: nchw });
  const w = e.constant(`${n.inputs[1]}_oihw`, weight);
  const y = e.b.node("Conv", [x, w], [e.b.temp(`${out}_conv`)], attrs);
  return e.b.node("Transpose", [y], [out], { perm: nhwc });
};

// Conv2DBackpropInput(input_sizes, filter[h,w,out_c,in_c], out_backprop) is a transposed convolution.
const conv2dBackpropInput: Converter = (e, n, out) => {
  if (attrString(n, "data_format") !== "NHWC") throw new Error(`${n.name}: only NHWC is supported`);
  const filter = e.requireConst(n, 1);
  const [kh, kw] = [filter.shape[0]!, filter.shape[1]!];
  const [sh, sw] = spatialPair(attrInts(n, "strides"), "strides");
  spatialPair(attrInts(n, "dilations"), "dilations").forEach((d) => {
    if (d !== 1) throw new Error(`${n.name}: dilated transposed convolution is not supported`);
  });
  const sizes = e.requireConst(n, 0);
  const [outH, outW] = [sizes.data[1]!, sizes.data[2]!];
  const padding = attrString(n, "padding");
  if (padding !== "SAME" && padding !== "VALID") throw new Error(`${n.name}: padding ${padding} is not supported`);
  // The forward convolution this transposes padded by `total`, the odd pixel at the end (TF SAME).
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  for (const [size, k, s] of [[outH, kh, sh], [outW, kw, sw]] as const) {
    const inSize = padding === "SAME" ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
    const total = padding === "SAME" ? Math.max((inSize - 1) * s + k - size, 0) : 0;
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
    outputPadding.push(size - ((inSize - 1) * s + k - total));
  }
  const weight = transposeFilter(filter, [3, 2, 0, 1]);
  const x = e.b.node("Transpose", [e.ref(n.inputs[2]!)], [e.b.temp(`${out}_nchw`)], { perm: nchw });
  const w = e.constant(`${n.inputs[1]}_iohw`, weight);
  const y = e.b.node("ConvTranspose", [x, w], [e.b.temp(`${out}_convt`)], {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    pads: [...begin, ...end],
    output_padding: outputPadding,
  });
  return e.b.node("Transpose", [y], [out], { perm: nhwc });
};

// StridedSlice with constant bounds and no masks (all these graphs use on activations).
const stridedSlice: Converter = (e, n, out) => {
  const masks = ["begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"].filter((m) => attrInt(n, m));
  if (masks.length) throw new Error(`${n.name}: ${masks.join(", ")} not supported`);
  const [begin, end, strides] = [1, 2, 3].map((i) => Array.from(e.requireConst(n, i).data));
  const axes = begin!.map((_, i) => i);
  return e.b.node(
    "Slice",
    [e.ref(n.inputs[0]!), ...[begin!, end!, axes, strides!].map((v, i) => e.int64Const(`${out}_${["starts", "ends", "axes", "steps"][i]}`, v))],
    [out],
  );
};

// The three contractions MAXIM uses, as MatMul: Einsum was 35% of ONNX Runtime's CPU time at 128x128, and the
// model ran about 5% faster this way (profiled while developing; MatMul can fuse with neighbours). Any other
// equation stays an Einsum.
const einsum: Converter = (e, n, out) => {
  const [a, b] = n.inputs.map((i) => e.ref(i)) as [string, string];
  const equation = attrString(n, "equation")!;
  switch (equation) {
    case "abcg,gf->abcf":
      return e.b.node("MatMul", [a, b], [out]);
    case "abgd,gf->abdf":
      return e.b.node("MatMul", [e.b.node("Transpose", [a], [e.b.temp(`${out}_t`)], { perm: [0, 1, 3, 2] }), b], [out]);
    case "gb,cgef->bcef": {
      const xt = e.b.node("Transpose", [b], [e.b.temp(`${out}_t`)], { perm: [0, 2, 3, 1] }); // c,e,f,g
      const y = e.b.node("MatMul", [xt, a], [e.b.temp(`${out}_mm`)]); // c,e,f,b
      return e.b.node("Transpose", [y], [out], { perm: [3, 0, 1, 2] });
    }
    default:
      return e.b.node("Einsum", [a, b], [out], { equation });
  }
};

export const converters: Record<string, Converter> = {
  Identity: unary("Identity"),
  Neg: unary("Neg"),
  Exp: unary("Exp"),
  Tanh: unary("Tanh"),
  Reciprocal: unary("Reciprocal"),
  Rsqrt: (e, n, out) => e.b.node("Reciprocal", [e.b.node("Sqrt", [e.ref(n.inputs[0]!)], [e.b.temp(`${out}_sqrt`)])], [out]),
  Square: (e, n, out) => e.b.node("Mul", [e.ref(n.inputs[0]!), e.ref(n.inputs[0]!)], [out]),
  AddV2: binary("Add"),
  Sub: binary("Sub"),
  Mul: binary("Mul"),
  RealDiv: binary("Div"),
  Maximum: binary("Max"),
  GreaterEqual: compare("GreaterOrEqual"),
  SelectV2: (e, n, out) => e.b.node("Where", n.inputs.map((i) => e.ref(i)), [out], {}, e.b.dtypeOf(e.ref(n.inputs[1]!))),
  Reshape: (e, n, out) => e.b.node("Reshape", [e.ref(n.inputs[0]!), e.int64(n, 1)], [out]),
  BroadcastTo: (e, n, out) => e.b.node("Expand", [e.ref(n.inputs[0]!), e.int64(n, 1)], [out]),
  Transpose: (e, n, out) => e.b.node("Transpose", [e.ref(n.inputs[0]!)], [out], { perm: Array.from(e.requireConst(n, 1).data) }),
  Sum: (e, n, out) =>
    e.b.node("ReduceSum", [e.ref(n.inputs[0]!), e.int64Const(`${out}_axes`, Array.from(e.requireConst(n, 1).data))], [out], {
      keepdims: n.attr["keep_dims"]?.b ? 1 : 0,
    }),
  ConcatV2: (e, n, out) =>
    e.b.node("Concat", n.inputs.slice(0, -1).map((i) => e.ref(i)), [out], { axis: e.requireConst(n, n.inputs.length - 1).data[0]! }),
  GatherV2: (e, n, out) => {
    if (attrInt(n, "batch_dims")) throw new Error(`${n.name}: batch_dims is not supported`);
    return e.b.node("Gather", [e.ref(n.inputs[0]!), e.ref(n.inputs[1]!)], [out], { axis: e.requireConst(n, 2).data[0]! });
  },
  StridedSlice: stridedSlice,
  Einsum: einsum,
  Conv2D: conv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
};
