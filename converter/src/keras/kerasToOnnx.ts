// TF.js layers model (Keras functional, channels_last) → ONNX opset 17, cut at a chosen layer. Handles the
// layer types of nsfwjs's MobileNetV2 and InceptionV3 up to their pooled features; anything else throws.
// Keras tensors are NHWC; ONNX Conv/Pool want NCHW, so the graph transposes once after the input and works in
// NCHW throughout (shapes below are tracked in Keras's NHWC order). BatchNormalization is folded into the
// convolution before it, leaving plain Conv → Relu/Clip chains.
import { OnnxGraphBuilder } from "../onnxGraphBuilder.js";
import { decodeWeights, type FloatTensor, type KerasLayer, type LayersModelArtifacts } from "./layersModel.js";

export interface KerasConvertOptions {
  artifacts: LayersModelArtifacts;
  /** The layer whose output becomes the ONNX output `features`; layers after it are dropped. */
  outputLayer: string;
  /** ONNX graph name. */
  graphName: string;
  /** Stored in the model's metadata_props. */
  metadata?: Record<string, string>;
}

export interface KerasConvertResult {
  onnx: Uint8Array;
  /** NHWC `[1, S, S, 3]`, from the model's InputLayer. */
  inputShape: number[];
  outputShape: number[];
  onnxNodes: number;
  /** Weights of the layers kept, as Keras counts them (BatchNormalization's moving statistics included). */
  parameterCount: number;
}

interface Tensor {
  /** ONNX tensor name (NCHW when 4-D). */
  name: string;
  /** Keras shape: [N, H, W, C], or [N, D] after Flatten. */
  shape: number[];
}

const raw = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
const nhwcToNchwAxis = [0, 2, 3, 1];
const isConv = (layer: KerasLayer) => layer.class_name === "Conv2D" || layer.class_name === "DepthwiseConv2D";

export function convertKerasModel(options: KerasConvertOptions): KerasConvertResult {
  const { layers, input_layers } = options.artifacts.modelTopology.model_config.config;
  if (input_layers.length !== 1) throw new Error(`expected one model input, found ${input_layers.length}`);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const inputsOf = (layer: KerasLayer): KerasLayer[] => {
    // Each layer called once on the first output of earlier layers: no shared layers in these models.
    if (layer.inbound_nodes.length > 1) throw new Error(`layer ${layer.name} is called more than once`);
    return (layer.inbound_nodes[0] ?? []).map(([name, node, index]) => {
      if (node !== 0 || index !== 0) throw new Error(`layer ${layer.name}: input ${name}[${node}][${index}] is not supported`);
      return byName.get(name) ?? failLayer(layer, `unknown input layer ${name}`);
    });
  };

  // What the output needs, and who consumes what (to find convolutions whose only reader is a BatchNormalization).
  const needed = new Set<string>();
  const pending = [byName.get(options.outputLayer) ?? failLayer(undefined, `no layer named ${options.outputLayer}`)];
  while (pending.length) {
    const layer = pending.pop()!;
    if (needed.has(layer.name)) continue;
    needed.add(layer.name);
    pending.push(...inputsOf(layer));
  }
  const consumers = new Map<string, KerasLayer[]>();
  for (const layer of layers.filter((l) => needed.has(l.name))) {
    for (const input of inputsOf(layer)) consumers.set(input.name, [...(consumers.get(input.name) ?? []), layer]);
  }
  const foldedBatchNorm = new Map<string, KerasLayer>();
  for (const layer of layers) {
    if (layer.class_name !== "BatchNormalization" || !needed.has(layer.name)) continue;
    const [conv] = inputsOf(layer);
    // Foldable: the convolution's only reader, with no activation in between.
    if (!conv || !isConv(conv) || conv.config["activation"] !== "linear" || consumers.get(conv.name)?.length !== 1) {
      failLayer(layer, "only supported directly after a linear convolution it can be folded into");
    }
    foldedBatchNorm.set(conv!.name, layer);
  }

  const e = new Emitter(decodeWeights(options.artifacts.weightSpecs, options.artifacts.weightData), foldedBatchNorm);
  const tensors = new Map<string, Tensor>();
  let inputShape: number[] | undefined;
  for (const layer of layers) {
    if (!needed.has(layer.name)) continue;
    const inputs = inputsOf(layer).map((l) => tensors.get(l.name) ?? failLayer(layer, `input ${l.name} comes later in the layer list`));
    if (layer.class_name === "InputLayer") {
      const declared = layer.config["batch_input_shape"] as (number | null)[];
      inputShape = declared.map((d) => d ?? 1);
      if (inputShape.length !== 4 || inputShape[3] !== 3) failLayer(layer, `input shape ${JSON.stringify(declared)} is not [N, H, W, 3]`);
    }
    tensors.set(layer.name, e.layer(layer, inputs, inputShape!));
  }
  const output = tensors.get(options.outputLayer)!;
  e.b.node("Identity", [output.name], ["features"]);
  const onnx = e.b.toModel(
    options.graphName,
    [{ name: "input", dtype: "float32", shape: inputShape! }],
    [{ name: "features", dtype: "float32", shape: output.shape }],
    options.metadata ?? {},
  );
  return { onnx, inputShape: inputShape!, outputShape: output.shape, onnxNodes: e.b.nodes.length, parameterCount: e.parameterCount };
}

function failLayer(layer: KerasLayer | undefined, message: string): never {
  throw new Error(layer ? `${layer.class_name} ${layer.name}: ${message}` : message);
}

class Emitter {
  readonly b = new OnnxGraphBuilder();
  parameterCount = 0;

  constructor(
    readonly weights: Map<string, FloatTensor>,
    /** Convolution name → the BatchNormalization folded into it. */
    readonly foldedBatchNorm: Map<string, KerasLayer>,
  ) {}

  layer(layer: KerasLayer, inputs: Tensor[], inputShape: number[]): Tensor {
    const config = layer.config;
    const [x] = inputs;
    if ("data_format" in config && config["data_format"] !== "channels_last") failLayer(layer, "only channels_last is supported");
    switch (layer.class_name) {
      case "InputLayer": {
        this.b.dtypes.set("input", "float32");
        return { name: this.b.node("Transpose", ["input"], [layer.name], { perm: [0, 3, 1, 2] }), shape: inputShape };
      }
      case "Conv2D":
      case "DepthwiseConv2D":
        return this.conv(layer, x!);
      case "BatchNormalization":
        return x!; // folded into the convolution that produced x
      case "ReLU": {
        const { max_value: max, negative_slope: slope, threshold } = config as Record<string, number | null>;
        if ((slope ?? 0) !== 0 || (threshold ?? 0) !== 0) failLayer(layer, "only negative_slope 0 and threshold 0 are supported");
        if (max === null || max === undefined) return { name: this.b.node("Relu", [x!.name], [layer.name]), shape: x!.shape };
        // relu6 and the like: min(max(x, 0), max_value).
        const bounds = [0, max].map((v, i) => this.floats(`${layer.name}/${i ? "max" : "min"}`, [], [v]));
        return { name: this.b.node("Clip", [x!.name, ...bounds], [layer.name]), shape: x!.shape };
      }
      case "Activation":
        return this.activation(layer, x!, layer.name);
      case "ZeroPadding2D": {
        const [[top, bottom], [left, right]] = config["padding"] as [[number, number], [number, number]];
        const pads = this.int64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
        const [n, h, w, c] = x!.shape as [number, number, number, number];
        return { name: this.b.node("Pad", [x!.name, pads], [layer.name]), shape: [n, h + top + bottom, w + left + right, c] };
      }
      case "Add": {
        if (inputs.some((t) => t.shape.join() !== x!.shape.join())) failLayer(layer, "inputs differ in shape (no broadcasting here)");
        return { name: this.b.node(inputs.length === 2 ? "Add" : "Sum", inputs.map((t) => t.name), [layer.name]), shape: x!.shape };
      }
      case "Concatenate": {
        const rank = x!.shape.length;
        const axis = ((config["axis"] as number) + rank) % rank;
        const shape = [...x!.shape];
        shape[axis] = inputs.reduce((sum, t) => sum + t.shape[axis]!, 0);
        const onnxAxis = rank === 4 ? nhwcToNchwAxis[axis]! : axis;
        return { name: this.b.node("Concat", inputs.map((t) => t.name), [layer.name], { axis: onnxAxis }), shape };
      }
      case "MaxPooling2D":
      case "AveragePooling2D":
        return this.pool(layer, x!);
      case "Flatten": {
        if (x!.shape.length !== 4) failLayer(layer, "only 4-D inputs are supported");
        // Keras flattens NHWC in H, W, C order: back to NHWC first (free when H = W = 1, as at a pooled output).
        const nhwc = this.b.node("Transpose", [x!.name], [this.b.temp(layer.name)], { perm: [0, 2, 3, 1] });
        const [n, ...rest] = x!.shape as [number, ...number[]];
        return { name: this.b.node("Flatten", [nhwc], [layer.name], { axis: 1 }), shape: [n, rest.reduce((p, d) => p * d, 1)] };
      }
      default:
        return failLayer(layer, "layer type not supported");
    }
  }

  conv(layer: KerasLayer, x: Tensor): Tensor {
    const config = layer.config;
    const depthwise = layer.class_name === "DepthwiseConv2D";
    const [kh, kw] = config["kernel_size"] as [number, number];
    const strides = config["strides"] as [number, number];
    const dilations = config["dilation_rate"] as [number, number];
    const kernel = this.weight(`${layer.name}/${depthwise ? "depthwise_kernel" : "kernel"}`);
    // Keras kernels: Conv2D [kh, kw, in, out]; DepthwiseConv2D [kh, kw, in, multiplier] with output channel
    // c * multiplier + m. ONNX: [out, in / group, kh, kw].
    const [, , inChannels, last] = kernel.shape as [number, number, number, number];
    const outChannels = depthwise ? inChannels * last : last;
    const perOut = depthwise ? 1 : inChannels;
    const w = new Float64Array(outChannels * perOut * kh * kw);
    for (let y = 0; y < kh; y++) {
      for (let xx = 0; xx < kw; xx++) {
        for (let i = 0; i < inChannels; i++) {
          for (let j = 0; j < last; j++) {
            const value = kernel.data[((y * kw + xx) * inChannels + i) * last + j]!;
            const [o, k] = depthwise ? [i * last + j, 0] : [j, i];
            w[((o * perOut + k) * kh + y) * kw + xx] = value;
          }
        }
      }
    }
    const bias = new Float64Array(outChannels);
    if (config["use_bias"]) bias.set(this.weight(`${layer.name}/bias`).data);

    // Folding y = gamma * (conv + bias - mean) / sqrt(var + eps) + beta into the weights and bias (in float64).
    const bn = this.foldedBatchNorm.get(layer.name);
    if (bn) {
      const c = bn.config as { axis: number; epsilon: number; center: boolean; scale: boolean };
      if (c.axis !== -1 && c.axis !== 3) failLayer(bn, `axis ${c.axis} is not the channel axis`);
      const mean = this.weight(`${bn.name}/moving_mean`).data;
      const variance = this.weight(`${bn.name}/moving_variance`).data;
      const gamma = c.scale ? this.weight(`${bn.name}/gamma`).data : undefined;
      const beta = c.center ? this.weight(`${bn.name}/beta`).data : undefined;
      const perChannel = w.length / outChannels;
      for (let o = 0; o < outChannels; o++) {
        const factor = (gamma?.[o] ?? 1) / Math.sqrt(variance[o]! + c.epsilon);
        for (let k = 0; k < perChannel; k++) w[o * perChannel + k]! *= factor;
        bias[o] = (bias[o]! - mean[o]!) * factor + (beta?.[o] ?? 0);
      }
    }

    const [n, h, wIn] = x.shape as [number, number, number];
    const [padH, outH] = tfPadding(config["padding"] as string, h, kh, strides[0], dilations[0]);
    const [padW, outW] = tfPadding(config["padding"] as string, wIn, kw, strides[1], dilations[1]);
    const inputs = [
      x.name,
      this.floats(`${layer.name}/W`, [outChannels, perOut, kh, kw], Float32Array.from(w)),
      this.floats(`${layer.name}/B`, [outChannels], Float32Array.from(bias)),
    ];
    const convName = bn ? bn.name : layer.name;
    const conv = this.b.node("Conv", inputs, [convName], {
      kernel_shape: [kh, kw],
      strides,
      dilations,
      pads: [padH[0], padW[0], padH[1], padW[1]],
      group: depthwise ? inChannels : 1,
    });
    return this.activation(layer, { name: conv, shape: [n, outH, outW, outChannels] }, `${convName}/activation`);
  }

  pool(layer: KerasLayer, x: Tensor): Tensor {
    const config = layer.config;
    const [kh, kw] = config["pool_size"] as [number, number];
    const strides = (config["strides"] as [number, number] | null) ?? [kh, kw];
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const [padH, outH] = tfPadding(config["padding"] as string, h, kh, strides[0], 1);
    const [padW, outW] = tfPadding(config["padding"] as string, w, kw, strides[1], 1);
    // ONNX AveragePool's default count_include_pad=0 averages over the window's real pixels only, as TF does.
    const op = layer.class_name === "MaxPooling2D" ? "MaxPool" : "AveragePool";
    const name = this.b.node(op, [x.name], [layer.name], { kernel_shape: [kh, kw], strides, pads: [padH[0], padW[0], padH[1], padW[1]] });
    return { name, shape: [n, outH, outW, c] };
  }

  /** A layer's `activation` (Conv2D's own, or an Activation layer) applied to x. */
  activation(layer: KerasLayer, x: Tensor, outName: string): Tensor {
    const activation = layer.config["activation"];
    if (activation === "linear") return x;
    if (activation === "relu") return { name: this.b.node("Relu", [x.name], [outName]), shape: x.shape };
    return failLayer(layer, `activation ${String(activation)} not supported`);
  }

  /** A weight of the original model, counted once as a parameter. */
  weight(name: string): FloatTensor {
    const tensor = this.weights.get(name);
    if (!tensor) throw new Error(`weight ${name} is missing from the weight manifest`);
    this.parameterCount += tensor.data.length;
    return tensor;
  }

  floats(name: string, shape: number[], values: ArrayLike<number>): string {
    return this.b.addInitializer(name, { dtype: "float32", shape, raw: raw(Float32Array.from(values)) });
  }

  int64s(name: string, values: number[]): string {
    return this.b.addInitializer(name, { dtype: "int64", shape: [values.length], raw: raw(BigInt64Array.from(values.map(BigInt))) });
  }
}

/** TF's padding rule: [[before, after], output size]; "same" puts the odd pixel after, as TF does. */
function tfPadding(padding: string, size: number, kernel: number, stride: number, dilation: number): [[number, number], number] {
  const extent = (kernel - 1) * dilation + 1;
  if (padding === "valid") return [[0, 0], Math.floor((size - extent) / stride) + 1];
  if (padding !== "same") throw new Error(`padding ${padding} is not supported`);
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + extent - size, 0);
  return [[Math.floor(total / 2), total - Math.floor(total / 2)], out];
}
