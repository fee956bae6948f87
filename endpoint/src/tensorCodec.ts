// Open Inference Protocol tensors ⇄ onnxruntime tensors: JSON `data` (nested or flat) or raw little-endian
// bytes from the binary extension, checked against shape and datatype.
import * as ort from "onnxruntime-node";
import { decodeBytesElements, encodeBytesElements, type TensorHeader } from "../../common/src/binaryTensors.js";

const arrayOf = {
  bool: Uint8Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

type NumericType = keyof typeof arrayOf;
type OrtType = NumericType | "string";

const ortTypeOf: Record<string, OrtType> = {
  BOOL: "bool",
  UINT8: "uint8",
  INT8: "int8",
  UINT16: "uint16",
  INT16: "int16",
  UINT32: "uint32",
  INT32: "int32",
  INT64: "int64",
  UINT64: "uint64",
  FP16: "float16",
  FP32: "float32",
  FP64: "float64",
  BYTES: "string",
};
const datatypeOf = Object.fromEntries(Object.entries(ortTypeOf).map(([k, v]) => [v, k])) as Record<string, string>;


export class TensorError extends Error {
  override name = "TensorError";
}

export function datatypeForOrt(type: string): string {
  const datatype = datatypeOf[type];
  if (!datatype) throw new TensorError(`unsupported tensor type ${type}`);
  return datatype;
}

/** Builds the onnxruntime input for one request tensor; `raw` is its binary data when sent that way. */
export function toOrtTensor(tensor: TensorHeader, raw: Uint8Array | undefined): ort.Tensor {
  const type = ortTypeOf[tensor.datatype ?? ""];
  if (!type) throw new TensorError(`input '${tensor.name}': unsupported datatype ${tensor.datatype}`);
  const shape = tensor.shape ?? [];
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new TensorError(`input '${tensor.name}': bad shape`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (type === "string") {
    const elements = raw ? decodeBytesElements(raw).map((e) => new TextDecoder().decode(e)) : ((tensor.data ?? []).flat(Infinity) as string[]);
    if (elements.length !== count) throw new TensorError(`input '${tensor.name}': ${elements.length} elements for shape [${shape}]`);
    return new ort.Tensor("string", elements, shape);
  }
  const Array_ = arrayOf[type];
  if (raw) {
    if (raw.length !== count * Array_.BYTES_PER_ELEMENT) throw new TensorError(`input '${tensor.name}': ${raw.length} bytes for shape [${shape}] ${tensor.datatype}`);
    const data = new Array_(raw.slice().buffer);
    return new ort.Tensor(type, data as never, shape);
  }
  if (type === "float16") throw new TensorError(`input '${tensor.name}': FP16 must be sent as binary data`);
  const flat = (tensor.data ?? []).flat(Infinity) as (number | boolean)[];
  if (flat.length !== count) throw new TensorError(`input '${tensor.name}': ${flat.length} elements for shape [${shape}]`);
  const data =
    type === "int64" || type === "uint64"
      ? (Array_ as typeof BigInt64Array).from(flat.map((v) => BigInt(v as number)))
      : (Array_ as typeof Float32Array).from(flat.map((v) => Number(v)));
  return new ort.Tensor(type, data as never, shape);
}

/** Response tensor: header plus raw bytes when `binary`, else JSON data in the header. */
export function fromOrtTensor(name: string, tensor: ort.Tensor, binary: boolean): { header: TensorHeader; raw?: Uint8Array } {
  const header: TensorHeader = { name, datatype: datatypeForOrt(tensor.type), shape: [...tensor.dims] };
  if (tensor.type === "string") {
    const strings = tensor.data as string[];
    if (binary) return { header, raw: encodeBytesElements(strings.map((s) => new TextEncoder().encode(s))) };
    return { header: { ...header, data: strings } };
  }
  const data = tensor.data as ArrayBufferView;
  if (binary || tensor.type === "float16") {
    return { header, raw: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() };
  }
  const values = Array.from(data as unknown as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? Number(v) : tensor.type === "bool" ? v !== 0 : v));
  return { header: { ...header, data: values } };
}
