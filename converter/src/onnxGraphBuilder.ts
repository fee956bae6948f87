// Accumulates an ONNX graph (nodes, initializers, inputs, outputs) and serialises it deterministically:
// same calls in the same order → byte-identical model. Nodes are plain data (GraphNode) until serialisation, so
// the optimizer (converter/src/optimize/) can rewrite them.
import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";

const { onnx } = onnxProto;

export type OnnxDtype = "float32" | "float16" | "int8" | "int32" | "uint32" | "int64" | "bool";

const dataType: Record<OnnxDtype, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  uint32: onnx.TensorProto.DataType.UINT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export function onnxDataType(dtype: OnnxDtype): number {
  return dataType[dtype];
}

export interface Initializer {
  dtype: OnnxDtype;
  shape: number[];
  /** Little-endian raw bytes, as ONNX stores `raw_data`. */
  raw: Uint8Array;
}

/** An attribute: an int, a string, a list of ints, or a float (`{ float }`, since a JS number is taken as an int). */
export type AttrValue = number | string | number[] | { float: number };

export interface GraphNode {
  opType: string;
  /** Operator set domain; "" (ONNX) when absent. */
  domain?: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  dtype: OnnxDtype;
  /** A string is a symbolic dimension (e.g. "batch"). */
  shape: (number | string)[];
}

export class OnnxGraphBuilder {
  nodes: GraphNode[] = [];
  readonly initializers = new Map<string, Initializer>();
  readonly dtypes = new Map<string, OnnxDtype>();
  /** ONNX opset the model imports (the optimizer raises it when it emits a newer op). */
  opset = 17;
  #counter = 0;

  /** A fresh tensor name derived from `base`. */
  temp(base: string): string {
    return `${base}__${this.#counter++}`;
  }

  addInitializer(name: string, init: Initializer): string {
    if (!this.initializers.has(name)) {
      this.initializers.set(name, init);
      this.dtypes.set(name, init.dtype);
    }
    return name;
  }

  dtypeOf(name: string): OnnxDtype {
    const dtype = this.dtypes.get(name);
    if (!dtype) throw new Error(`no dtype known for tensor ${name}`);
    return dtype;
  }

  /** Adds a node; `outputs` get `outDtype` (default: the first input's dtype). */
  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, outDtype?: OnnxDtype): string {
    const dtype = outDtype ?? this.dtypeOf(inputs[0]!);
    for (const o of outputs) this.dtypes.set(o, dtype);
    this.nodes.push({ opType, inputs, outputs, attrs });
    return outputs[0]!;
  }

  /** Serialises with the given graph inputs/outputs, keeping only initializers some node reads. */
  toModel(name: string, inputs: ValueInfo[], outputs: ValueInfo[], metadata: Record<string, string>): Uint8Array {
    const used = new Set(this.nodes.flatMap((n) => n.inputs));
    const domains = [...new Set(this.nodes.map((n) => n.domain ?? ""))].filter((d) => d !== "").sort();
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: "edge-restore tfjs-to-onnx",
      producerVersion: "1",
      opsetImport: [{ domain: "", version: this.opset }, ...domains.map((domain) => ({ domain, version: 1 }))],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name,
        node: this.nodes.map(nodeProto),
        initializer: [...this.initializers.entries()]
          .filter(([n]) => used.has(n))
          .map(([n, init]) => ({ name: n, dataType: dataType[init.dtype], dims: init.shape, rawData: init.raw })),
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function nodeProto(n: GraphNode): OnnxTypes.INodeProto {
  return {
    opType: n.opType,
    ...(n.domain ? { domain: n.domain } : {}),
    input: n.inputs,
    output: n.outputs,
    name: n.outputs[0],
    attribute: Object.entries(n.attrs).map(([name, value]) => attribute(name, value)),
  };
}

function valueInfo(v: ValueInfo): OnnxTypes.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: dataType[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "number") return { name, type: T.INT, i: value };
  if (typeof value === "string") return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.FLOAT, f: value.float };
}
